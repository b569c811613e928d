import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/config';
import type { RequestContext } from '../context';
import { badInput } from '../domain/errors';
import {
  checkAggregationProperty,
  checkUsageEvent,
  MAX_BATCH_SIZE,
  type CheckedUsageEvent,
  type EventRejection,
  type MeterRule,
} from '../domain/usage-event';
import { SingleEventCoalescer } from './event-coalescer';
import { placeholders, rowPlaceholders, runQuery, sqlDateTime, type WriteResult } from './usage-sql';

/**
 * Says whether the invoice of the period holding `occurredAt` is already finalized for a customer;
 * events for such a period are rejected. The invoice engine plugs the real check in
 * (`EventIngestionService.useClosedPeriodGuard`); until then every period is open.
 */
export interface ClosedPeriodGuard {
  isClosed(ctx: RequestContext, customerId: string, occurredAt: Date): Promise<boolean>;
  /**
   * Optional bulk form, used when present: the finalized [from, to) ranges (epoch ms) of each customer,
   * fetched in one query for a whole batch instead of one per customer.
   */
  closedRanges?(
    ctx: RequestContext,
    customerIds: readonly string[],
  ): Promise<Map<string, Array<[number, number]>>>;
}

export const ALL_PERIODS_OPEN: ClosedPeriodGuard = { isClosed: async () => false };

export type EventOutcome =
  | { index: number; status: 'accepted' }
  | { index: number; status: 'duplicate' }
  | { index: number; status: 'rejected'; error: EventRejection };

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** One entry per submitted event, in submission order. */
  results: EventOutcome[];
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
 * Validates, dedupes and stores usage events. One multi-row INSERT IGNORE per call, rows sorted by the
 * unique key so concurrent batches lock keys in the same order (no deadlocks, DESIGN §5). The insert is
 * committed before the method returns, so an `accepted` answer means durable.
 */
export class EventIngestionService {
  private readonly committedListeners: Array<() => void> = [];
  private readonly coalescer = new SingleEventCoalescer((ctx, events) => this.ingest(ctx, events));

  constructor(
    private readonly config: AppConfig,
    private closedPeriods: ClosedPeriodGuard = ALL_PERIODS_OPEN,
  ) {}

  /** The invoice engine calls this at start to reject events for finalized periods. */
  useClosedPeriodGuard(guard: ClosedPeriodGuard): void {
    this.closedPeriods = guard;
  }

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
    const checked: Array<{ index: number; event: CheckedUsageEvent }> = [];
    events.forEach((raw, index) => {
      const result = checkUsageEvent(raw, now, this.config.eventGraceDays);
      if (result.ok) checked.push({ index, event: result.event });
      else outcomes[index] = { index, status: 'rejected', error: result.rejection };
    });

    const { customers, meters } = await this.lookupCatalog(
      ctx,
      checked.map((c) => c.event.customerRef),
      checked.map((c) => c.event.eventName),
    );

    const isClosed = await this.closedPeriodCheck(ctx, [...new Set(customers.values())]);
    const candidates: Candidate[] = [];
    await Promise.all(
      checked.map(async ({ index, event }) => {
        const rejection = await this.checkAgainstCatalog(ctx, event, customers, meters, isClosed);
        if (rejection) outcomes[index] = { index, status: 'rejected', error: rejection };
        else candidates.push({ index, customerId: customers.get(event.customerRef)!, event });
      }),
    );

    // The same key twice in one batch: the first (lowest index) wins, the others are duplicates.
    candidates.sort((a, b) => a.index - b.index);
    const unique = new Map<string, Candidate>();
    for (const candidate of candidates) {
      const key = dedupeKey(candidate.customerId, candidate.event.idempotencyKey);
      if (unique.has(key)) outcomes[candidate.index] = { index: candidate.index, status: 'duplicate' };
      else unique.set(key, candidate);
    }

