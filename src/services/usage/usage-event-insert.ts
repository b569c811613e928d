import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../context';
import type { CheckedUsageEvent } from '../../domain/usage-event';
import { placeholders, rowPlaceholders, runQuery, sqlDateTime, type WriteResult } from './usage-sql';

/**
 * The one write of event ingestion: a batch of checked events into `usage_events`, saying for each key
 * whether the stored row is this request's, was there already (a duplicate), or was refused by the
 * database. Duplicates are decided by the unique key `(environment_id, customer_id, idempotency_key)`.
 */

/** An event ready to store: checked, its customer resolved to a Tally id. */
export interface Candidate {
  index: number;
  customerId: string;
  event: CheckedUsageEvent;
}

/** What became of one candidate's key. */
export type StoredRow = 'ours' | 'existing' | 'refused';

const INSERT_COLUMNS =
  '(environment_id, customer_id, event_name, idempotency_key, occurred_at, received_at, ingest_batch, properties)';
const INSERT_WIDTH = 8;
const SAVEPOINT = 'usage_event_insert';

const DUPLICATE_KEY_ERRNO = 1062;
const INCORRECT_STRING_VALUE_ERRNO = 1366;

/**
 * Whether a failed statement was refused for the data it carried (SQLSTATE class 22, data exception, or
 * 23, integrity constraint: a value too long or out of range, a failed CHECK, a duplicate key). Anything
 * else (a deadlock, a lost connection) is the transaction's problem and is thrown on.
 */
function refusedForItsData(error: unknown): boolean {
  const { sqlState, errno } = error as { sqlState?: string; errno?: number };
  return (
    errno === INCORRECT_STRING_VALUE_ERRNO ||
    (typeof sqlState === 'string' && (sqlState.startsWith('22') || sqlState.startsWith('23')))
  );
}

export const dedupeKey = (customerId: string, idempotencyKey: string) =>
  `${customerId}\u0000${idempotencyKey}`;

/**
 * Stores `rows` in the caller's transaction (it must be one: the fallback uses a savepoint) and answers,
 * per dedupe key, what became of it; 'all' when every row was inserted as sent.
 *
 * One multi-row INSERT IGNORE, rows sorted by the unique key so concurrent batches lock keys in the same
 * order (no deadlocks). IGNORE is only trusted for what it is used for, duplicate keys: each duplicate
 * leaves exactly one warning, so more warnings than skipped rows means the database altered a row it
 * kept (a truncated value), and MariaDB fails a single-row INSERT IGNORE on a CHECK outright. Either way
 * the statement is undone and the rows go in one by one without IGNORE, where each refusal is an error
 * naming its row. A row a multi-row IGNORE skipped for another reason than a duplicate (a failed CHECK) is
 * absent from the read-back and reported refused, never as a duplicate.
 */
