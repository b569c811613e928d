import type { RequestContext } from '../context';
import { withTransaction } from '../db/transaction';
import {
  expireIdGaps,
  findIdGaps,
  inIdRanges,
  removeFoundIds,
  UsageRollup,
  type IdGap,
  type MeterDefinition,
  type StoredUsageEvent,
} from '../domain/usage-rollup';
import type { Logger } from '../logger';
import type { PubSub } from '../services/common';
import { placeholders, rowPlaceholders, runQuery, sqlDateTime } from '../services/usage';
import { PeriodicWorker } from './worker';

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
const UPSERT_ROWS_PER_STATEMENT = 1_000;
/**
 * Wake-ups (one per ingestion commit) start a run at most this often: under a stream of single events a run
 * per commit would cost more than the events; waiting a little rolls many up in one transaction. Each run
 * upserts one row per (customer, meter, hour, dimension values) it saw: with many customers and dimension
 * combinations, short runs upsert nearly one row per event, while a longer interval lets each row absorb
 * many events. With bench:ingest (900 combinations per hour) 200 ms kept the p99 lag near 0.3-0.4 s
 * (target < 1 s) under 40-50k events/s.
 */
const MIN_WAKE_INTERVAL_MS = 200;

/** Stages a test can make fail, to prove a crash between them leaves aggregates and watermark consistent. */
export type AggregatorStage = 'after-aggregates' | 'after-distinct-values' | 'before-commit';

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

const EVENT_COLUMNS = 'id, environment_id, customer_id, event_name, occurred_at, properties';

function toStoredEvent(row: EventRow): StoredUsageEvent {
  return {
    id: Number(row.id),
    environmentId: row.environment_id,
    customerId: row.customer_id,
    eventName: row.event_name,
    occurredAt: row.occurred_at,
    properties: typeof row.properties === 'string' ? JSON.parse(row.properties) : row.properties,
  };
}

function toMeter(row: MeterRow): MeterDefinition {
  return {
    id: row.id,
    environmentId: row.environment_id,
    eventName: row.event_name,
    aggregation: row.aggregation,
    aggregationKey: row.aggregation_key,
    groupKeys: typeof row.group_keys === 'string' ? JSON.parse(row.group_keys) : row.group_keys,
  };
}

/**
 * Rolls stored usage events into usage_aggregates / usage_distinct_values, incrementally.
 *
 * Live stream: under the `live` progress row (SELECT … FOR UPDATE SKIP LOCKED, so several processes take
 * turns instead of double counting), read the next chunk of events by id, upsert their deltas, and move the
 * watermark, all in one transaction: a crash at any point leaves either all of it or none of it.
 * Ids allocated but not yet committed when the chunk was read (concurrent inserts commit out of order) are
 * remembered as gaps and picked up when they appear.
 *
 * Meters created after their events: a meter is registered the first time the live stream runs after its
 * creation; from then on the live stream counts it, and a backfill rolls up, for that meter alone, the events
 * the live stream had already passed (id <= the watermark at registration, minus the gaps the live stream
 * still owns).
 */
export class AggregatorWorker extends PeriodicWorker {
  /** Test hook: throws at a stage to simulate a crash mid-transaction. */
  failAt: AggregatorStage | null = null;

  constructor(
    private readonly context: () => RequestContext,
    private readonly pubsub: PubSub,
    intervalMs: number,
    log: Logger,
  ) {
    super('aggregator', intervalMs, log);
  }

  private lastRunAt = 0;
  private wakeTimer: NodeJS.Timeout | null = null;

