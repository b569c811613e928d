import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../config/config';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput } from '../../domain/errors';
import {
  checkAggregationProperty,
  checkUsageEvent,
  MAX_BATCH_SIZE,
  type CheckedUsageEvent,
  type EventRejection,
  type MeterRule,
} from '../../domain/usage-event';
import { SingleEventCoalescer } from './event-coalescer';
import type { EventOutcome, IngestResult } from './ingest-outcome';
import { placeholders, rowPlaceholders, runQuery, sqlDateTime, type WriteResult } from './usage-sql';

/**
 * Says whether the invoice of the period holding `occurredAt` is already finalized for a customer;
 * events for such a period are rejected. The invoice engine provides it (InvoiceService.closedPeriodGuard)
 * and the composition root hands it to EventIngestionService.
 *
 * Both methods are called inside the transaction that inserts the events, after the batch's customer rows
 * were locked in share mode and before any other read of that transaction, so a guard can close the race
 * with finalization by locking the customer row itself (see InvoiceService.closedPeriodGuard).
 */
export interface ClosedPeriodGuard {
  isClosed(ctx: RequestContext, customerId: string, occurredAt: Date): Promise<boolean>;
  /**
   * Optional bulk form, used when present: the finalized [from, to) ranges (epoch ms) of each customer,
   * fetched in one query for a whole batch instead of one per customer. `locking` is set when the insert
   * runs inside a caller's transaction, whose snapshot may predate the customer locks.
   */
  closedRanges?(
    ctx: RequestContext,
    customerIds: readonly string[],
    options?: { locking?: boolean },
  ): Promise<Map<string, Array<[number, number]>>>;
}

/** An event whose own fields passed the checks, at its index in the request. */
interface Checked {
  index: number;
  event: CheckedUsageEvent;
}

/** An event ready to store: checked, its customer resolved to a Tally id. */
interface Candidate {
  index: number;
  customerId: string;
  event: CheckedUsageEvent;
}

const INSERT_COLUMNS =
  '(environment_id, customer_id, event_name, idempotency_key, occurred_at, received_at, ingest_batch, properties)';
const INSERT_WIDTH = 8;

/** A random per-request marker stored on every row this request inserts (63 bits, as a decimal string). */
function newBatchMarker(): string {
  return (randomBytes(8).readBigUInt64BE() >> 1n).toString();
}

const dedupeKey = (customerId: string, idempotencyKey: string) => `${customerId}\u0000${idempotencyKey}`;

/**
 * Validates, dedupes and stores usage events. One transaction and one multi-row INSERT IGNORE per call, rows
 * sorted by the unique key so concurrent batches lock keys in the same order (no deadlocks). The
 * transaction is committed before the method returns, so an `accepted` answer means durable. Per call, the
 * database sees a fixed handful of statements whatever the batch size: the meters, the customers (locked),
 * the closed periods, the insert (and a read-back only when some keys already existed).
 */
export class EventIngestionService {
  private readonly committedListeners: Array<() => void> = [];
  private readonly coalescer = new SingleEventCoalescer((ctx, events) => this.ingest(ctx, events));

  constructor(
    private readonly config: AppConfig,
    private readonly closedPeriods: ClosedPeriodGuard,
  ) {}

  /** Called after events are committed (the aggregator wakes up on it). */
  onCommitted(listener: () => void): void {
    this.committedListeners.push(listener);
  }

  /**
   * One event (POST /v1/events). Events arriving at the same moment are stored together in one
   * statement (see SingleEventCoalescer); each caller still gets its own answer after the commit.
   */
  ingestOne(ctx: RequestContext, event: unknown): Promise<EventOutcome> {
    return this.coalescer.submit(ctx, event);
  }

  async ingest(ctx: RequestContext, events: readonly unknown[]): Promise<IngestResult> {
    if (events.length > MAX_BATCH_SIZE) {
      throw badInput('events', `a batch holds at most ${MAX_BATCH_SIZE} events, got ${events.length}`);
    }
    const now = ctx.now();
    const outcomes: EventOutcome[] = new Array(events.length);
    const checked: Checked[] = [];
    for (let index = 0; index < events.length; index++) {
      const result = checkUsageEvent(events[index], now, this.config.eventGraceDays);
      if (result.ok) checked.push({ index, event: result.event });
      else outcomes[index] = { index, status: 'rejected', error: result.rejection };
    }
    if (checked.length) {
      const stored = await this.store(ctx, checked, now);
      for (const outcome of stored.outcomes) outcomes[outcome.index] = outcome;
      if (stored.inserted) ctx.afterCommit(() => this.committedListeners.forEach((listener) => listener()));
    }
    return summarize(outcomes);
  }

