/**
 * Rolling stored usage events into hourly aggregate deltas, and the bookkeeping of id gaps the
 * aggregator must revisit. Pure: the worker feeds events in and writes the deltas out.
 */
import { createHash } from 'node:crypto';
import { Decimal } from './money';
import {
  distinctValueText,
  eventDimensionKey,
  hourBucket,
  numericValue,
  type MeterAggregation,
} from './usage-event';

export interface StoredUsageEvent {
  id: number;
  environmentId: string;
  customerId: string;
  eventName: string;
  occurredAt: Date;
  properties: Record<string, unknown>;
}

export interface MeterDefinition {
  id: string;
  environmentId: string;
  eventName: string;
  aggregation: MeterAggregation;
  aggregationKey: string | null;
  groupKeys: string[];
}

/** What one chunk adds to one usage_aggregates row. */
export interface AggregateDelta {
  environmentId: string;
  customerId: string;
  meterId: string;
  bucketStart: Date;
  dimensionKey: string;
  eventCount: number;
  sum: Decimal;
  max: Decimal | null;
  latestValue: Decimal | null;
  latestAt: Date | null;
  latestEventId: number | null;
}

export interface DistinctValueRow {
  environmentId: string;
  customerId: string;
  meterId: string;
  bucketStart: Date;
  dimensionKey: string;
  valueHash: Buffer;
}

/** 16 bytes of SHA-256: the identity of a distinct value (collisions are out of reach at any real volume). */
export function distinctValueHash(text: string): Buffer {
  return createHash('sha256').update(text).digest().subarray(0, 16);
}

const rowKey = (parts: Array<string | number>) => parts.join('\u0000');

/** Accumulates deltas for a chunk of events; one delta per aggregate row touched. */
export class UsageRollup {
  private readonly deltas = new Map<string, AggregateDelta>();
  private readonly distinct = new Map<string, DistinctValueRow>();
  private readonly customers = new Map<string, { environmentId: string; customerId: string }>();
  /** Events a meter could not read its value from (stored before the meter existed, or malformed). */
  skipped = 0;

  /** Adds one event to one meter on its event name; false when the event lacks the meter's value. */
  add(event: StoredUsageEvent, meter: MeterDefinition): boolean {
    const value = meterEventValue(event, meter);
    if (value === undefined) {
      this.skipped++;
      return false;
    }
    const bucketStart = hourBucket(event.occurredAt);
    const dimensionKey = eventDimensionKey(meter.groupKeys, event.properties);
    const key = rowKey([event.customerId, meter.id, bucketStart.getTime(), dimensionKey]);
    let delta = this.deltas.get(key);
    if (!delta) {
      delta = {
        environmentId: event.environmentId,
        customerId: event.customerId,
        meterId: meter.id,
        bucketStart,
        dimensionKey,
        eventCount: 0,
        sum: new Decimal(0),
        max: null,
        latestValue: null,
        latestAt: null,
        latestEventId: null,
      };
      this.deltas.set(key, delta);
    }
    delta.eventCount++;
    if (value instanceof Decimal) {
      delta.sum = delta.sum.plus(value);
      if (delta.max === null || value.gt(delta.max)) delta.max = value;
      if (meter.aggregation === 'LATEST' && isLater(event, delta)) {
        delta.latestValue = value;
        delta.latestAt = event.occurredAt;
        delta.latestEventId = event.id;
      }
    } else if (value !== null) {
      const hash = distinctValueHash(value);
      this.distinct.set(`${key}\u0000${hash.toString('hex')}`, {
        environmentId: event.environmentId,
        customerId: event.customerId,
        meterId: meter.id,
        bucketStart,
        dimensionKey,
        valueHash: hash,
      });
    }
    this.customers.set(`${event.environmentId}\u0000${event.customerId}`, {
      environmentId: event.environmentId,
      customerId: event.customerId,
    });
    return true;
  }

  /** Deltas in primary-key order, so concurrent upserts lock rows in one order. */
  aggregateDeltas(): AggregateDelta[] {
    return [...this.deltas.values()].sort(compareAggregateKeys);
  }

