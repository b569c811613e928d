import type { RequestContext } from '../../context';
import { Decimal } from '../../domain/money';
import { startOfUtcDay } from '../../domain/periods';
import { partialHours, stretchAggregateQuantity, type LabeledStretch } from '../../domain/boundary-usage';
import type { MeterEntity } from '../../entities/meter.entity';
import type { UsageQuantity } from '../../domain/invoice-pricing-input';
import { fromSqlDateTime, placeholders, sqlDateTime } from '../usage';
import { BoundaryUsageReader } from './boundary-events';

export interface UsageQuery {
  customerId: string;
  meters: readonly MeterEntity[];
  from: Date;
  to: Date;
  /** Instants inside [from, to) where sums must be cut (rate changes, item changes), ascending. */
  cuts: readonly Date[];
}

type SegmentRow = { meter_id: string; dimension_key: string; seg: number | string };
/** SQL appended to every roll-up read so the boundary hours (read from raw events) are left out. */
type HourFilter = { sql: string; params: string[] };
type SumRow = SegmentRow & {
  dimension_key_max: string;
  sum_value: string;
  event_count: string;
  max_value: string | null;
};

/** Cached settled sums (buckets before today) kept per process; least recently used dropped first. */
const MAX_SETTLED_ENTRIES = 10_000;

/**
 * Reads a period's usage from the hourly roll-ups (usage_aggregates, usage_distinct_values), and only the
 * boundary hours from raw events: the cost grows with hours × dimension combinations, plus the events of
 * the few hours a cut splits (read once and then reused while those hours' roll-ups are unchanged).
 *
 * Sums are grouped by (meter, dimension key, stretch), where stretches are the period cut at `cuts`. Every
 * cut is honoured to the second: a whole hour belongs to the stretch holding it, and an hour that a cut
 * not on the hour splits (a plan change at 13:13:59, a rate version from 10:30) is left out of the roll-up
 * reads and aggregated from its raw events instead, each event on the side of the cut it occurred on
 * (BoundaryUsageReader). With several stretches, UNIQUE_COUNT meters are read as their distinct values,
 * so a value seen on both sides of a cut that prices both the same is counted once.
 */
export class InvoiceUsageService {
  private readonly settled = new Map<string, { fingerprint: string; rows: SumRow[] }>();
  private readonly boundary = new BoundaryUsageReader();