export async function insertUsageEvents(
  tx: RequestContext,
  rows: Candidate[],
  receivedAt: Date,
): Promise<Map<string, StoredRow> | 'all'> {
  if (!rows.length) return new Map();
  rows.sort((a, b) =>
    a.customerId === b.customerId
      ? compareText(a.event.idempotencyKey, b.event.idempotencyKey)
      : compareText(a.customerId, b.customerId),
  );
  const marker = newBatchMarker();
  const received = sqlDateTime(receivedAt);
  const params: unknown[] = new Array(rows.length * INSERT_WIDTH);
  let p = 0;
  for (const row of rows) for (const value of rowValues(tx, row, received, marker)) params[p++] = value;

  await runQuery(tx, `SAVEPOINT ${SAVEPOINT}`);
  let result: WriteResult;
  try {
    result = await runQuery(tx, insertSql(rows.length), params);
  } catch (error) {
    if (!refusedForItsData(error)) throw error;
    await runQuery(tx, `ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    return insertOneByOne(tx, rows, received, marker);
  }
  const skipped = rows.length - result.affectedRows;
  if ((result.warningStatus ?? 0) > skipped) {
    await runQuery(tx, `ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    return insertOneByOne(tx, rows, received, marker);
  }
  if (skipped === 0) return 'all';
  return storedRows(tx, rows, marker);
}

function rowValues(tx: RequestContext, row: Candidate, received: string, marker: string): unknown[] {
  const { customerId, event } = row;
  return [
    tx.environmentId,
    customerId,
    event.eventName,
    event.idempotencyKey,
    sqlDateTime(event.occurredAt),
    received,
    marker,
    event.propertiesJson,
  ];
}

/**
 * The slow path, taken only when the batch statement met a row the database would alter: a plain INSERT
 * per row (strict mode turns any alteration into an error). A failed statement is rolled back alone, so
 * the rows stored before it stay; a duplicate is read back to tell ours (impossible here: the keys are
 * unique in the batch) from one stored before.
 */
async function insertOneByOne(
  tx: RequestContext,
  rows: Candidate[],
  received: string,
  marker: string,
): Promise<Map<string, StoredRow>> {
  const stored = new Map<string, StoredRow>();
  const duplicates: Candidate[] = [];
  for (const row of rows) {
    const key = dedupeKey(row.customerId, row.event.idempotencyKey);
    try {
      await runQuery(tx, insertSql(1, false), rowValues(tx, row, received, marker));
      stored.set(key, 'ours');
    } catch (error) {
      if (!refusedForItsData(error)) throw error;
      if ((error as { errno?: number }).errno === DUPLICATE_KEY_ERRNO) duplicates.push(row);
      else stored.set(key, 'refused');
    }
  }
  if (duplicates.length) {
    for (const [key, state] of await storedRows(tx, duplicates, marker)) stored.set(key, state);
  }
  return stored;
}

/**
 * Reads the rows of `rows`' keys back: a row is ours exactly when it carries this request's marker, which
 * stays true under any concurrency (an INSERT that meets another request's uncommitted row waits for it,
 * so every key exists, committed or ours, by the time we read). A key with no row was refused.
 */
async function storedRows(
  tx: RequestContext,
  rows: Candidate[],
  marker: string,
): Promise<Map<string, StoredRow>> {
  const byCustomer = new Map<string, string[]>();
  for (const row of rows) {
    const keys = byCustomer.get(row.customerId);
    if (keys) keys.push(row.event.idempotencyKey);
    else byCustomer.set(row.customerId, [row.event.idempotencyKey]);
  }
  const clauses: string[] = [];
  const params: unknown[] = [tx.environmentId];
  for (const [customerId, keys] of byCustomer) {
    clauses.push(`(customer_id = ? AND idempotency_key IN (${placeholders(keys.length)}))`);
    params.push(customerId, ...keys);
  }
  // A locking read sees the latest committed rows whatever the transaction's snapshot.
  const found: Array<{ customer_id: string; idempotency_key: string; ingest_batch: string }> = await runQuery(
    tx,
    `SELECT customer_id, idempotency_key, ingest_batch FROM usage_events
        WHERE environment_id = ? AND (${clauses.join(' OR ')}) LOCK IN SHARE MODE`,
    params,
  );
  const stored = new Map<string, StoredRow>();
  for (const row of rows) stored.set(dedupeKey(row.customerId, row.event.idempotencyKey), 'refused');
  for (const row of found) {
    stored.set(
      dedupeKey(row.customer_id, row.idempotency_key),
      String(row.ingest_batch) === marker ? 'ours' : 'existing',
    );
  }
  return stored;
}

/** A random per-request marker stored on every row this request inserts (63 bits, as a decimal string). */
function newBatchMarker(): string {
  return (randomBytes(8).readBigUInt64BE() >> 1n).toString();
}

/** The multi-row INSERT (IGNORE) for `rows` rows; the text of the common sizes is built once. */
const insertSqlCache = new Map<string, string>();
function insertSql(rows: number, ignore = true): string {
  const cacheKey = `${rows}:${ignore}`;
  let sql = insertSqlCache.get(cacheKey);
  if (!sql) {
    sql = `INSERT ${ignore ? 'IGNORE ' : ''}INTO usage_events ${INSERT_COLUMNS} VALUES ${rowPlaceholders(rows, INSERT_WIDTH)}`;
    if (insertSqlCache.size < 64) insertSqlCache.set(cacheKey, sql);
  }
  return sql;
}

const SURROGATES = /[\uD800-\uFFFF]/;

/**
 * Byte order of the UTF-8 text, which is utf8mb4_nopad_bin's order for the unique key's columns. UTF-16
 * order (`<`) agrees with it except around surrogate pairs, so only such strings pay for a byte comparison.
 */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (SURROGATES.test(a) || SURROGATES.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : 1;
}
