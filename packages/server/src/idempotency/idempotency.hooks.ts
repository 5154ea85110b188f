import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../database/db';
import { type ApiProblem, problems } from '../problems/api-problem';
import { sendProblem } from '../problems/problem.filter';

/** How long a key is remembered: at least 24 hours (records older than 48 h are removed). */
export const IDEMPOTENCY_TTL_MS = 48 * 3600_000;
const KEY = /^[\x21-\x7e]{1,200}$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

type Claimed = FastifyRequest & { idempotency?: { scope: string; key: string } };

/**
 * `Idempotency-Key` on any POST, as fastify hooks around the whole request (so that requests
 * without the header pay nothing): the first answer — status and body, refusals included — is
 * kept per credential and key; a repeat with the same body gets it again without running
 * anything; the same key with another body gets 422; while the first is running, 409.
 * Keys are scoped by the Authorization header, so two callers never see each other's answers.
 */
export function registerIdempotency(fastify: FastifyInstance, db: Db): void {
  fastify.addHook('preHandler', async (request: Claimed, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string') return;
    // An async hook that answers must return the reply, or fastify runs the handler too.
    const refuse = (problem: ApiProblem) => {
      sendProblem(reply, problem, request.url);
      return reply;
    };
    if (!KEY.test(key))
      return refuse(
        problems.badRequest(
          'bad_idempotency_key',
          'Idempotency-Key must be 1–200 visible ASCII characters',
        ),
      );
    const scope = sha256(request.headers.authorization ?? 'anonymous');
    const hash = sha256(
      `${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`,
    );
    const now = new Date();
    await db.run('DELETE FROM idempotency_records WHERE created_at < ?', [
      new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString(),
    ]);
    try {
      await db.run(
        'INSERT INTO idempotency_records (principal_id, key, request_hash, status_code, response, created_at) VALUES (?, ?, ?, 0, ?, ?)',
        [scope, key, hash, '', now.toISOString()],
      );
      request.idempotency = { scope, key };
      return;
    } catch {
      // The key is known: replay or refuse below.
    }
    const [row] = await db.query<{ request_hash: string; status_code: number; response: string }>(
      'SELECT request_hash, status_code, response FROM idempotency_records WHERE principal_id = ? AND key = ?',
      [scope, key],
    );
    if (!row)
      return refuse(
        problems.conflict(
          'idempotency_in_progress',
          'The first request with this Idempotency-Key is still running: retry shortly',
        ),
      );
    if (row.request_hash !== hash)
      return refuse(
        problems.unprocessable(
          'idempotency_key_reused',
          'This Idempotency-Key was used with another request body: use a new key for a new request',
        ),
      );
    const status = Number(row.status_code);
    if (status === 0)
      return refuse(
        problems.conflict(
          'idempotency_in_progress',
          'The first request with this Idempotency-Key is still running: retry shortly',
        ),
      );
    return reply
      .status(status)
      .header('idempotent-replayed', 'true')
      .header(
        'content-type',
        status >= 400
          ? 'application/problem+json; charset=utf-8'
          : 'application/json; charset=utf-8',
      )
      .send(row.response);
  });

  fastify.addHook('onSend', async (request: Claimed, reply: FastifyReply, payload: unknown) => {
    const claimed = request.idempotency;
    if (!claimed) return payload;
    request.idempotency = undefined;
    if (reply.statusCode >= 500)
      await db.run('DELETE FROM idempotency_records WHERE principal_id = ? AND key = ?', [
        claimed.scope,
        claimed.key,
      ]);
    else
      await db.run(
        'UPDATE idempotency_records SET status_code = ?, response = ? WHERE principal_id = ? AND key = ?',
        [
          reply.statusCode,
          typeof payload === 'string' ? payload : JSON.stringify(payload ?? null),
          claimed.scope,
          claimed.key,
        ],
      );
    return payload;
  });
}
