import type { RequestContext } from '../../context';
import {
  aggregateByStretch,
  type BoundaryMeter,
  type LabeledStretch,
  type StretchAggregate,
} from '../../domain/boundary-usage';
import type { StoredUsageEvent } from '../../domain/usage-rollup';
import { fromSqlDateTime, placeholders, sqlDateTime } from '../usage';

const HOUR_MS = 3_600_000;

/** Cached boundary-hour splits kept per process; least recently used dropped first. */
const MAX_CACHED_SPLITS = 2_000;

type EventRow = {
  id: string | number;
  customer_id: string;
  event_name: string;
  occurred_at: Date | string;
  properties: string | Record<string, unknown>;
};

export interface BoundaryQuery {
  customerId: string;
  meters: readonly BoundaryMeter[];
  /** Every stretch of the period, labelled by its index. */
  stretches: readonly LabeledStretch[];
  /** The hours holding a stretch edge that is not on the hour (partialHours). */
  hours: readonly Date[];
}

/**
 * Usage of the boundary hours (hours a stretch edge cuts in two), aggregated from their raw events per
 * (meter, dimension key, stretch label).
 *
 * Only those hours of one customer and the meters' event names are read, each a range of the
 * (environment, customer, event name, occurred_at) index, so the cost is the events of a few hours, whatever
 * the size of the period. The split of an hour is then kept per process and reused while that hour's
 * roll-up is unchanged (row count and event count: the aggregator only ever adds, so any newly rolled-up
 * event changes them), so a settled boundary costs one index range scan of the aggregates per read, and
 * several processes never serve a stale split for longer than the aggregator takes to roll up new events.
 */
export class BoundaryUsageReader {
  private readonly cache = new Map<string, { fingerprint: string; aggregates: StretchAggregate[] }>();

  async read(ctx: RequestContext, query: BoundaryQuery): Promise<StretchAggregate[]> {
    if (!query.hours.length || !query.meters.length) return [];
    const meterIds = query.meters.map((m) => m.id);
    const hours = query.hours.map(sqlDateTime);
    const [print] = (await ctx.manager.query(
      `SELECT COUNT(*) AS n, COALESCE(SUM(event_count), 0) AS events FROM usage_aggregates
        WHERE environment_id = ? AND customer_id = ? AND meter_id IN (${placeholders(meterIds.length)})
          AND bucket_start IN (${placeholders(hours.length)})`,
      [ctx.environmentId, query.customerId, ...meterIds, ...hours],
    )) as Array<{ n: string; events: string }>;
    const setAside = await readSetAside(ctx, query);
    const fingerprint = `${print.n}:${print.events}:${[...setAside.keys()].join(',')}`;
    const key = cacheKey(ctx.environmentId, query);
    const cached = this.cache.get(key);
    this.cache.delete(key); // re-inserted below: Map order is least recently used first
    if (cached && cached.fingerprint === fingerprint) {
      this.cache.set(key, cached);
      return cached.aggregates;
    }
    const events = await readEvents(ctx, query);
    const aggregates = aggregateByStretch(events, query.meters, query.stretches, setAside);
    if (this.cache.size >= MAX_CACHED_SPLITS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { fingerprint, aggregates });
    return aggregates;
  }
}

/** What the split depends on: the customer, the meters, and the stretch edges inside the boundary hours. */
function cacheKey(environmentId: string, query: BoundaryQuery): string {
  const edges = query.hours.flatMap((hour) => {
    const lo = hour.getTime();
    const hi = lo + HOUR_MS;
    return query.stretches
      .filter((s) => s.from.getTime() < hi && s.to.getTime() > lo)
      .map((s) => `${s.label}@${s.from.getTime()}-${s.to.getTime()}`);
  });
  const meters = query.meters.map(
    (m) => `${m.id}:${m.eventName}:${m.aggregation}:${m.aggregationKey ?? ''}:${m.groupKeys.join(',')}`,
  );
  return [environmentId, query.customerId, ...meters, ...edges].join('|');
}

/**
 * Events of the boundary hours the aggregator set aside and that are not resolved yet, with the meters they
 * failed for: the roll-up leaves them out until they are retried, so the raw read leaves them out too.
 */
async function readSetAside(ctx: RequestContext, query: BoundaryQuery): Promise<Map<number, Set<string>>> {
  const ranges = query.hours.map(() => '(e.occurred_at >= ? AND e.occurred_at < ?)').join(' OR ');
  const rows = (await ctx.manager.query(
    `SELECT f.event_id, f.meter_ids FROM usage_event_failures f JOIN usage_events e ON e.id = f.event_id
      WHERE f.environment_id = ? AND f.resolved_at IS NULL AND e.customer_id = ? AND (${ranges})
      ORDER BY f.event_id`,
    [ctx.environmentId, query.customerId, ...hourRanges(query.hours)],
  )) as Array<{ event_id: string | number; meter_ids: string | string[] }>;
  const setAside = new Map<number, Set<string>>();
  for (const row of rows) {
    const ids = typeof row.meter_ids === 'string' ? (JSON.parse(row.meter_ids) as string[]) : row.meter_ids;
    const id = Number(row.event_id);
    setAside.set(id, new Set([...(setAside.get(id) ?? []), ...ids]));
  }
  return setAside;
}

function hourRanges(hours: readonly Date[]): string[] {
  return hours.flatMap((h) => [sqlDateTime(h), sqlDateTime(new Date(h.getTime() + HOUR_MS))]);
}

async function readEvents(ctx: RequestContext, query: BoundaryQuery): Promise<StoredUsageEvent[]> {
  const eventNames = [...new Set(query.meters.map((m) => m.eventName))];
  const ranges = query.hours.map(() => '(occurred_at >= ? AND occurred_at < ?)').join(' OR ');
  const rows = (await ctx.manager.query(
    `SELECT id, customer_id, event_name, occurred_at, properties
       FROM usage_events FORCE INDEX (ix_usage_events_customer_name_time)
      WHERE environment_id = ? AND customer_id = ? AND event_name IN (${placeholders(eventNames.length)})
        AND (${ranges})`,
    [ctx.environmentId, query.customerId, ...eventNames, ...hourRanges(query.hours)],
  )) as EventRow[];
  return rows.map((row) => ({
    id: Number(row.id),
    environmentId: ctx.environmentId,
    customerId: row.customer_id,
    eventName: row.event_name,
    occurredAt: fromSqlDateTime(row.occurred_at),
    properties:
      typeof row.properties === 'string'
        ? (JSON.parse(row.properties) as Record<string, unknown>)
        : row.properties,
  }));
}
