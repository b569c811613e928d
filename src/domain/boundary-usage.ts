/**
 * Usage of the hours a billing boundary cuts in two. Usage is rolled up per hour, so an hour holding a
 * change that is not on the hour (a plan change at 13:13:59, a rate version from 10:30) cannot be split from
 * its roll-up: such an hour is aggregated here from its raw events instead, each event on the side of the
 * boundary its own instant falls on. Pure: the invoicing service reads the events and merges the result
 * with the roll-ups of the whole hours.
 */
import type { MeterAggregation, UsageQuantity } from './invoice-pricing-input';
import { Decimal } from './money';
import { hourBucket, isWholeHour, eventDimensionKey } from './usage-event';
import {
  distinctValueHash,
  meterEventValue,
  type MeterDefinition,
  type StoredUsageEvent,
} from './usage-rollup';

/** A stretch `[from, to)` of a period; stretches sharing a label are aggregated together. */
export interface LabeledStretch {
  from: Date;
  to: Date;
  label: number;
}

/** What a meter needs to read its value from a raw event. */
export type BoundaryMeter = Pick<MeterDefinition, 'id' | 'eventName' | 'aggregation' | 'aggregationKey'> & {
  groupKeys: readonly string[];
};

/** The aggregate of one (meter, dimension key, stretch label) over raw events, as the hourly roll-up has it. */
export interface StretchAggregate {
  meterId: string;
  dimensionKey: string;
  label: number;
  eventCount: number;
  sum: Decimal;
  max: Decimal | null;
  latest: { value: Decimal; at: Date; eventId: number } | null;
  /** UNIQUE_COUNT: hex of the 16-byte value hashes the roll-up stores. */
  distinct: Set<string>;
}

/** The hours holding an edge of the stretches that is not on the hour, ascending, each once. */
export function partialHours(stretches: readonly LabeledStretch[]): Date[] {
  const hours = new Set<number>();
  for (const { from, to } of stretches) {
    for (const edge of [from, to]) if (!isWholeHour(edge)) hours.add(hourBucket(edge).getTime());
  }
  return [...hours].sort((a, b) => a - b).map((t) => new Date(t));
}

/** The stretch holding `at`, or null (events outside every stretch are not billed here). */
function stretchOf(stretches: readonly LabeledStretch[], at: number): LabeledStretch | null {
  for (const s of stretches) if (s.from.getTime() <= at && at < s.to.getTime()) return s;
  return null;
}

/**
 * Aggregates raw events per (meter, dimension key, stretch label) with the roll-up's own rules (the same
 * value reading, dimension key, MAX and LATEST tie-break), so a boundary hour read here and a whole hour read
 * from the roll-ups add up to what one exact roll-up over the stretch would hold.
 */
export function aggregateByStretch(
  events: readonly StoredUsageEvent[],
  meters: readonly BoundaryMeter[],
  stretches: readonly LabeledStretch[],
  /** Event id → the meters the aggregator set the event aside for: left out for those, as the roll-up does. */
  setAside: ReadonlyMap<number, ReadonlySet<string>> = new Map(),
): StretchAggregate[] {
  const metersByEvent = new Map<string, BoundaryMeter[]>();
  for (const m of meters) metersByEvent.set(m.eventName, [...(metersByEvent.get(m.eventName) ?? []), m]);
  const result = new Map<string, StretchAggregate>();
  for (const event of events) {
    const stretch = stretchOf(stretches, event.occurredAt.getTime());
    if (!stretch) continue;
    for (const meter of metersByEvent.get(event.eventName) ?? []) {
      if (setAside.get(event.id)?.has(meter.id)) continue;
      const value = meterEventValue(event, meter);
      if (value === undefined || value === null) continue;
      const dimensionKey = eventDimensionKey(meter.groupKeys, event.properties);
      const key = `${meter.id}\u0000${dimensionKey}\u0000${stretch.label}`;
      let agg = result.get(key);
      if (!agg) {
        agg = {
          meterId: meter.id,
          dimensionKey,
          label: stretch.label,
          eventCount: 0,
          sum: new Decimal(0),
          max: null,
          latest: null,
          distinct: new Set(),
        };
        result.set(key, agg);
      }
      agg.eventCount++;
      if (typeof value === 'string') {
        agg.distinct.add(distinctValueHash(value).toString('hex'));
        continue;
      }
      agg.sum = agg.sum.plus(value);
      if (agg.max === null || value.gt(agg.max)) agg.max = value;
      if (isLaterThan(event.occurredAt, event.id, agg.latest))
        agg.latest = { value, at: event.occurredAt, eventId: event.id };
    }
  }
  return [...result.values()];
}

/** The LATEST tie-break of the roll-up: the later instant, then the greater event id. */
export function isLaterThan(
  at: Date,
  eventId: number,
  current: { at: Date; eventId: number } | null,
): boolean {
  if (!current) return true;
  const t = at.getTime();
  const c = current.at.getTime();
  return t > c || (t === c && eventId > current.eventId);
}

/**
 * A stretch aggregate as the pricing core reads usage: the quantity by the meter's aggregation over the
 * labelled stretch; UNIQUE_COUNT carries its values so the core can unite them with the whole hours'.
 */
export function stretchAggregateQuantity(
  agg: StretchAggregate,
  aggregation: MeterAggregation,
  stretch: { from: Date; to: Date },
): UsageQuantity | null {
  const base = { meterId: agg.meterId, dimensionKey: agg.dimensionKey, from: stretch.from, to: stretch.to };
  switch (aggregation) {
    case 'COUNT':
      return { ...base, quantity: new Decimal(agg.eventCount), eventCount: new Decimal(agg.eventCount) };
    case 'SUM':
      return { ...base, quantity: agg.sum, eventCount: new Decimal(agg.eventCount) };
    case 'MAX':
      return agg.max === null ? null : { ...base, quantity: agg.max };
    case 'LATEST':
      return agg.latest === null ? null : { ...base, quantity: agg.latest.value, observedAt: agg.latest.at };
    case 'UNIQUE_COUNT':
      return agg.distinct.size
        ? { ...base, quantity: new Decimal(agg.distinct.size), distinctValues: agg.distinct }
        : null;
  }
}
