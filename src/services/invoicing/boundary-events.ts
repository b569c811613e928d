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

type EventRow = {
  id: string | number;
  customer_id: string;
  event_name: string;
  occurred_at: Date | string;
  properties: string | Record<string, unknown>;
};

/**
 * Aggregates the raw events of `hours` (boundary hours: each holds an edge of a stretch that is not on the
 * hour) per (meter, dimension key, stretch label). Only those hours of one customer and the meters' event
 * names are read, each a range of the (environment, customer, event name, occurred_at) index, so the cost
 * is the events of a few hours, whatever the size of the period.
 */
export async function aggregateBoundaryHours(
  ctx: RequestContext,
  customerId: string,
  meters: readonly BoundaryMeter[],
  stretches: readonly LabeledStretch[],
  hours: readonly Date[],
): Promise<StretchAggregate[]> {
  if (!hours.length || !meters.length) return [];
  const eventNames = [...new Set(meters.map((m) => m.eventName))];
  const ranges = hours.map(() => '(occurred_at >= ? AND occurred_at < ?)').join(' OR ');
  const rows = (await ctx.manager.query(
    `SELECT id, customer_id, event_name, occurred_at, properties
       FROM usage_events FORCE INDEX (ix_usage_events_customer_name_time)
      WHERE environment_id = ? AND customer_id = ? AND event_name IN (${placeholders(eventNames.length)})
        AND (${ranges})`,
    [
      ctx.environmentId,
      customerId,
      ...eventNames,
      ...hours.flatMap((h) => [sqlDateTime(h), sqlDateTime(new Date(h.getTime() + HOUR_MS))]),
    ],
  )) as EventRow[];
  const events: StoredUsageEvent[] = rows.map((row) => ({
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
  return aggregateByStretch(events, meters, stretches);
}
