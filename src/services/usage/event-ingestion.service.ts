import type { AppConfig } from '../../config/config';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput } from '../../domain/errors';
import {
  checkAgainstMeter,
  checkUsageEvent,
  MAX_BATCH_SIZE,
  type CheckedUsageEvent,
  type EventRejection,
  type MeterRule,
} from '../../domain/usage-event';
import { SingleEventCoalescer } from './event-coalescer';
import type { EventOutcome, IngestResult } from './ingest-outcome';
import { dedupeKey, insertUsageEvents, type Candidate } from './usage-event-insert';
import { placeholders, runQuery } from './usage-sql';

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

/**
 * Validates, dedupes and stores usage events. One transaction and one multi-row insert per call (see
 * insertUsageEvents: rows sorted by the unique key, every refused row reported as such). The
 * transaction is committed before the method returns, so an `accepted` answer means durable. Per call, the
 * database sees a fixed handful of statements whatever the batch size: the meters, the customers (locked),
 * the closed periods, the insert (and a read-back only when some keys already existed).
 */
export class EventIngestionService {
  private readonly committedListeners: Array<() => void> = [];
  private readonly answeredListeners: Array<(result: IngestResult) => void> = [];
  private readonly coalescer = new SingleEventCoalescer((ctx, events) => this.ingest(ctx, events));

  constructor(
    private readonly config: AppConfig,
    private readonly closedPeriods: ClosedPeriodGuard,
  ) {}

  /** Called after events are committed (the aggregator wakes up on it). */
  onCommitted(listener: () => void): void {
    this.committedListeners.push(listener);
  }

  /** Called with every ingestion answer (metrics count accepted, duplicate and rejected events). */
  onAnswered(listener: (result: IngestResult) => void): void {
    this.answeredListeners.push(listener);
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
    const result = summarize(outcomes);
    for (const listener of this.answeredListeners) listener(result);
    return result;
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
    // Meters only validate properties, and only `allowNegative` ever changes on one (an event racing that
    // change is judged by either setting, as if it had come just before or after): read them beside the
    // transaction.
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
      const stored = await insertUsageEvents(tx, rows, receivedAt);
      let inserted = false;
      for (const row of rows) {
        const found =
          stored === 'all' ? 'ours' : stored.get(dedupeKey(row.customerId, row.event.idempotencyKey));
        if (found === 'ours') inserted = true;
        outcomes.push(
          found === 'ours'
            ? { index: row.index, status: 'accepted' }
            : found === 'existing'
              ? { index: row.index, status: 'duplicate' }
              : { index: row.index, status: 'rejected', error: notStorable() },
        );
      }
      return { outcomes, inserted };
    });
  }

  private async checkAgainstCatalog(
    event: CheckedUsageEvent,
    customerId: string,
    meters: Map<string, MeterRule[]>,
    isClosed: (customerId: string, occurredAt: Date) => boolean | Promise<boolean>,
  ): Promise<EventRejection | null> {
    for (const meter of meters.get(event.eventName) ?? []) {
      const rejection = checkAgainstMeter(event.properties, meter);
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
      group_keys: string | string[];
      allow_negative: number | boolean;
    }> = await runQuery(
      ctx,
      `SELECT event_name, code, aggregation, aggregation_key, group_keys, allow_negative FROM meters
        WHERE environment_id = ? AND event_name IN (${placeholders(eventNames.length)})`,
      [ctx.environmentId, ...eventNames],
    );
    const meters = new Map<string, MeterRule[]>();
    for (const row of rows) {
      const rule: MeterRule = {
        code: row.code,
        aggregation: row.aggregation,
        aggregationKey: row.aggregation_key,
        // MariaDB's JSON is LONGTEXT: the driver hands it over as text.
        groupKeys:
          typeof row.group_keys === 'string' ? (JSON.parse(row.group_keys) as string[]) : row.group_keys,
        allowNegative: Boolean(Number(row.allow_negative)),
      };
      const list = meters.get(row.event_name);
      if (list) list.push(rule);
      else meters.set(row.event_name, [rule]);
    }
    return meters;
  }
}

function notStorable(): EventRejection {
  return {
    code: 'NOT_STORABLE',
    field: 'event',
    message: 'The database refused this event; it was not stored',
  };
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
