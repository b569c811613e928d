import type { RequestContext } from '../../context';
import { canonicalDimensionKey, DIMENSION_KEY_PATTERN, parseDimensionKey } from '../../domain/dimensions';
import { badInput, notFound } from '../../domain/errors';
import { Decimal } from '../../domain/money';
import { isWholeHour } from '../../domain/usage-event';
import type { MeterAggregation } from '../../domain/usage-event';
import { checkPageSize, type Page } from '../common';
import { scanWindow } from './event-scan-window';
import { fromSqlDateTime, sqlDateTime } from './usage-sql';

export interface UsageQuery {
  /** Tally customer id or the customer's external id. */
  customerId: string;
  meterCode: string;
  /** Whole UTC hours (aggregates are hourly): [from, to). */
  from: Date;
  to: Date;
  /** Group keys of the meter to group by; null means all of them, [] one total. */
  groupBy?: readonly string[] | null;
}

export interface UsageQuantity {
  dimensions: Record<string, string>;
  quantity: Decimal;
  eventCount: number;
}

export interface EventsFilter {
  customerId?: string | null;
  eventName?: string | null;
  from?: Date | null;
  to?: Date | null;
  /** Property values the events must have, e.g. {"region": "US"} (compared as strings). */
  dimensions?: Record<string, unknown> | null;
}

export interface UsageEventRecord {
  id: string;
  customerId: string;
  eventName: string;
  idempotencyKey: string;
  timestamp: Date;
  receivedAt: Date;
  properties: Record<string, unknown>;
}

/**
 * A page of the events explorer. `resumeAfterId` is set when a capped scan (see scanWindow) stopped before
 * the page was full: the next page starts after that event, which need not be one of the page's nodes.
 */
export interface EventsPage extends Page<UsageEventRecord> {
  resumeAfterId: string | null;
}

interface Scope {
  environmentId: string;
  customerId: string;
  meterId: string;
  from: string;
  to: string;
}

const SCOPE_WHERE =
  'environment_id = ? AND customer_id = ? AND meter_id = ? AND bucket_start >= ? AND bucket_start < ?';
const scopeParams = (s: Scope) => [s.environmentId, s.customerId, s.meterId, s.from, s.to];

/**
 * Reads usage: quantities from the hourly aggregates (never raw events), and the raw events themselves
 * for the explorer, newest first.
 */
export class UsageQueryService {
  async usage(ctx: RequestContext, query: UsageQuery): Promise<UsageQuantity[]> {
    if (!isWholeHour(query.from))
      throw badInput('from', 'must be a whole UTC hour (usage is aggregated hourly)');
    if (!isWholeHour(query.to)) throw badInput('to', 'must be a whole UTC hour (usage is aggregated hourly)');
    if (query.to.getTime() <= query.from.getTime()) throw badInput('to', 'must be after from');
    const customerId = await this.resolveCustomerOrThrow(ctx, query.customerId, 'customerId');
    const [meter] = (await ctx.manager.query(
      `SELECT id, aggregation, group_keys FROM meters WHERE environment_id = ? AND code = ?`,
      [ctx.environmentId, query.meterCode],
    )) as Array<{ id: string; aggregation: MeterAggregation; group_keys: string | string[] }>;
    if (!meter) throw notFound('Meter', query.meterCode, 'meterCode');
    const groupKeys: string[] =
      typeof meter.group_keys === 'string' ? JSON.parse(meter.group_keys) : meter.group_keys;
    const groupBy = query.groupBy ?? groupKeys;
    groupBy.forEach((key, i) => {
      if (!groupKeys.includes(key)) {
        throw badInput(
          `groupBy.${i}`,
          `"${key}" is not a group key of meter ${query.meterCode} (${groupKeys.join(', ') || 'none'})`,
        );
      }
    });
    const scope: Scope = {
      environmentId: ctx.environmentId,
      customerId,
      meterId: meter.id,
      from: sqlDateTime(query.from),
      to: sqlDateTime(query.to),
    };

    const rows = (await ctx.manager.query(
      `SELECT dimension_key, SUM(event_count) AS events, SUM(sum_value) AS total, MAX(max_value) AS max_value
         FROM usage_aggregates WHERE ${SCOPE_WHERE} GROUP BY dimension_key`,
      scopeParams(scope),
    )) as Array<{ dimension_key: string; events: string; total: string; max_value: string | null }>;

    // Each stored dimension key maps to the key of its groupBy projection.
    const projection = new Map<string, string>();
    const groups = new Map<string, UsageQuantity>();
    const hasMax = new Set<string>();
    for (const row of rows) {
      const all = parseDimensionKey(row.dimension_key);
      const dimensions: Record<string, string> = {};
      for (const key of groupBy) dimensions[key] = all[key];
      const projected = canonicalDimensionKey(dimensions);
      projection.set(row.dimension_key, projected);
      const group = groups.get(projected) ?? { dimensions, quantity: new Decimal(0), eventCount: 0 };
      group.eventCount += Number(row.events);
      if (meter.aggregation === 'SUM') group.quantity = group.quantity.plus(row.total);
      if (meter.aggregation === 'COUNT') group.quantity = new Decimal(group.eventCount);
      if (meter.aggregation === 'MAX' && row.max_value !== null) {
        const max = new Decimal(row.max_value);
        if (!hasMax.has(projected) || max.gt(group.quantity)) group.quantity = max;
        hasMax.add(projected);
      }
      groups.set(projected, group);
    }
    if (meter.aggregation === 'LATEST') await this.fillLatest(ctx, scope, projection, groups);
    if (meter.aggregation === 'UNIQUE_COUNT') await this.fillUniqueCounts(ctx, scope, projection, groups);
    return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
  }

