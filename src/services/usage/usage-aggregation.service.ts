import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import {
  advanceLiveProgress,
  unaggregatedIdRanges,
  type LiveProgress,
} from '../../domain/aggregation-progress';
import {
  inIdRanges,
  type IdGap,
  type MeterDefinition,
  type StoredUsageEvent,
} from '../../domain/usage-rollup';
import { writeIsolating, type IsolatedWrite, type RollupItem } from './rollup-isolation';
import {
  assertNoSetAsideUsage,
  markFailedAgain,
  markResolved,
  recordSetAside,
  takeQueuedRetries,
} from './set-aside-events';
import { placeholders, rowPlaceholders, runQuery, sqlDateTime } from './usage-sql';
import type { RollupWriteStage } from './usage-rollup-writer';

/**
 * Events rolled up per transaction by the live stream: enough for a few hundred milliseconds of a heavy
 * stream (a run's cost is mostly per aggregate row it upserts, not per event), small enough that one run
 * holds the event loop for only a few tens of milliseconds.
 */
export const LIVE_CHUNK_SIZE = 10_000;
/** Id range a backfill scans per transaction (it filters the range by event name, so it reads more rows). */
export const BACKFILL_SCAN_SIZE = 50_000;
/**
 * How long an id gap is revisited. Inserts are single autocommitted statements bounded by the lock wait
 * timeout (50 s); an id still missing after this is a hole left by a duplicate or a rollback.
 */
export const GAP_HORIZON_MS = 5 * 60 * 1000;
/** Re-queued set-aside events rolled up per live run (each is one event: few and small). */
export const RETRY_BATCH_SIZE = 500;

/** Stages a test can make fail, to prove a crash between them leaves aggregates and watermark consistent. */
export type AggregationStage = RollupWriteStage | 'before-commit';

export interface UsageAggregationOptions {
  /** Throws at this stage of every run that reaches it, to simulate a crash mid-transaction (tests only). */
  failAt?: AggregationStage;
}

/** A customer whose usage aggregates changed. */
export interface AffectedCustomer {
  environmentId: string;
  customerId: string;
}

/** What one aggregation run did. */
export interface AggregationRun {
  /** True when more work may be waiting right away. */
  more: boolean;
  /** Customers whose aggregates changed (to notify once the run committed). */
  affected: AffectedCustomer[];
  /** Events that carried no usable value for one of their meters. */
  skipped: number;
  /** Events that could not be rolled up and were set aside (see usage_event_failures). */
  setAside: number;
}

/** What rolling up the re-queued set-aside events did. */
interface RetryRun {
  more: boolean;
  affected: AffectedCustomer[];
  skipped: number;
}

function uniqueCustomers(customers: readonly AffectedCustomer[]): AffectedCustomer[] {
  const byKey = new Map(customers.map((c) => [`${c.environmentId}\u0000${c.customerId}`, c]));
  return [...byKey.values()];
}

/** The usage a draft invoice covers: a customer's events in [from, to) on the contract's meters. */
export interface UsageScope {
  environmentId: string;
  customerId: string;
  from: Date;
  to: Date;
  meterIds: readonly string[];
}

interface EventRow {
  id: string | number;
  environment_id: string;
  customer_id: string;
  event_name: string;
  occurred_at: Date;
  properties: string | Record<string, unknown>;
}

interface MeterRow {
  id: string;
  environment_id: string;
  event_name: string;
  aggregation: MeterDefinition['aggregation'];
  aggregation_key: string | null;
  group_keys: string | string[];
}

interface ProgressRow {
  last_event_id: string;
  pending_gaps: string | IdGap[];
}

const EVENT_COLUMNS = 'id, environment_id, customer_id, event_name, occurred_at, properties';