  override wake(): void {
    if (this.wakeTimer) return;
    const wait = this.lastRunAt + MIN_WAKE_INTERVAL_MS - performance.now();
    if (wait <= 0) return super.wake();
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      super.wake();
    }, wait);
    this.wakeTimer.unref?.();
  }

  override async stop(): Promise<void> {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    await super.stop();
  }

  protected async runOnce(): Promise<boolean> {
    this.lastRunAt = performance.now();
    const live = await this.runLiveChunk();
    const backfill = await this.runBackfillChunk();
    return live || backfill;
  }

  /** Returns true when more events may be waiting. */
  async runLiveChunk(): Promise<boolean> {
    let affected: Array<{ environmentId: string; customerId: string }> = [];
    const more = await withTransaction(this.context(), async (tx) => {
      const [progress] = (await runQuery(
        tx,
        `SELECT last_event_id, pending_gaps FROM usage_aggregator_progress
          WHERE stream = 'live' FOR UPDATE SKIP LOCKED`,
      )) as Array<{ last_event_id: string; pending_gaps: string | IdGap[] }>;
      if (!progress) return false; // another process is rolling up right now
      const lastId = Number(progress.last_event_id);
      const nowMs = tx.now().getTime();
      let gaps: IdGap[] =
        typeof progress.pending_gaps === 'string' ? JSON.parse(progress.pending_gaps) : progress.pending_gaps;

      await this.registerNewMeters(tx, lastId, gaps);

      const gapRows = gaps.length ? await this.readGapEvents(tx, gaps) : [];
      const rows = (await runQuery(
        tx,
        `SELECT ${EVENT_COLUMNS} FROM usage_events WHERE id > ? ORDER BY id LIMIT ${LIVE_CHUNK_SIZE}`,
        [lastId],
      )) as EventRow[];
      const events = rows.map(toStoredEvent);
      const gapEvents = gapRows.map(toStoredEvent);

      const newLastId = events.length ? events[events.length - 1].id : lastId;
      gaps = removeFoundIds(
        gaps,
        gapEvents.map((e) => e.id),
      );
      // Only expire gaps when every event in them was read: one left unread must still be counted.
      if (gapRows.length < LIVE_CHUNK_SIZE) gaps = expireIdGaps(gaps, nowMs, GAP_HORIZON_MS);
      gaps.push(
        ...findIdGaps(
          lastId,
          events.map((e) => e.id),
          nowMs,
        ),
      );

      const rollup = new UsageRollup();
      const all = [...gapEvents, ...events];
      const meters = await this.registeredMeters(tx, [...new Set(all.map((e) => e.environmentId))]);
      for (const event of all) {
        for (const meter of meters.get(`${event.environmentId}\u0000${event.eventName}`) ?? []) {
          rollup.add(event, meter);
        }
      }
      await this.writeRollup(tx, rollup);
      this.maybeFail('before-commit');
      await runQuery(
        tx,
        `UPDATE usage_aggregator_progress SET last_event_id = ?, pending_gaps = ?, updated_at = ?
          WHERE stream = 'live'`,
        [newLastId, JSON.stringify(gaps), sqlDateTime(tx.now())],
      );
      if (rollup.skipped) this.log.debug({ skipped: rollup.skipped }, 'events without a usable meter value');
      affected = rollup.affectedCustomers();
      return rows.length === LIVE_CHUNK_SIZE || gapRows.length === LIVE_CHUNK_SIZE;
    });
    await this.publish(affected);
    return more;
  }

  /** Rolls up one slice of one pending backfill; returns true when backfill work remains. */
  async runBackfillChunk(): Promise<boolean> {
    let affected: Array<{ environmentId: string; customerId: string }> = [];
    const more = await withTransaction(this.context(), async (tx) => {
      const [backfill] = (await runQuery(
        tx,
        `SELECT meter_id, environment_id, next_event_id, through_event_id, skip_ranges FROM usage_meter_backfills
          WHERE completed_at IS NULL ORDER BY registered_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      )) as Array<{
        meter_id: string;
        environment_id: string;
        next_event_id: string;
        through_event_id: string;
        skip_ranges: string | IdGap[];
      }>;
      if (!backfill) return false;
      const [meterRow] = (await runQuery(
        tx,
        `SELECT id, environment_id, event_name, aggregation, aggregation_key, group_keys FROM meters WHERE id = ?`,
        [backfill.meter_id],
      )) as MeterRow[];
      const from = Number(backfill.next_event_id);
      const through = Number(backfill.through_event_id);
      const upTo = Math.min(from + BACKFILL_SCAN_SIZE - 1, through);
      const rollup = new UsageRollup();
      if (meterRow) {
        const meter = toMeter(meterRow);
        const skip: IdGap[] =
          typeof backfill.skip_ranges === 'string' ? JSON.parse(backfill.skip_ranges) : backfill.skip_ranges;
        const rows = (await runQuery(
          tx,
          `SELECT ${EVENT_COLUMNS} FROM usage_events
            WHERE id BETWEEN ? AND ? AND environment_id = ? AND event_name = ? ORDER BY id`,
          [from, upTo, meter.environmentId, meter.eventName],
        )) as EventRow[];
        for (const row of rows) {
          const event = toStoredEvent(row);
          if (!inIdRanges(event.id, skip)) rollup.add(event, meter);
        }
        await this.writeRollup(tx, rollup);
      }
      const done = !meterRow || upTo >= through;
      await runQuery(
        tx,
        `UPDATE usage_meter_backfills SET next_event_id = ?, completed_at = ? WHERE meter_id = ?`,
        [upTo + 1, done ? sqlDateTime(tx.now()) : null, backfill.meter_id],
      );
      affected = rollup.affectedCustomers();
      return true;
    });
    await this.publish(affected);
    return more;
  }

  /**
   * Registers meters the aggregator has not seen. The live stream counts them from the next event on;
   * events it already passed get a backfill (none is needed when no event was ever read).
   */
  private async registerNewMeters(tx: RequestContext, lastId: number, gaps: IdGap[]): Promise<void> {
    const fresh = (await runQuery(
      tx,
      `SELECT m.id, m.environment_id FROM meters m
         LEFT JOIN usage_meter_backfills b ON b.meter_id = m.id
        WHERE b.meter_id IS NULL ORDER BY m.id`,
    )) as Array<{ id: string; environment_id: string }>;
    if (!fresh.length) return;
    const now = sqlDateTime(tx.now());
    const completed = lastId === 0 ? now : null;
    const skip = JSON.stringify(gaps);
    const params = fresh.flatMap((m) => [m.id, m.environment_id, 1, lastId, skip, now, completed]);
    await runQuery(
      tx,
      `INSERT IGNORE INTO usage_meter_backfills
         (meter_id, environment_id, next_event_id, through_event_id, skip_ranges, registered_at, completed_at)
       VALUES ${rowPlaceholders(fresh.length, 7)}`,
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
    const rows = (await runQuery(
      tx,
      `SELECT m.id, m.environment_id, m.event_name, m.aggregation, m.aggregation_key, m.group_keys
         FROM meters m JOIN usage_meter_backfills b ON b.meter_id = m.id
        WHERE m.environment_id IN (${placeholders(environmentIds.length)})`,
      environmentIds,
    )) as MeterRow[];
    for (const row of rows) {
      const meter = toMeter(row);
      const key = `${meter.environmentId}\u0000${meter.eventName}`;
      byName.set(key, [...(byName.get(key) ?? []), meter]);
    }
    return byName;
  }

  private async readGapEvents(tx: RequestContext, gaps: IdGap[]): Promise<EventRow[]> {
    const ranges = gaps.map(() => '(id BETWEEN ? AND ?)').join(' OR ');
    return (await runQuery(
      tx,
      `SELECT ${EVENT_COLUMNS} FROM usage_events WHERE ${ranges} ORDER BY id LIMIT ${LIVE_CHUNK_SIZE}`,
      gaps.flatMap(([first, last]) => [first, last]),
    )) as EventRow[];
  }

  private async writeRollup(tx: RequestContext, rollup: UsageRollup): Promise<void> {
    const now = sqlDateTime(tx.now());
    const deltas = rollup.aggregateDeltas();
    for (let i = 0; i < deltas.length; i += UPSERT_ROWS_PER_STATEMENT) {
      const slice = deltas.slice(i, i + UPSERT_ROWS_PER_STATEMENT);
      const params = slice.flatMap((d) => [
        d.environmentId,
        d.customerId,
        d.meterId,
        sqlDateTime(d.bucketStart),
        d.dimensionKey,
        d.eventCount,
        d.sum.toFixed(),
        d.max?.toFixed() ?? null,
        d.latestValue?.toFixed() ?? null,
        d.latestAt ? sqlDateTime(d.latestAt) : null,
        d.latestEventId,
        now,
      ]);
      // MariaDB evaluates the assignments left to right: latest_value and latest_event_id compare against
      // the old latest_at/latest_event_id, so latest_at (a plain maximum) is assigned last.
      const newer = `(latest_at IS NULL OR VALUES(latest_at) > latest_at
        OR (VALUES(latest_at) = latest_at AND VALUES(latest_event_id) > latest_event_id))`;
      await runQuery(
        tx,
        `INSERT INTO usage_aggregates
           (environment_id, customer_id, meter_id, bucket_start, dimension_key, event_count, sum_value,
            max_value, latest_value, latest_at, latest_event_id, updated_at)
         VALUES ${rowPlaceholders(slice.length, 12)}
         ON DUPLICATE KEY UPDATE
           event_count = event_count + VALUES(event_count),
           sum_value = sum_value + VALUES(sum_value),
           max_value = COALESCE(GREATEST(max_value, VALUES(max_value)), max_value, VALUES(max_value)),
           latest_value = IF(VALUES(latest_at) IS NOT NULL AND ${newer}, VALUES(latest_value), latest_value),
           latest_event_id = IF(VALUES(latest_at) IS NOT NULL AND ${newer}, VALUES(latest_event_id), latest_event_id),
           latest_at = COALESCE(GREATEST(latest_at, VALUES(latest_at)), latest_at, VALUES(latest_at)),
           updated_at = VALUES(updated_at)`,
        params,
      );
    }
    this.maybeFail('after-aggregates');
    const distinct = rollup.distinctValues();
    for (let i = 0; i < distinct.length; i += UPSERT_ROWS_PER_STATEMENT) {
      const slice = distinct.slice(i, i + UPSERT_ROWS_PER_STATEMENT);
      await runQuery(
        tx,
        `INSERT IGNORE INTO usage_distinct_values
           (environment_id, customer_id, meter_id, bucket_start, dimension_key, value_hash)
         VALUES ${rowPlaceholders(slice.length, 6)}`,
        slice.flatMap((d) => [
          d.environmentId,
          d.customerId,
          d.meterId,
          sqlDateTime(d.bucketStart),
          d.dimensionKey,
          d.valueHash,
        ]),
      );
    }
    this.maybeFail('after-distinct-values');
  }

  private maybeFail(stage: AggregatorStage): void {
    if (this.failAt === stage) throw new Error(`aggregator failure injected at ${stage}`);
  }

  /** Tells live invoices (after commit) which customers' usage changed. */
  private async publish(affected: Array<{ environmentId: string; customerId: string }>): Promise<void> {
    for (const { environmentId, customerId } of affected) {
      try {
        await this.pubsub.publish(`usage:${environmentId}:${customerId}`, { environmentId, customerId });
      } catch (error) {
        this.log.warn({ err: error, environmentId, customerId }, 'usage notification failed');
      }
    }
  }
}