  /** The value of the latest event (by timestamp, then id) of each group. */
  private async fillLatest(
    ctx: RequestContext,
    scope: Scope,
    projection: Map<string, string>,
    groups: Map<string, UsageQuantity>,
  ): Promise<void> {
    const rows = (await ctx.manager.query(
      `SELECT dimension_key, latest_value, latest_at, latest_event_id FROM usage_aggregates
        WHERE ${SCOPE_WHERE} AND latest_at IS NOT NULL`,
      scopeParams(scope),
    )) as Array<{
      dimension_key: string;
      latest_value: string;
      latest_at: Date | string;
      latest_event_id: string;
    }>;
    const best = new Map<string, { at: number; id: number }>();
    for (const row of rows) {
      const key = projection.get(row.dimension_key)!;
      const at = fromSqlDateTime(row.latest_at).getTime();
      const id = Number(row.latest_event_id);
      const current = best.get(key);
      if (!current || at > current.at || (at === current.at && id > current.id)) {
        best.set(key, { at, id });
        groups.get(key)!.quantity = new Decimal(row.latest_value);
      }
    }
  }

  /**
   * Exact distinct counts over the whole period: COUNT(DISTINCT value) across its hours, grouped by the
   * projection of each stored dimension key (a CASE built from the keys found above).
   */
  private async fillUniqueCounts(
    ctx: RequestContext,
    scope: Scope,
    projection: Map<string, string>,
    groups: Map<string, UsageQuantity>,
  ): Promise<void> {
    if (!projection.size) return;
    const cases: string[] = [];
    const caseParams: string[] = [];
    for (const [stored, projected] of projection) {
      cases.push('WHEN ? THEN ?');
      caseParams.push(stored, projected);
    }
    const rows = (await ctx.manager.query(
      `SELECT CASE dimension_key ${cases.join(' ')} END AS group_key, COUNT(DISTINCT value_hash) AS distinct_count
         FROM usage_distinct_values WHERE ${SCOPE_WHERE} GROUP BY group_key`,
      [...caseParams, ...scopeParams(scope)],
    )) as Array<{ group_key: string; distinct_count: string }>;
    for (const row of rows) {
      const group = groups.get(row.group_key);
      if (group) group.quantity = new Decimal(row.distinct_count);
    }
  }