/** JSON columns come back as text or parsed, depending on the driver path. */
function json<T>(value: string | T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

function toStoredEvent(row: EventRow): StoredUsageEvent {
  return {
    id: Number(row.id),
    environmentId: row.environment_id,
    customerId: row.customer_id,
    eventName: row.event_name,
    occurredAt: row.occurred_at,
    properties: json(row.properties),
  };
}

function toMeter(row: MeterRow): MeterDefinition {
  return {
    id: row.id,
    environmentId: row.environment_id,
    eventName: row.event_name,
    aggregation: row.aggregation,
    aggregationKey: row.aggregation_key,
    groupKeys: json(row.group_keys),
  };
}

function toProgress(row: ProgressRow): LiveProgress {
  return { lastEventId: Number(row.last_event_id), gaps: json(row.pending_gaps) };
}

/**
 * Rolls stored usage events into usage_aggregates / usage_distinct_values, incrementally; the only owner
 * of the aggregator's progress (usage_aggregator_progress, usage_meter_backfills).
 *
 * Live stream: under the `live` progress row (SELECT … FOR UPDATE SKIP LOCKED, so several processes take
 * turns instead of double counting), read the next chunk of events by id, upsert their deltas, and move the
 * watermark, all in one transaction: a crash at any point leaves either all of it or none of it.
 * Ids allocated but not yet committed when the chunk was read (concurrent inserts commit out of order) are
 * remembered as gaps and picked up when they appear.
 *
 * Poison events: an event the aggregate tables reject (a group-key value longer than dimension_key, …) would
 * fail its chunk on every run and stall every tenant. Chunks are written under a savepoint and bisected on a
 * data error (writeIsolating): the failing event is set aside in usage_event_failures, in the transaction
 * that moves the watermark past it, and the rest is aggregated. A retry request re-queues it; the live run
 * then rolls it up and marks it resolved in one transaction (exactly once).
 *
 * Meters created after their events: a meter is registered the first time the live stream runs after its
 * creation; from then on the live stream counts it, and a backfill rolls up, for that meter alone, the events
 * the live stream had already passed (id <= the watermark at registration, minus the gaps the live stream
 * still owns).
 */
export class UsageAggregationService {
  constructor(private readonly options: UsageAggregationOptions = {}) {}

  /** Rolls up the next chunk of the live stream (and the gap events that appeared) in one transaction. */
  async aggregateLive(ctx: RequestContext): Promise<AggregationRun> {
    return withTransaction(ctx, async (tx) => {
      const [row] = await runQuery<ProgressRow[]>(
        tx,
        `SELECT last_event_id, pending_gaps FROM usage_aggregator_progress
          WHERE stream = 'live' FOR UPDATE SKIP LOCKED`,
      );
      if (!row) return { more: false, affected: [], skipped: 0, setAside: 0 }; // another process is rolling up right now
      const progress = toProgress(row);

      await this.registerNewMeters(tx, progress);

      const gapRows = progress.gaps.length ? await this.readGapEvents(tx, progress.gaps) : [];
      const rows = await runQuery<EventRow[]>(
        tx,
        `SELECT ${EVENT_COLUMNS} FROM usage_events WHERE id > ? ORDER BY id LIMIT ${LIVE_CHUNK_SIZE}`,
        [progress.lastEventId],
      );
      const events = rows.map(toStoredEvent);
      const gapEvents = gapRows.map(toStoredEvent);
      const next = advanceLiveProgress(
        progress,
        {
          gapIds: gapEvents.map((e) => e.id),
          eventIds: events.map((e) => e.id),
          gapsFullyRead: gapRows.length < LIVE_CHUNK_SIZE,
        },
        tx.now().getTime(),
        GAP_HORIZON_MS,
      );

      const all = [...gapEvents, ...events];
      const meters = await this.registeredMeters(tx, [...new Set(all.map((e) => e.environmentId))]);
      const items: RollupItem[] = [];
      for (const event of all) {
        const eventMeters = meters.get(`${event.environmentId}\u0000${event.eventName}`);
        if (eventMeters) items.push({ event, meters: eventMeters });
      }
      // A poison event is set aside (recorded with its reason) and the watermark moves past it with the
      // rest, so one bad event never holds up anyone else's usage.
      const written = await writeIsolating(tx, items, (stage) => this.maybeFail(stage));
      await recordSetAside(tx, written.setAside);
      const retried = await this.retryQueued(tx);
      this.maybeFail('before-commit');
      await runQuery(
        tx,
        `UPDATE usage_aggregator_progress SET last_event_id = ?, pending_gaps = ?, updated_at = ?
          WHERE stream = 'live'`,
        [next.lastEventId, JSON.stringify(next.gaps), sqlDateTime(tx.now())],
      );
      return {
        more: rows.length === LIVE_CHUNK_SIZE || gapRows.length === LIVE_CHUNK_SIZE || retried.more,
        affected: uniqueCustomers([...written.affected, ...retried.affected]),
        skipped: written.skipped + retried.skipped,
        setAside: written.setAside.length,
      };
    });
  }

  /**
   * Rolls up the set-aside events a retry re-queued, for the meters they failed on (meters registered
   * since then cover them through their backfill). Each is marked resolved in this transaction, the one
   * that adds it to the aggregates, so a retry counts it exactly once; one that fails again stays set aside
   * with its new reason.
   */
  private async retryQueued(tx: RequestContext): Promise<RetryRun> {
    const queued = await takeQueuedRetries(tx, RETRY_BATCH_SIZE);
    if (!queued.length) return { more: false, affected: [], skipped: 0 };
    const eventRows = await runQuery<EventRow[]>(
      tx,
      `SELECT ${EVENT_COLUMNS} FROM usage_events WHERE id IN (${placeholders(queued.length)})`,
      queued.map((q) => q.eventId),
    );
    const eventsById = new Map(eventRows.map((row) => [Number(row.id), toStoredEvent(row)]));
    const meterIds = [...new Set(queued.flatMap((q) => q.meterIds))];
    const meterRows = meterIds.length
      ? await runQuery<MeterRow[]>(
          tx,
          `SELECT id, environment_id, event_name, aggregation, aggregation_key, group_keys FROM meters
            WHERE id IN (${placeholders(meterIds.length)})`,
          meterIds,
        )
      : [];
    const metersById = new Map(meterRows.map((row) => [row.id, toMeter(row)]));
    const items: Array<RollupItem & { failureId: string }> = [];
    const nothingToCount: string[] = [];
    for (const q of queued) {
      const event = eventsById.get(q.eventId);
      const meters = q.meterIds.flatMap((id) => metersById.get(id) ?? []);
      if (event && meters.length) items.push({ failureId: q.failureId, event, meters });
      else nothingToCount.push(q.failureId); // the event or all its meters are gone
    }
    const written = await writeIsolating(tx, items, (stage) => this.maybeFail(stage));
    const failed = new Set(written.setAside.map((s) => s.item.failureId));
    for (const { item, code, reason } of written.setAside) {
      await markFailedAgain(tx, item.failureId, { code, reason });
    }
    await markResolved(tx, [
      ...nothingToCount,
      ...items.filter((i) => !failed.has(i.failureId)).map((i) => i.failureId),
    ]);
    return {
      more: queued.length === RETRY_BATCH_SIZE,
      affected: written.affected,
      skipped: written.skipped,
    };
  }

  /** Rolls up one slice of one pending backfill; `more` is true when backfill work remains. */
  async aggregateBackfill(ctx: RequestContext): Promise<AggregationRun> {
    return withTransaction(ctx, async (tx) => {
      const [backfill] = await runQuery<
        Array<{
          meter_id: string;
          environment_id: string;
          next_event_id: string;
          through_event_id: string;
          skip_ranges: string | IdGap[];
        }>
      >(
        tx,
        `SELECT meter_id, environment_id, next_event_id, through_event_id, skip_ranges FROM usage_meter_backfills
          WHERE completed_at IS NULL ORDER BY registered_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!backfill) return { more: false, affected: [], skipped: 0, setAside: 0 };
      const [meterRow] = await runQuery<MeterRow[]>(
        tx,
        `SELECT id, environment_id, event_name, aggregation, aggregation_key, group_keys FROM meters WHERE id = ?`,
        [backfill.meter_id],
      );
      const from = Number(backfill.next_event_id);
      const through = Number(backfill.through_event_id);
      const upTo = Math.min(from + BACKFILL_SCAN_SIZE - 1, through);
      let written: IsolatedWrite<RollupItem> = { affected: [], skipped: 0, setAside: [] };
      if (meterRow) {
        const meter = toMeter(meterRow);
        const skip = json(backfill.skip_ranges);
        const rows = await runQuery<EventRow[]>(
          tx,
          `SELECT ${EVENT_COLUMNS} FROM usage_events
            WHERE id BETWEEN ? AND ? AND environment_id = ? AND event_name = ? ORDER BY id`,
          [from, upTo, meter.environmentId, meter.eventName],
        );
        const items = rows
          .map(toStoredEvent)
          .filter((event) => !inIdRanges(event.id, skip))
          .map((event) => ({ event, meters: [meter] }));
        written = await writeIsolating(tx, items, (stage) => this.maybeFail(stage));
        await recordSetAside(tx, written.setAside);
      }
      const done = !meterRow || upTo >= through;
      await runQuery(
        tx,
        `UPDATE usage_meter_backfills SET next_event_id = ?, completed_at = ? WHERE meter_id = ?`,
        [upTo + 1, done ? sqlDateTime(tx.now()) : null, backfill.meter_id],
      );
      return {
        more: true,
        affected: written.affected,
        skipped: written.skipped,
        setAside: written.setAside.length,
      };
    });
  }

  /**
   * Where the live stream stands: every event id up to `lastEventId` is rolled up except those in `gaps`
   * (allocated ids not yet committed when the stream passed them). Null before the first run.
   */
  async liveProgress(ctx: RequestContext): Promise<LiveProgress | null> {
    const [row] = (await ctx.manager.query(
      `SELECT last_event_id, pending_gaps FROM usage_aggregator_progress WHERE stream = 'live'`,
    )) as ProgressRow[];
    return row ? toProgress(row) : null;
  }

  /**
   * True when some event in the scope is stored but not yet rolled up (the live stream is behind, or one of
   * the meters' backfill has yet to reach an event of the scope): freezing an invoice then would miss that
   * usage, and only then does it wait. Only the live
   * stream's lag is scanned (ids above its watermark, and its gaps), never the customer's whole history.
   * Throws CONFLICT when usage of the scope was set aside (a poison event): waiting would never end.
   */
  async pendingAggregation(ctx: RequestContext, scope: UsageScope): Promise<boolean> {
    await assertNoSetAsideUsage(ctx, scope);
    const progress = await this.liveProgress(ctx);
    if (!progress) return false;
    const ranges = unaggregatedIdRanges(progress);
    const where = ranges.map(() => '(id BETWEEN ? AND ?)').join(' OR ');
    const [pending] = (await ctx.manager.query(
      `SELECT 1 AS pending FROM usage_events
        WHERE (${where}) AND environment_id = ? AND customer_id = ? AND occurred_at >= ? AND occurred_at < ?
        LIMIT 1`,
      [
        ...ranges.flat(),
        scope.environmentId,
        scope.customerId,
        sqlDateTime(scope.from),
        sqlDateTime(scope.to),
      ],
    )) as unknown[];
    if (pending) return true;
    if (!scope.meterIds.length) return false;
    // A meter still backfilling holds up only the scopes it has events for: an event of this customer, in
    // this period, of the meter's event name, in the id range the backfill has not reached yet (by the
    // customer/name/time index). Its skip ranges are the live stream's gaps, already checked above.
    const [backfill] = (await ctx.manager.query(
      `SELECT 1 AS pending FROM usage_meter_backfills b
         JOIN meters m ON m.id = b.meter_id
         JOIN usage_events e ON e.environment_id = ? AND e.customer_id = ? AND e.event_name = m.event_name
          AND e.occurred_at >= ? AND e.occurred_at < ? AND e.id BETWEEN b.next_event_id AND b.through_event_id
        WHERE b.completed_at IS NULL AND b.meter_id IN (${placeholders(scope.meterIds.length)}) LIMIT 1`,
      [
        scope.environmentId,
        scope.customerId,
        sqlDateTime(scope.from),
        sqlDateTime(scope.to),
        ...scope.meterIds,
      ],
    )) as unknown[];
    return Boolean(backfill);
  }

  /**
   * Registers meters the aggregator has not seen. The live stream counts them from the next event on;
   * events it already passed get a backfill (none is needed when no event was ever read).
   */
  private async registerNewMeters(tx: RequestContext, progress: LiveProgress): Promise<void> {
    const fresh = await runQuery<Array<{ id: string; environment_id: string }>>(
      tx,
      `SELECT m.id, m.environment_id FROM meters m
         LEFT JOIN usage_meter_backfills b ON b.meter_id = m.id
        WHERE b.meter_id IS NULL ORDER BY m.id`,
    );
    if (!fresh.length) return;
    const lastId = progress.lastEventId;
    const now = sqlDateTime(tx.now());
    const completed = lastId === 0 ? now : null;
    const skip = JSON.stringify(progress.gaps);
    const params = fresh.flatMap((m) => [m.id, m.environment_id, 1, lastId, skip, now, completed]);
    await runQuery(
      tx,
      `INSERT INTO usage_meter_backfills
         (meter_id, environment_id, next_event_id, through_event_id, skip_ranges, registered_at, completed_at)
       VALUES ${rowPlaceholders(fresh.length, 7)}
       ON DUPLICATE KEY UPDATE meter_id = meter_id`,
      params,
    );
  }

  /** Meters of these environments the aggregator has registered, by environment and event name. */
  private async registeredMeters(
    tx: RequestContext,
    environmentIds: string[],
  ): Promise<Map<string, MeterDefinition[]>> {
    const byName = new Map<string, MeterDefinition[]>();
    if (!environmentIds.length) return byName;
    const rows = await runQuery<MeterRow[]>(
      tx,
      `SELECT m.id, m.environment_id, m.event_name, m.aggregation, m.aggregation_key, m.group_keys
         FROM meters m JOIN usage_meter_backfills b ON b.meter_id = m.id
        WHERE m.environment_id IN (${placeholders(environmentIds.length)})`,
      environmentIds,
    );
    for (const row of rows) {
      const meter = toMeter(row);
      const key = `${meter.environmentId}\u0000${meter.eventName}`;
      byName.set(key, [...(byName.get(key) ?? []), meter]);
    }
    return byName;
  }

  private readGapEvents(tx: RequestContext, gaps: IdGap[]): Promise<EventRow[]> {
    const ranges = gaps.map(() => '(id BETWEEN ? AND ?)').join(' OR ');
    return runQuery<EventRow[]>(
      tx,
      `SELECT ${EVENT_COLUMNS} FROM usage_events WHERE ${ranges} ORDER BY id LIMIT ${LIVE_CHUNK_SIZE}`,
      gaps.flatMap(([first, last]) => [first, last]),
    );
  }

  private maybeFail(stage: AggregationStage): void {
    if (this.options.failAt === stage) throw new Error(`aggregator failure injected at ${stage}`);
  }
}
