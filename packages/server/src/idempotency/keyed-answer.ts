import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { SqlExecutor } from '../database/db';
import { problems } from '../problems/api-problem';

/** The claim a keyed request holds on its `Idempotency-Key` (set by the preHandler hook). */
export interface IdempotencyClaim {
  /** The credential's scope (a hash of the Authorization header). */
  scope: string;
  key: string;
  /** The in-progress mark's lease token: every write of the claim matches it. */
  token: string;
}

/** A request as the hooks see it: with its claim, when it holds one. */
export type ClaimedRequest = FastifyRequest & {
  idempotency?: IdempotencyClaim & { renewer?: NodeJS.Timeout };
};

/** A keyed request's answer, to be stored in the transaction of its write. */
export interface KeyedAnswer extends IdempotencyClaim {
  /** The status the handler answers with (201 for a create, 200 for a change). */
  status: number;
}

/**
 * The keyed request's answer-to-be (`@KeyedAnswer(201)`), undefined without an
 * `Idempotency-Key`: handed to the write so that the answer is committed with it.
 */
export const KeyedAnswer = createParamDecorator(
  (status: number, context: ExecutionContext): KeyedAnswer | undefined => {
    const claim = context.switchToHttp().getRequest<ClaimedRequest>().idempotency;
    return claim && { scope: claim.scope, key: claim.key, token: claim.token, status };
  },
);

const leaseLost = () =>
  problems.conflict(
    'idempotency_lease_lost',
    'This request outlived its Idempotency-Key lease and a retry took the key over: nothing was written here; the retry answers',
  );

/**
 * Stores the answer of a keyed request inside the transaction of its write — both commit, or
 * neither. When the claim no longer holds the key (it stalled past its lease and a retry took
 * over), throws a 409 problem, which rolls the write back: one key, one write.
 */
export async function commitAnswer(
  tx: SqlExecutor,
  keyed: KeyedAnswer,
  body: unknown,
): Promise<void> {
  const stored = await tx.run(
    `UPDATE idempotency_records SET status_code = ?, response = ?, lease_token = NULL, locked_until = NULL
     WHERE principal_id = ? AND key = ? AND lease_token = ? AND status_code = 0`,
    [keyed.status, JSON.stringify(body), keyed.scope, keyed.key, keyed.token],
  );
  if (stored !== 1) throw leaseLost();
}

/**
 * One item of a keyed request that writes item by item (a bulk action): its result is stored
 * in the item's own transaction, so that a retry after a crash does not do it again.
 */
export interface KeyedItem {
  claim: IdempotencyClaim;
  item: string;
}

/** What an earlier run of the keyed request did for this item (undefined: nothing committed). */
export async function itemResult(tx: SqlExecutor, keyed: KeyedItem): Promise<unknown> {
  const [row] = await tx.query<{ result: string }>(
    'SELECT result FROM idempotency_items WHERE principal_id = ? AND key = ? AND item = ?',
    [keyed.claim.scope, keyed.claim.key, keyed.item],
  );
  return row ? JSON.parse(row.result) : undefined;
}

/** Stores an item's result in its write's transaction, while the claim holds the key (else 409). */
export async function commitItem(
  tx: SqlExecutor,
  keyed: KeyedItem,
  result: unknown,
  now: string,
): Promise<void> {
  const held = await tx.run(
    `UPDATE idempotency_records SET locked_until = locked_until
     WHERE principal_id = ? AND key = ? AND lease_token = ? AND status_code = 0`,
    [keyed.claim.scope, keyed.claim.key, keyed.claim.token],
  );
  if (held !== 1) throw leaseLost();
  await tx.run(
    'INSERT INTO idempotency_items (principal_id, key, item, result, created_at) VALUES (?, ?, ?, ?, ?)',
    [keyed.claim.scope, keyed.claim.key, keyed.item, JSON.stringify(result), now],
  );
}