  /**
   * The events explorer: newest first (timestamp, then id), keyset-paginated after an event id.
   * Each filter combination walks one index range (see the usage_events migration), so a page costs
   * about `first` index reads. Filters the index does not cover (dimensions; an event name without a
   * customer) test the rows of that range, at most EVENTS_SCAN_LIMIT of them per page (see scanWindow).
   */
  async listEvents(
    ctx: RequestContext,
    filter: EventsFilter,
    page: { first?: number | null; afterId?: string | null },
  ): Promise<EventsPage> {
    const size = checkPageSize(page.first);
    const where = ['e.environment_id = ?'];
    const params: unknown[] = [ctx.environmentId];
    let customerRef = filter.customerId ?? null;
    if (ctx.portalCustomerId) {
      if (customerRef && customerRef !== ctx.portalCustomerId)
        return { nodes: [], hasNextPage: false, resumeAfterId: null };
      customerRef = ctx.portalCustomerId;
    }
    let index = 'ix_usage_events_env_time';
    if (customerRef) {
      const customerId = await this.resolveCustomer(ctx, customerRef);
      if (!customerId) return { nodes: [], hasNextPage: false, resumeAfterId: null };
      where.push('e.customer_id = ?');
      params.push(customerId);
      index = filter.eventName ? 'ix_usage_events_customer_name_time' : 'ix_usage_events_customer_time';
    }
    // Conditions the index range does not cover: tested row by row, within a capped scan.
    const rowWhere: string[] = [];
    const rowParams: unknown[] = [];
    if (filter.eventName) {
      (customerRef ? where : rowWhere).push('e.event_name = ?');
      (customerRef ? params : rowParams).push(filter.eventName);
    }
    if (filter.from) {
      where.push('e.occurred_at >= ?');
      params.push(sqlDateTime(filter.from));
    }
    if (filter.to) {
      where.push('e.occurred_at < ?');
      params.push(sqlDateTime(filter.to));
    }
    for (const [key, value] of Object.entries(filter.dimensions ?? {})) {
      if (!DIMENSION_KEY_PATTERN.test(key))
        throw badInput(`filter.dimensions.${key}`, 'is not a property name');
      if (value !== null && typeof value === 'object') {
        throw badInput(`filter.dimensions.${key}`, 'must be a string, number or boolean');
      }
      rowWhere.push('JSON_UNQUOTE(JSON_EXTRACT(e.properties, ?)) = ?');
      rowParams.push(`$."${key}"`, String(value));
    }
    if (page.afterId) {
      if (!/^\d{1,20}$/.test(page.afterId)) throw badInput('after', 'is not a cursor returned by this API');
      const [cursor] = (await ctx.manager.query(
        `SELECT occurred_at FROM usage_events WHERE id = ? AND environment_id = ?`,
        [page.afterId, ctx.environmentId],
      )) as Array<{ occurred_at: Date | string }>;
      if (!cursor) throw badInput('after', 'is not a cursor returned by this API');
      const at = sqlDateTime(fromSqlDateTime(cursor.occurred_at));
      where.push('e.occurred_at <= ? AND (e.occurred_at < ? OR e.id < ?)');
      params.push(at, at, page.afterId);
    }
    const scan = rowWhere.length ? await scanWindow(ctx, { index, where, params }) : null;
    const rows = (await ctx.manager.query(
      `SELECT e.id, e.customer_id, e.event_name, e.idempotency_key, e.occurred_at, e.received_at, e.properties
         FROM usage_events e FORCE INDEX (${index})
        WHERE ${[...where, ...(scan ? [scan.where] : []), ...rowWhere].join(' AND ')}
        ORDER BY e.occurred_at DESC, e.id DESC LIMIT ${size + 1}`,
      [...params, ...(scan?.params ?? []), ...rowParams],
    )) as Array<{
      id: string | number;
      customer_id: string;
      event_name: string;
      idempotency_key: string;
      occurred_at: Date | string;
      received_at: Date | string;
      properties: string | Record<string, unknown>;
    }>;
    const nodes = rows.slice(0, size).map((row) => ({
      id: String(row.id),
      customerId: row.customer_id,
      eventName: row.event_name,
      idempotencyKey: row.idempotency_key,
      timestamp: fromSqlDateTime(row.occurred_at),
      receivedAt: fromSqlDateTime(row.received_at),
      properties: typeof row.properties === 'string' ? JSON.parse(row.properties) : row.properties,
    }));
    if (rows.length > size || !scan) return { nodes, hasNextPage: rows.length > size, resumeAfterId: null };
    // The scan stopped before the page was full: continue after the last row it read, if rows remain.
    return { nodes, hasNextPage: scan.more, resumeAfterId: scan.more ? scan.lastId : null };
  }

  private async resolveCustomer(ctx: RequestContext, ref: string): Promise<string | null> {
    const rows = (await ctx.manager.query(
      `SELECT id FROM customers WHERE environment_id = ? AND (id = ? OR external_id = ?)
        ORDER BY id = ? DESC LIMIT 1`,
      [ctx.environmentId, ref, ref, ref],
    )) as Array<{ id: string }>;
    const id = rows[0]?.id ?? null;
    if (id && ctx.portalCustomerId && id !== ctx.portalCustomerId) return null;
    return id;
  }

  private async resolveCustomerOrThrow(ctx: RequestContext, ref: string, field: string): Promise<string> {
    const id = await this.resolveCustomer(ctx, ref);
    if (!id) throw notFound('Customer', ref, field);
    return id;
  }
}
