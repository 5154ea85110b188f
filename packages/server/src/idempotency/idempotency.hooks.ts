import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db } from '../database/db';
import { type ApiProblem, problems } from '../problems/api-problem';
import { sendProblem } from '../problems/problem.filter';
import type { ClaimedRequest } from './keyed-answer';
import { runtimeLog } from '../logging/runtime-log';

const log = runtimeLog('idempotency');

/** How long a key is remembered: at least 24 hours (records older than 48 h are removed). */
export const IDEMPOTENCY_TTL_MS = 48 * 3600_000;
/** How long an in-progress mark holds its key unless renewed (renewed every third of it). */
export const IDEMPOTENCY_LEASE_MS = 30_000;
/** A request still running after this long stops renewing its mark (a retry may take over). */
const MAX_RENEW_MS = 15 * 60_000;
const KEY = /^[\x21-\x7e]{1,200}$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Whose keys a request's are: a hash of its Authorization header. */
export const idempotencyScope = (authorization: string | undefined): string =>
  sha256(authorization ?? 'anonymous');

/** What a key is bound to: the method, the URL and the body. */
export const requestHash = (method: string, url: string, body: unknown): string =>
  sha256(`${method} ${url}\n${JSON.stringify(body ?? null)}`);

interface StoredRecord {
  request_hash: string;
  status_code: number;
  response: string;
  locked_until: string | null;
}

/**
 * `Idempotency-Key` on any POST or PATCH, as fastify hooks around the whole request (so that
 * requests without the header pay nothing): the first answer — status and body, refusals
 * included — is kept per credential and key; a repeat with the same body gets it again without
 * running anything; the same key with another body gets 422; while the first is running, 409.
 * Keys are scoped by the Authorization header, so two callers never see each other's answers.
 *
 * The in-progress mark is a lease (`leaseMs`, renewed while the request runs): a request that
 * died mid-flight leaves a mark that expires, and a retry then takes the key over with a new
 * lease token and runs. Writes of keyed requests store their answer in their own transaction
 * (`commitAnswer`), fenced by the token, so after a crash the key either has the committed
 * answer (replayed) or nothing was written (the retry runs) — and a stalled first request that
 * comes back after a takeover writes nothing.
 */
export function registerIdempotency(
  fastify: FastifyInstance,
  db: Db,
  options: { leaseMs?: number } = {},
): void {
  const leaseMs = options.leaseMs ?? IDEMPOTENCY_LEASE_MS;
  const inProgress = (lockedUntil: string | null, now: number) =>
    problems.conflict(
      'idempotency_in_progress',
      'The first request with this Idempotency-Key is still running: retry shortly',
      lockedUntil ? { retryAfterSeconds: secondsUntil(lockedUntil, now) } : {},
    );
  const secondsUntil = (iso: string, now: number) =>
    Math.max(1, Math.ceil((Date.parse(iso) - now) / 1000));

  fastify.addHook('preHandler', async (request: ClaimedRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if ((request.method !== 'POST' && request.method !== 'PATCH') || typeof key !== 'string')
      return;
    // An async hook that answers must return the reply, or fastify runs the handler too.
    const refuse = (problem: ApiProblem, retryAfter?: number) => {
      if (retryAfter) reply.header('retry-after', String(retryAfter));
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
    const scope = idempotencyScope(request.headers.authorization);
    const hash = requestHash(request.method, request.url, request.body);
    const now = Date.now();
    const iso = new Date(now).toISOString();
    const token = randomUUID();
    const leaseUntil = new Date(now + leaseMs).toISOString();
    const expired = new Date(now - IDEMPOTENCY_TTL_MS).toISOString();
    await db.run('DELETE FROM idempotency_records WHERE created_at < ?', [expired]);
    await db.run('DELETE FROM idempotency_items WHERE created_at < ?', [expired]);
    const claim = () => {
      const renewer = setInterval(() => {
        if (Date.now() - now > MAX_RENEW_MS) return clearInterval(renewer);
        db.run(
          'UPDATE idempotency_records SET locked_until = ? WHERE principal_id = ? AND key = ? AND lease_token = ? AND status_code = 0',
          [new Date(Date.now() + leaseMs).toISOString(), scope, key, token],
        ).catch((error) => log.warn(`Idempotency-Key lease: ${(error as Error).message}`));
      }, leaseMs / 3);
      renewer.unref();
      request.idempotency = { scope, key, token, renewer };
    };
    try {
      await db.run(
        'INSERT INTO idempotency_records (principal_id, key, request_hash, status_code, response, created_at, lease_token, locked_until) VALUES (?, ?, ?, 0, ?, ?, ?, ?)',
        [scope, key, hash, '', iso, token, leaseUntil],
      );
      claim();
      return;
    } catch {
      // The key is known: replay, refuse, or take over an expired mark below.
    }
    const [row] = await db.query<StoredRecord>(
      'SELECT request_hash, status_code, response, locked_until FROM idempotency_records WHERE principal_id = ? AND key = ?',
      [scope, key],
    );
    if (!row) return refuse(inProgress(null, now), 1);
    if (row.request_hash !== hash)
      return refuse(
        problems.unprocessable(
          'idempotency_key_reused',
          'This Idempotency-Key was used with another request body: use a new key for a new request',
        ),
      );
    const status = Number(row.status_code);
    if (status === 0) {
      if (row.locked_until !== null && row.locked_until >= iso)
        return refuse(inProgress(row.locked_until, now), secondsUntil(row.locked_until, now));
      // The first request died (or stalled) without an answer, and nothing it wrote committed
      // (its answer would be here): take the key over and run the request.
      const taken = await db.run(
        `UPDATE idempotency_records SET lease_token = ?, locked_until = ?
         WHERE principal_id = ? AND key = ? AND status_code = 0 AND COALESCE(locked_until, '') = ?`,
        [token, leaseUntil, scope, key, row.locked_until ?? ''],
      );
      if (taken !== 1) return refuse(inProgress(null, now), 1);
      claim();
      return;
    }
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

  // The answer of a request whose write did not store it (refusals, endpoints without a keyed
  // write) — only while the claim holds the key; a 5xx frees the key for a retry.
  fastify.addHook(
    'onSend',
    async (request: ClaimedRequest, reply: FastifyReply, payload: unknown) => {
      const claimed = request.idempotency;
      if (!claimed) return payload;
      request.idempotency = undefined;
      clearInterval(claimed.renewer);
      const held = [claimed.scope, claimed.key, claimed.token];
      if (reply.statusCode >= 500)
        await db.run(
          'DELETE FROM idempotency_records WHERE principal_id = ? AND key = ? AND lease_token = ? AND status_code = 0',
          held,
        );
      else
        await db.run(
          'UPDATE idempotency_records SET status_code = ?, response = ?, lease_token = NULL, locked_until = NULL WHERE principal_id = ? AND key = ? AND lease_token = ? AND status_code = 0',
          [
            reply.statusCode,
            typeof payload === 'string' ? payload : JSON.stringify(payload ?? null),
            ...held,
          ],
        );
      return payload;
    },
  );

  // A request that ends without onSend (its connection gone) stops renewing all the same.
  fastify.addHook('onResponse', async (request: ClaimedRequest) => {
    clearInterval(request.idempotency?.renewer);
  });
}