    const rows = [...unique.values()];
    const newKeys = await this.insert(ctx, rows, now);
    for (const row of rows) {
      const isNew = newKeys === 'all' || newKeys.has(dedupeKey(row.customerId, row.event.idempotencyKey));
      outcomes[row.index] = { index: row.index, status: isNew ? 'accepted' : 'duplicate' };
    }
    if (newKeys === 'all' ? rows.length > 0 : newKeys.size > 0) {
      ctx.afterCommit(() => this.committedListeners.forEach((listener) => listener()));
    }
    return summarize(outcomes);
  }

  private async checkAgainstCatalog(
    ctx: RequestContext,
    event: CheckedUsageEvent,
    customers: Map<string, string>,
    meters: Map<string, MeterRule[]>,
    isClosed: (customerId: string, occurredAt: Date) => boolean | Promise<boolean>,
  ): Promise<EventRejection | null> {
    const customerId = customers.get(event.customerRef);
    if (!customerId) {
      return {
        code: 'UNKNOWN_CUSTOMER',
        field: 'customer_id',
        message: `No customer has the id or external id ${JSON.stringify(event.customerRef)}`,
      };
    }
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
    ctx: RequestContext,
    customerIds: string[],
  ): Promise<(customerId: string, occurredAt: Date) => boolean | Promise<boolean>> {
    const guard = this.closedPeriods;
    if (!guard.closedRanges) return (customerId, occurredAt) => guard.isClosed(ctx, customerId, occurredAt);
    const ranges = customerIds.length ? await guard.closedRanges(ctx, customerIds) : new Map();
    return (customerId, occurredAt) => {
      const t = occurredAt.getTime();
      return (ranges.get(customerId) ?? []).some(([from, to]: [number, number]) => from <= t && t < to);
    };
  }

  /**
   * One round trip for both lookups the checks need: each customer reference (Tally id or external id)
   * mapped to the Tally id, an id match winning; and the meters on each event name.
   */
  private async lookupCatalog(
    ctx: RequestContext,
    customerRefs: string[],
    eventNames: string[],
  ): Promise<{ customers: Map<string, string>; meters: Map<string, MeterRule[]> }> {
    const customers = new Map<string, string>();
    const meters = new Map<string, MeterRule[]>();
    const refs = [...new Set(customerRefs)];
    const names = [...new Set(eventNames)];
    if (!refs.length) return { customers, meters };
    const refList = placeholders(refs.length);
    const rows: Array<{ kind: 'C' | 'M'; a: string; b: string | null; c: string | null; d: string | null }> =
      await runQuery(
        ctx,
        `SELECT 'C' AS kind, id AS a, external_id AS b, NULL AS c, NULL AS d FROM customers
          WHERE environment_id = ? AND (id IN (${refList}) OR external_id IN (${refList}))
         UNION ALL
         SELECT 'M', event_name, code, aggregation, aggregation_key FROM meters
          WHERE environment_id = ? AND event_name IN (${placeholders(names.length)})`,
        [ctx.environmentId, ...refs, ...refs, ctx.environmentId, ...names],
      );
    for (const row of rows) {
      if (row.kind === 'C' && row.b !== null) customers.set(row.b, row.a);
    }
    for (const row of rows) {
      if (row.kind === 'C') customers.set(row.a, row.a);
      else {
        const rule: MeterRule = {
          code: row.b!,
          aggregation: row.c as MeterRule['aggregation'],
          aggregationKey: row.d,
        };
        meters.set(row.a, [...(meters.get(row.a) ?? []), rule]);
      }
    }
    return { customers, meters };
  }

  /**
   * Stores `rows` with one INSERT IGNORE (autocommitted, or part of the caller's transaction) and returns
   * the keys that were new. When every row was inserted the affected-row count says so; otherwise the
   * rows are read back by key and a row is ours exactly when it carries this request's marker, which
   * stays true under any concurrency (an INSERT IGNORE that meets another request's uncommitted row waits
   * for it, so every key exists, committed, by the time we read).
   */
  private async insert(
    ctx: RequestContext,
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
      params[p++] = ctx.environmentId;
      params[p++] = customerId;
      params[p++] = event.eventName;
      params[p++] = event.idempotencyKey;
      params[p++] = sqlDateTime(event.occurredAt);
      params[p++] = received;
      params[p++] = marker;
      params[p++] = event.propertiesJson;
    }
    const sql = `INSERT IGNORE INTO usage_events ${INSERT_COLUMNS} VALUES ${rowPlaceholders(rows.length, INSERT_WIDTH)}`;
    const result = await this.insertWithRetry(ctx, sql, params);
    if (result.affectedRows === rows.length) return 'all';
    if (result.affectedRows === 0) return new Set();
    return this.keysWithMarker(ctx, rows, marker);
  }

  /**
   * An autocommitted statement that deadlocks was rolled back whole, so running it again is safe. Inside a
   * caller's transaction the whole transaction is gone: the error goes up to its retrying helper.
   */
  private async insertWithRetry(ctx: RequestContext, sql: string, params: unknown[]): Promise<WriteResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await runQuery(ctx, sql, params)) as WriteResult;
      } catch (error) {
        if (ctx.transaction || attempt >= MAX_INSERT_ATTEMPTS || !isDeadlock(error)) throw error;
        ctx.log.warn({ attempt }, 'event insert deadlocked; retrying');
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  }

  private async keysWithMarker(ctx: RequestContext, rows: Candidate[], marker: string): Promise<Set<string>> {
    const byCustomer = new Map<string, string[]>();
    for (const row of rows) {
      byCustomer.set(row.customerId, [...(byCustomer.get(row.customerId) ?? []), row.event.idempotencyKey]);
    }
    const clauses: string[] = [];
    const params: unknown[] = [ctx.environmentId];
    for (const [customerId, keys] of byCustomer) {
      clauses.push(`(customer_id = ? AND idempotency_key IN (${placeholders(keys.length)}))`);
      params.push(customerId, ...keys);
    }
    // A locking read sees the latest committed rows even inside a caller's older snapshot.
    const found: Array<{ customer_id: string; idempotency_key: string; ingest_batch: string }> =
      await runQuery(
        ctx,
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

const DEADLOCK_ERRNO = 1213;
const MAX_INSERT_ATTEMPTS = 4;

function isDeadlock(error: unknown): boolean {
  const e = error as { errno?: number; driverError?: { errno?: number } };
  return (e?.errno ?? e?.driverError?.errno) === DEADLOCK_ERRNO;
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