  /**
   * Resolves, checks and inserts the checked events in one transaction (joining the caller's, if any), and
   * answers each of them once committed. In order: share-lock the customers (their rows resolve the
   * references and close the race with invoice finalization, see ClosedPeriodGuard), read the closed
   * periods, insert. A deadlock or lock timeout reruns the whole transaction (withTransaction), so
   * everything decided in it is recomputed.
   */
  private async store(
    ctx: RequestContext,
    checked: Checked[],
    receivedAt: Date,
  ): Promise<{ outcomes: EventOutcome[]; inserted: boolean }> {
    const callerTransaction = Boolean(ctx.transaction);
    // Meters only validate properties and are never changed once created: read them beside the transaction.
    const meters = this.lookupMeters(
      ctx,
      uniqueValues(checked, (c) => c.event.eventName),
    );
    meters.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    return withTransaction(ctx, async (tx) => {
      const outcomes: EventOutcome[] = [];
      const customers = await this.lockCustomers(
        tx,
        uniqueValues(checked, (c) => c.event.customerRef),
      );
      const isClosed = await this.closedPeriodCheck(tx, [...new Set(customers.values())], callerTransaction);
      const meterRules = await meters;
      const candidates: Candidate[] = [];
      for (const { index, event } of checked) {
        const customerId = customers.get(event.customerRef);
        const rejection = customerId
          ? await this.checkAgainstCatalog(event, customerId, meterRules, isClosed)
          : unknownCustomer(event.customerRef);
        if (rejection) outcomes.push({ index, status: 'rejected', error: rejection });
        else candidates.push({ index, customerId: customerId!, event });
      }

      // The same key twice in one batch: the first (lowest index) wins, the others are duplicates.
      const unique = new Map<string, Candidate>();
      for (const candidate of candidates) {
        const key = dedupeKey(candidate.customerId, candidate.event.idempotencyKey);
        if (unique.has(key)) outcomes.push({ index: candidate.index, status: 'duplicate' });
        else unique.set(key, candidate);
      }

      const rows = [...unique.values()];
      const newKeys = await this.insert(tx, rows, receivedAt);
      for (const row of rows) {
        const isNew = newKeys === 'all' || newKeys.has(dedupeKey(row.customerId, row.event.idempotencyKey));
        outcomes.push({ index: row.index, status: isNew ? 'accepted' : 'duplicate' });
      }
      return { outcomes, inserted: newKeys === 'all' ? rows.length > 0 : newKeys.size > 0 };
    });
  }

  private async checkAgainstCatalog(
    event: CheckedUsageEvent,
    customerId: string,
    meters: Map<string, MeterRule[]>,
    isClosed: (customerId: string, occurredAt: Date) => boolean | Promise<boolean>,
  ): Promise<EventRejection | null> {
    for (const meter of meters.get(event.eventName) ?? []) {
      const rejection = checkAggregationProperty(event.properties, meter);
      if (rejection) return rejection;
    }
    if (await isClosed(customerId, event.occurredAt)) {
      return {
        code: 'PERIOD_CLOSED',
        field: 'timestamp',
        message: 'timestamp falls in a billing period whose invoice is already finalized',
      };
    }
    return null;
  }

  /** The closed-period test for this batch: one bulk lookup when the guard offers it. */
  private async closedPeriodCheck(
    tx: RequestContext,
    customerIds: string[],
    locking: boolean,
  ): Promise<(customerId: string, occurredAt: Date) => boolean | Promise<boolean>> {
    const guard = this.closedPeriods;
    if (!guard.closedRanges) return (customerId, occurredAt) => guard.isClosed(tx, customerId, occurredAt);
    const ranges = customerIds.length ? await guard.closedRanges(tx, customerIds, { locking }) : new Map();
    return (customerId, occurredAt) => {
      const list: Array<[number, number]> | undefined = ranges.get(customerId);
      if (!list) return false;
      const t = occurredAt.getTime();
      return list.some(([from, to]) => from <= t && t < to);
    };
  }

  /**
   * Maps each customer reference (Tally id or external id, an id match winning) to the Tally id, and takes
   * a share lock on those customer rows until the transaction ends. Two index lookups (primary key, unique
   * external id), never a scan: a locking scan would lock every customer.
   *
   * The lock must be on the row itself (the clustered record), which is what finalization locks
   * `FOR UPDATE`. A share-locking read served entirely from a secondary index (covering: `id, external_id`
   * are both in uq_customers_external_id) locks only that index's record and would not conflict with it,
   * so the external-id part also reads `updated_at`, which no index holds, to make InnoDB visit and lock
   * the row. The race test in events-finalize-race.test.ts fails without it.
   */
  private async lockCustomers(tx: RequestContext, refs: string[]): Promise<Map<string, string>> {
    const list = placeholders(refs.length);
    const rows: Array<{ id: string; external_id: string | null }> = await runQuery(
      tx,
      `(SELECT id, external_id, updated_at FROM customers
         WHERE id IN (${list}) AND environment_id = ? LOCK IN SHARE MODE)
       UNION ALL
       (SELECT id, external_id, updated_at FROM customers
         WHERE environment_id = ? AND external_id IN (${list}) LOCK IN SHARE MODE)`,
      [...refs, tx.environmentId, tx.environmentId, ...refs],
    );
    const customers = new Map<string, string>();
    for (const row of rows) if (row.external_id !== null) customers.set(row.external_id, row.id);
    for (const row of rows) customers.set(row.id, row.id);
    return customers;
  }