  async read(ctx: RequestContext, query: UsageQuery): Promise<UsageQuantity[]> {
    if (!query.meters.length) return [];
    const bounds = [query.from, ...query.cuts, query.to];
    const stretch = (seg: number | string) => ({ from: bounds[Number(seg)], to: bounds[Number(seg) + 1] });
    const stretches: LabeledStretch[] = bounds.slice(0, -1).map((_, i) => ({ ...stretch(i), label: i }));
    const boundaryHours = partialHours(stretches);
    const skip: HourFilter = boundaryHours.length
      ? {
          sql: ` AND bucket_start NOT IN (${placeholders(boundaryHours.length)})`,
          params: boundaryHours.map(sqlDateTime),
        }
      : { sql: '', params: [] };
    const segExpr = this.segmentExpression(query.cuts);
    const byAggregation = (kinds: string[]) => query.meters.filter((m) => kinds.includes(m.aggregation));
    const result: UsageQuantity[] = [];
    const aggregationOf = new Map(query.meters.map((m) => [m.id, m.aggregation]));
    for (const agg of await this.boundary.read(ctx, {
      customerId: query.customerId,
      meters: query.meters,
      stretches,
      hours: boundaryHours,
    })) {
      const row = stretchAggregateQuantity(agg, aggregationOf.get(agg.meterId)!, stretch(agg.label));
      if (row) result.push(row);
    }

    const summed = byAggregation(['SUM', 'COUNT', 'MAX']);
    if (summed.length) {
      const rows = await this.readSums(ctx, query, summed, segExpr, skip);
      for (const row of rows) {
        const aggregation = aggregationOf.get(row.meter_id);
        const quantity =
          aggregation === 'COUNT'
            ? new Decimal(row.event_count)
            : aggregation === 'MAX'
              ? new Decimal(row.max_value ?? 0)
              : new Decimal(row.sum_value);
        result.push({
          meterId: row.meter_id,
          dimensionKey: row.dimension_key,
          ...stretch(row.seg),
          quantity,
          // Per-transaction fees (PERCENTAGE pricing) count the events behind a sum.
          eventCount: new Decimal(row.event_count),
        });
      }
    }

    const unique = byAggregation(['UNIQUE_COUNT']);
    if (unique.length && (stretches.length > 1 || boundaryHours.length > 0)) {
      result.push(...(await this.readDistinctValues(ctx, query, unique, segExpr, skip, stretch)));
    } else if (unique.length) {
      const rows = (await ctx.manager.query(
        `SELECT meter_id, dimension_key, ${segExpr.sql} AS seg, COUNT(DISTINCT value_hash) AS n
           FROM usage_distinct_values
          WHERE environment_id = ? AND customer_id = ? AND meter_id IN (${placeholders(unique.length)})
            AND bucket_start >= ? AND bucket_start < ?${skip.sql}
          GROUP BY meter_id, dimension_key, seg`,
        [
          ...segExpr.params,
          ctx.environmentId,
          query.customerId,
          ...unique.map((m) => m.id),
          sqlDateTime(query.from),
          sqlDateTime(query.to),
          ...skip.params,
        ],
      )) as Array<SegmentRow & { n: string }>;
      for (const row of rows) {
        result.push({
          meterId: row.meter_id,
          dimensionKey: row.dimension_key,
          ...stretch(row.seg),
          quantity: new Decimal(row.n),
        });
      }
    }

    const latest = byAggregation(['LATEST']);
    if (latest.length) {
      // The latest value per (meter, key, stretch): the bucket row with the greatest (latest_at, event id).
      const rows = (await ctx.manager.query(
        `SELECT meter_id, dimension_key, ${segExpr.sql} AS seg, latest_value, latest_at, latest_event_id
           FROM usage_aggregates
          WHERE environment_id = ? AND customer_id = ? AND meter_id IN (${placeholders(latest.length)})
            AND bucket_start >= ? AND bucket_start < ? AND latest_at IS NOT NULL${skip.sql}`,
        [
          ...segExpr.params,
          ctx.environmentId,
          query.customerId,
          ...latest.map((m) => m.id),
          sqlDateTime(query.from),
          sqlDateTime(query.to),
          ...skip.params,
        ],
      )) as Array<SegmentRow & { latest_value: string; latest_at: Date | string; latest_event_id: string }>;
      const best = new Map<string, (typeof rows)[number]>();
      const rank = (r: (typeof rows)[number]) => [
        fromSqlDateTime(r.latest_at).getTime(),
        Number(r.latest_event_id),
      ];
      for (const row of rows) {
        const key = `${row.meter_id}\u0000${row.dimension_key}\u0000${row.seg}`;
        const current = best.get(key);
        const [t, id] = rank(row);
        if (!current || t > rank(current)[0] || (t === rank(current)[0] && id > rank(current)[1]))
          best.set(key, row);
      }
      for (const row of best.values()) {
        result.push({
          meterId: row.meter_id,
          dimensionKey: row.dimension_key,
          ...stretch(row.seg),
          quantity: new Decimal(row.latest_value),
          observedAt: fromSqlDateTime(row.latest_at),
        });
      }
    }
    return result;
  }

