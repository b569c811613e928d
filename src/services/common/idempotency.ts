import { createHash } from 'node:crypto';
import type { Caller, RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { conflict } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { Decimal } from '../../domain/money';
import type { AmendmentSource } from '../../entities/contract-amendment.entity';
import { isDuplicateKeyError, requiredText } from './input-checks';

const UNIQUE_KEY = 'uq_idempotency_records_key';

export interface IdempotentRequest {
  /**
   * The client's key (1–200 characters), unique across every self-serve mutation within the caller's key
   * space: one per customer for portal callers, one per environment for operators.
   */
  key: string | null | undefined;
  /** The mutation's name: a key reused for another operation is a CONFLICT. */
  operation: string;
  /** The arguments (the key excluded): a key reused with other arguments is a CONFLICT. */
  request: unknown;
}

export interface IdempotentOutcome<R> {
  result: R;
  /** True when the key had been used before and the first result was returned. */
  replayed: boolean;
}

/** JSON with sorted keys; dates as ISO strings and decimals as fixed-point strings, so equal requests hash equal. */
export function canonicalJson(value: unknown): string {
  const normalize = (v: unknown): unknown => {
    if (v === undefined) return null;
    if (v instanceof Date) return v.toISOString();
    if (v instanceof Decimal) return v.toFixed();
    if (Array.isArray(v)) return v.map(normalize);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) {
        const inner = (v as Record<string, unknown>)[key];
        if (inner !== undefined) out[key] = normalize(inner);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(normalize(value));
}

/**
 * Runs `work` once per idempotency key. The record is the FIRST statement of the transaction, so the
 * unique key decides: a concurrent repeat waits on the first insert, then fails with a duplicate key once
 * it commits and replays the stored result (if the first attempt rolls back, the repeat simply runs).
 * A failed attempt (invalid transition, bad input) rolls back with its record: retrying the key re-runs it.
 * `work`'s result must be plain JSON (ids), which the resolvers turn back into objects.
 */
export async function runIdempotent<R extends Record<string, unknown>>(
  ctx: RequestContext,
  request: IdempotentRequest,
  work: (tx: RequestContext) => Promise<R>,
): Promise<IdempotentOutcome<R>> {
  const key = requiredText(request.key, 'idempotencyKey', 200);
  const requestHash = createHash('sha256').update(canonicalJson(request.request)).digest('hex');
  const scope = keyScopeOf(ctx.caller);
  try {
    return await withTransaction(ctx, async (tx) => {
      const now = tx.now();
      await tx.manager.query(
        `INSERT INTO idempotency_records (id, environment_id, scope, idempotency_key, operation, request_hash, result, created_at)
         VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
        [newId('idm', now.getTime()), tx.environmentId, scope, key, request.operation, requestHash, now],
      );
      const result = await work(tx);
      await tx.manager.query(
        'UPDATE idempotency_records SET result = ? WHERE environment_id = ? AND scope = ? AND idempotency_key = ?',
        [JSON.stringify(result), tx.environmentId, scope, key],
      );
      return { result, replayed: false };
    });
  } catch (error) {
    if (!isDuplicateKeyError(error, UNIQUE_KEY)) throw error;
    return { result: await replay<R>(ctx, scope, key, request.operation, requestHash), replayed: true };
  }
}

/**
 * A portal caller's keys are its own: shared with other customers, a key one customer used would make
 * another's request fail with a CONFLICT that names the first customer's operation.
 */
function keyScopeOf(caller: Caller): string {
  return caller.kind === 'PORTAL' ? caller.customerId : '';
}

async function replay<R>(
  ctx: RequestContext,
  scope: string,
  key: string,
  operation: string,
  requestHash: string,
): Promise<R> {
  // A locking read sees the latest committed row, even inside an older snapshot.
  const [row] = (await withTransaction(ctx, (tx) =>
    tx.manager.query(
      `SELECT operation, request_hash AS requestHash, result FROM idempotency_records
        WHERE environment_id = ? AND scope = ? AND idempotency_key = ? LOCK IN SHARE MODE`,
      [tx.environmentId, scope, key],
    ),
  )) as Array<{ operation: string; requestHash: string; result: string | Record<string, unknown> | null }>;
  if (!row || row.result === null)
    throw new Error(`idempotency key ${key} collided but its record is not visible`);
  if (row.operation !== operation || row.requestHash !== requestHash) {
    throw conflict(
      `Idempotency key ${key} was already used for a different request (${row.operation}); use a new key`,
      'idempotencyKey',
    );
  }
  return (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as R;
}

/** The amendment source of a caller: API keys act through the API, portal tokens are the customer self-serving. */
export function amendmentSourceOf(caller: Caller): AmendmentSource {
  if (caller.kind === 'PORTAL') return 'SELF_SERVE';
  if (caller.kind === 'API_KEY') return 'API';
  return 'SYSTEM';
}