  /** The meters on each event name (their rules decide which property an event must carry). */
  private async lookupMeters(ctx: RequestContext, eventNames: string[]): Promise<Map<string, MeterRule[]>> {
    const rows: Array<{
      event_name: string;
      code: string;
      aggregation: MeterRule['aggregation'];
      aggregation_key: string | null;
    }> = await runQuery(
      ctx,
      `SELECT event_name, code, aggregation, aggregation_key FROM meters
        WHERE environment_id = ? AND event_name IN (${placeholders(eventNames.length)})`,
      [ctx.environmentId, ...eventNames],
    );
    const meters = new Map<string, MeterRule[]>();
    for (const row of rows) {
      const rule: MeterRule = {
        code: row.code,
        aggregation: row.aggregation,
        aggregationKey: row.aggregation_key,
      };
      const list = meters.get(row.event_name);
      if (list) list.push(rule);
      else meters.set(row.event_name, [rule]);
    }
    return meters;
  }

  /**
   * Stores `rows` with one INSERT IGNORE in the caller's transaction and returns the keys that were new.
   * When every row was inserted the affected-row count says so; otherwise the rows are read back by key and
   * a row is ours exactly when it carries this request's marker, which stays true under any concurrency (an
   * INSERT IGNORE that meets another request's uncommitted row waits for it, so every key exists, committed
   * or ours, by the time we read).
   */
  private async insert(
    tx: RequestContext,
    rows: Candidate[],
    receivedAt: Date,
  ): Promise<Set<string> | 'all'> {
    if (!rows.length) return new Set();
    rows.sort((a, b) =>
      a.customerId === b.customerId
        ? compareText(a.event.idempotencyKey, b.event.idempotencyKey)
        : compareText(a.customerId, b.customerId),
    );
    const marker = newBatchMarker();
    const received = sqlDateTime(receivedAt);
    const params: unknown[] = new Array(rows.length * INSERT_WIDTH);
    let p = 0;
    for (const { customerId, event } of rows) {
      params[p++] = tx.environmentId;
      params[p++] = customerId;
      params[p++] = event.eventName;
      params[p++] = event.idempotencyKey;
      params[p++] = sqlDateTime(event.occurredAt);
      params[p++] = received;
      params[p++] = marker;
      params[p++] = event.propertiesJson;
    }
    const result: WriteResult = await runQuery(tx, insertSql(rows.length), params);
    if (result.affectedRows === rows.length) return 'all';
    if (result.affectedRows === 0) return new Set();
    return this.keysWithMarker(tx, rows, marker);
  }

  private async keysWithMarker(tx: RequestContext, rows: Candidate[], marker: string): Promise<Set<string>> {
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
    const found: Array<{ customer_id: string; idempotency_key: string; ingest_batch: string }> =
      await runQuery(
        tx,
        `SELECT customer_id, idempotency_key, ingest_batch FROM usage_events
          WHERE environment_id = ? AND (${clauses.join(' OR ')}) LOCK IN SHARE MODE`,
        params,
      );
    const ours = new Set<string>();
    for (const row of found) {
      if (String(row.ingest_batch) === marker) ours.add(dedupeKey(row.customer_id, row.idempotency_key));
    }
    return ours;
  }
}

/** The multi-row INSERT IGNORE for `rows` rows; the text of the common sizes is built once. */
const insertSqlCache = new Map<number, string>();
function insertSql(rows: number): string {
  let sql = insertSqlCache.get(rows);
  if (!sql) {
    sql = `INSERT IGNORE INTO usage_events ${INSERT_COLUMNS} VALUES ${rowPlaceholders(rows, INSERT_WIDTH)}`;
    if (insertSqlCache.size < 64) insertSqlCache.set(rows, sql);
  }
  return sql;
}

function unknownCustomer(ref: string): EventRejection {
  return {
    code: 'UNKNOWN_CUSTOMER',
    field: 'customer_id',
    message: `No customer has the id or external id ${JSON.stringify(ref)}`,
  };
}

function uniqueValues(checked: Checked[], value: (c: Checked) => string): string[] {
  return [...new Set(checked.map(value))];
}

const SURROGATES = /[\uD800-\uFFFF]/;

/**
 * Byte order of the UTF-8 text, which is utf8mb4_bin's order for the unique key's columns. UTF-16 order
 * (`<`) agrees with it except around surrogate pairs, so only such strings pay for a byte comparison.
 */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (SURROGATES.test(a) || SURROGATES.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : 1;
}

function summarize(results: EventOutcome[]): IngestResult {
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;
  for (const result of results) {
    if (result.status === 'accepted') accepted++;
    else if (result.status === 'duplicate') duplicates++;
    else rejected++;
  }
  return { accepted, duplicates, rejected, results };
}