  /**
   * UNIQUE_COUNT over several stretches: the distinct value hashes per (meter, key, stretch), so the pricing
   * core can unite the stretches that end on one line. Costs the distinct values, not the events.
   */
  private async readDistinctValues(
    ctx: RequestContext,
    query: UsageQuery,
    meters: readonly MeterEntity[],
    segExpr: { sql: string; params: string[] },
    skip: HourFilter,
    stretch: (seg: number | string) => { from: Date; to: Date },
  ): Promise<UsageQuantity[]> {
    const rows = (await ctx.manager.query(
      `SELECT DISTINCT meter_id, dimension_key, ${segExpr.sql} AS seg, value_hash
         FROM usage_distinct_values
        WHERE environment_id = ? AND customer_id = ? AND meter_id IN (${placeholders(meters.length)})
          AND bucket_start >= ? AND bucket_start < ?${skip.sql}`,
      [
        ...segExpr.params,
        ctx.environmentId,
        query.customerId,
        ...meters.map((m) => m.id),
        sqlDateTime(query.from),
        sqlDateTime(query.to),
        ...skip.params,
      ],
    )) as Array<SegmentRow & { value_hash: Buffer }>;
    const groups = new Map<string, { row: SegmentRow; values: Set<string> }>();
    for (const row of rows) {
      const key = `${row.meter_id}\u0000${row.dimension_key}\u0000${row.seg}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { row, values: new Set() }));
      group.values.add(Buffer.from(row.value_hash).toString('hex'));
    }
    return [...groups.values()].map(({ row, values }) => ({
      meterId: row.meter_id,
      dimensionKey: row.dimension_key,
      ...stretch(row.seg),
      quantity: new Decimal(values.size),
      distinctValues: values,
    }));
  }

  /**
   * SUM/COUNT/MAX sums per (meter, key, stretch). Buckets before today are read through a cache checked
   * against a fingerprint of those buckets (row count and total event count: the aggregator only ever adds
   * events, so any change to them, late events included, changes the fingerprint); today's buckets are read
   * live. The fingerprint is a plain range scan, several times cheaper than the grouping it saves, and it
   * is checked on every read, so several processes never serve stale sums.
   */
  private async readSums(
    ctx: RequestContext,
    query: UsageQuery,
    meters: readonly MeterEntity[],
    segExpr: { sql: string; params: string[] },
    skip: HourFilter,
  ): Promise<SumRow[]> {
    const meterIds = meters.map((m) => m.id);
    const today = startOfUtcDay(ctx.now()).getTime();
    const split = new Date(Math.min(Math.max(today, query.from.getTime()), query.to.getTime()));
    if (split.getTime() <= query.from.getTime()) {
      return this.groupSums(ctx, query.customerId, meterIds, query.from, query.to, segExpr, skip);
    }
    const key = [
      ctx.environmentId,
      query.customerId,
      ...meterIds,
      query.from.getTime(),
      split.getTime(),
      ...query.cuts.map((c) => c.getTime()),
    ].join('|');
    const [fingerprint] = (await ctx.manager.query(
      `SELECT COUNT(*) AS n, COALESCE(SUM(event_count), 0) AS events FROM usage_aggregates
        WHERE environment_id = ? AND customer_id = ? AND meter_id IN (${placeholders(meterIds.length)})
          AND bucket_start >= ? AND bucket_start < ?${skip.sql}`,
      [
        ctx.environmentId,
        query.customerId,
        ...meterIds,
        sqlDateTime(query.from),
        sqlDateTime(split),
        ...skip.params,
      ],
    )) as Array<{ n: string; events: string }>;
    const print = `${fingerprint.n}:${fingerprint.events}`;
    let settled = this.settled.get(key);
    if (!settled || settled.fingerprint !== print) {
      const rows = await this.groupSums(ctx, query.customerId, meterIds, query.from, split, segExpr, skip);
      settled = { fingerprint: print, rows };
      this.settled.delete(key);
      if (this.settled.size >= MAX_SETTLED_ENTRIES) this.settled.delete(this.settled.keys().next().value!);
    } else {
      this.settled.delete(key); // re-inserted below: Map order is least recently used first
    }
    this.settled.set(key, settled);
    if (split.getTime() >= query.to.getTime()) return settled.rows;
    const live = await this.groupSums(ctx, query.customerId, meterIds, split, query.to, segExpr, skip);
    return [...settled.rows, ...live];
  }

  private async groupSums(
    ctx: RequestContext,
    customerId: string,
    meterIds: readonly string[],
    from: Date,
    to: Date,
    segExpr: { sql: string; params: string[] },
    skip: HourFilter,
  ): Promise<SumRow[]> {
    const params = [
      ...segExpr.params,
      ctx.environmentId,
      customerId,
      ...meterIds,
      sqlDateTime(from),
      sqlDateTime(to),
      ...skip.params,
    ];
    const sums = (group: string) =>
      ctx.manager.query(
        `SELECT meter_id, MIN(dimension_key) AS dimension_key, MAX(dimension_key) AS dimension_key_max,
                ${segExpr.sql} AS seg,
                SUM(sum_value) AS sum_value, SUM(event_count) AS event_count, MAX(max_value) AS max_value
           FROM usage_aggregates
          WHERE environment_id = ? AND customer_id = ? AND meter_id IN (${placeholders(meterIds.length)})
            AND bucket_start >= ? AND bucket_start < ?${skip.sql}
          GROUP BY meter_id, ${group}, seg ORDER BY NULL`,
        params,
      ) as Promise<SumRow[]>;
    // Grouping by a 4-byte hash of the key instead of the VARCHAR(500) key itself halves the query's
    // time (the temporary table compares short keys). A hash collision would merge two combinations:
    // MIN(key) <> MAX(key) detects it, and the exact grouping runs instead.
    const rows = await sums('CRC32(dimension_key)');
    return rows.some((row) => row.dimension_key !== row.dimension_key_max) ? sums('dimension_key') : rows;
  }

  /** `CASE WHEN bucket_start < cut1 THEN 0 WHEN … ELSE n END`, or `0` without cuts. */
  private segmentExpression(cuts: readonly Date[]): { sql: string; params: string[] } {
    if (!cuts.length) return { sql: '0', params: [] };
    const whens = cuts.map((_, i) => `WHEN bucket_start < ? THEN ${i}`).join(' ');
    return { sql: `CASE ${whens} ELSE ${cuts.length} END`, params: cuts.map(sqlDateTime) };
  }
}