  distinctValues(): DistinctValueRow[] {
    return [...this.distinct.values()].sort(
      (a, b) => compareAggregateKeys(a, b) || Buffer.compare(a.valueHash, b.valueHash),
    );
  }

  affectedCustomers(): Array<{ environmentId: string; customerId: string }> {
    return [...this.customers.values()];
  }

  get isEmpty(): boolean {
    return this.deltas.size === 0;
  }
}

/**
 * Decimal for SUM/MAX/LATEST, 1 for COUNT, the distinct text for UNIQUE_COUNT, or undefined when the
 * event does not carry a usable value for the meter.
 */
export function meterEventValue(
  event: Pick<StoredUsageEvent, 'properties'>,
  meter: Pick<MeterDefinition, 'aggregation' | 'aggregationKey'>,
): Decimal | string | null | undefined {
  if (meter.aggregation === 'COUNT') return new Decimal(1);
  const raw = meter.aggregationKey ? event.properties[meter.aggregationKey] : undefined;
  if (meter.aggregation === 'UNIQUE_COUNT') return distinctValueText(raw) ?? undefined;
  return numericValue(raw) ?? undefined;
}

function isLater(event: StoredUsageEvent, delta: AggregateDelta): boolean {
  if (delta.latestAt === null) return true;
  const t = event.occurredAt.getTime();
  const current = delta.latestAt.getTime();
  return t > current || (t === current && event.id > (delta.latestEventId ?? 0));
}

type AggregateKey = Pick<
  AggregateDelta,
  'environmentId' | 'customerId' | 'meterId' | 'bucketStart' | 'dimensionKey'
>;

function compareAggregateKeys(a: AggregateKey, b: AggregateKey): number {
  return (
    cmp(a.environmentId, b.environmentId) ||
    cmp(a.customerId, b.customerId) ||
    cmp(a.meterId, b.meterId) ||
    a.bucketStart.getTime() - b.bucketStart.getTime() ||
    cmp(a.dimensionKey, b.dimensionKey)
  );
}

const cmp = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1);

/**
 * Ids the aggregator passed over: [firstId, lastId, firstSeenMs]. Concurrent inserts commit out of id
 * order, so an id below one already seen may still appear; duplicates and rollbacks leave ids that never will.
 */
export type IdGap = [number, number, number];

/** The ids missing between `afterId` and the largest of `ids` (ascending), as gaps first seen at `nowMs`. */
export function findIdGaps(afterId: number, ids: readonly number[], nowMs: number): IdGap[] {
  const gaps: IdGap[] = [];
  let expected = afterId + 1;
  for (const id of ids) {
    if (id > expected) gaps.push([expected, id - 1, nowMs]);
    expected = id + 1;
  }
  return gaps;
}

/** Removes ids now found from the gaps, splitting ranges around them. */
export function removeFoundIds(gaps: readonly IdGap[], found: readonly number[]): IdGap[] {
  if (!found.length) return [...gaps];
  const sorted = [...found].sort((a, b) => a - b);
  const result: IdGap[] = [];
  for (const [first, last, seen] of gaps) {
    let start = first;
    for (const id of sorted) {
      if (id < start || id > last) continue;
      if (id > start) result.push([start, id - 1, seen]);
      start = id + 1;
    }
    if (start <= last) result.push([start, last, seen]);
  }
  return result;
}

/** Drops gaps older than the horizon: no insert takes that long to commit, so those ids will never appear. */
export function expireIdGaps(gaps: readonly IdGap[], nowMs: number, horizonMs: number): IdGap[] {
  return gaps.filter(([, , seen]) => nowMs - seen < horizonMs);
}

/** True when `id` lies in one of the ranges. */
export function inIdRanges(
  id: number,
  ranges: ReadonlyArray<readonly [number, number, ...unknown[]]>,
): boolean {
  for (const [first, last] of ranges) if (id >= first && id <= last) return true;
  return false;
}
