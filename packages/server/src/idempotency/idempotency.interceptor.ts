import { createHash } from 'node:crypto';
import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Actor } from '@ordo/engine';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { ApiProblem, problems } from '../problems/api-problem';

/** How long a key is remembered: at least 24 hours (records older than 48 h are removed). */
export const IDEMPOTENCY_TTL_MS = 48 * 3600_000;
const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * `Idempotency-Key` on any POST: the first answer (status and body, errors included) is kept
 * per caller and key; a repeat with the same body gets it again without running anything, the
 * same key with another body gets 422. A key whose first request is still running gets 409.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(DB) private readonly db: Db) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string') return next.handle();
    return from(this.run(key, request, http.getResponse<FastifyReply>(), next));
  }

  private async run(
    key: string,
    request: FastifyRequest & { actor?: Actor },
    reply: FastifyReply,
    next: CallHandler,
  ): Promise<unknown> {
    if (!KEY.test(key))
      throw problems.badRequest(
        'bad_idempotency_key',
        'Idempotency-Key must be 1–200 visible ASCII characters',
      );
    const principal = request.actor?.id ?? 'anonymous';
    const hash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const now = new Date().toISOString();
    const claimed = await this.claim(principal, key, hash, now);
    if (!claimed) {
      const [row] = await this.db.query<{
        request_hash: string;
        status_code: number;
        response: string;
      }>(
        'SELECT request_hash, status_code, response FROM idempotency_records WHERE principal_id = ? AND key = ?',
        [principal, key],
      );
      if (row.request_hash !== hash)
        throw problems.unprocessable(
          'idempotency_key_reused',
          'This Idempotency-Key was used with another request body: use a new key for a new request',
        );
      if (Number(row.status_code) === 0)
        throw problems.conflict(
          'idempotency_in_progress',
          'The first request with this Idempotency-Key is still running: retry shortly',
        );
      const status = Number(row.status_code);
      void reply.status(status).header('idempotent-replayed', 'true');
      if (status >= 400)
        void reply.header('content-type', 'application/problem+json; charset=utf-8');
      return JSON.parse(row.response);
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.remember(principal, key, reply.statusCode, body ?? null);
      return body;
    } catch (error) {
      if (error instanceof ApiProblem && error.status < 500)
        await this.remember(principal, key, error.status, error.body(request.url));
      else
        await this.db.run('DELETE FROM idempotency_records WHERE principal_id = ? AND key = ?', [
          principal,
          key,
        ]);
      throw error;
    }
  }

  /** Inserts the key with status 0 (running); false when it was there already. */
  private async claim(principal: string, key: string, hash: string, now: string): Promise<boolean> {
    await this.db.run('DELETE FROM idempotency_records WHERE created_at < ?', [
      new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString(),
    ]);
    try {
      await this.db.run(
        'INSERT INTO idempotency_records (principal_id, key, request_hash, status_code, response, created_at) VALUES (?, ?, ?, 0, ?, ?)',
        [principal, key, hash, 'null', now],
      );
      return true;
    } catch {
      return false;
    }
  }

  private async remember(
    principal: string,
    key: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    await this.db.run(
      'UPDATE idempotency_records SET status_code = ?, response = ? WHERE principal_id = ? AND key = ?',
      [status, JSON.stringify(body), principal, key],
    );
  }
}
