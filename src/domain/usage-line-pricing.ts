/**
 * Usage lines of the pricing core: which contract item buys each usage row and the line each row adds to
 * (per-unit rates resolved per row; the other models pool the item's total). The lines are then priced by
 * usage-line-amounts.ts.
 */
import { canonicalDimensionKey, parseDimensionKey, type Dimensions } from './dimensions';
import {
  itemRange,
  type InvoicePricingInput,
  type MeterAggregation,
  type PricingMeter,
  type PricingOverride,
  type PricingRateCardEntry,
  type SortableLine,
} from './invoice-pricing-input';
import { Decimal, ZERO } from './money';
import { getRateOrThrow, type ResolvedRate } from './rate-resolution';
import { priceGatheredLines, type GatheredLine } from './usage-line-amounts';
import { MISSING_DIMENSION_VALUE } from './usage-event';

/** V: the row's values for the meter's group keys, the contract's values winning where it sets them. */
export function usageRowDimensionValues(
  groupKeys: readonly string[],
  dimensionKey: string,
  contractDimensions: Dimensions,
): Record<string, string> {
  const fromEvent = parseDimensionKey(dimensionKey);
  const values: Record<string, string> = {};
  for (const key of groupKeys) {
    const value = contractDimensions[key] ?? fromEvent[key];
    if (value !== undefined) values[key] = value;
  }
  return values;
}

/** `AI Calls - US / resolved`: the meter's name, then V's values in the meter's group-key order. */
export function usageLineDescription(meter: PricingMeter, values: Dimensions): string {
  const parts = meter.groupKeys
    .map((key) => values[key])
    .filter((value): value is string => value !== undefined && value !== MISSING_DIMENSION_VALUE);
  return parts.length ? `${meter.displayName} - ${parts.join(' / ')}` : meter.displayName;
}

/** How two quantities of the same line combine, by the meter's aggregation. */
function mergeQuantities(
  aggregation: MeterAggregation,
  a: { quantity: Decimal; observedAt: number },
  b: { quantity: Decimal; observedAt: number },
): { quantity: Decimal; observedAt: number } {
  switch (aggregation) {
    case 'MAX':
      return {
        quantity: Decimal.max(a.quantity, b.quantity),
        observedAt: Math.max(a.observedAt, b.observedAt),
      };
    case 'LATEST':
      return b.observedAt > a.observedAt ? b : a;
    default:
      // SUM and COUNT add. UNIQUE_COUNT adds counts read without their values (a single stretch, or one
      // value under two dimension combinations); values read per stretch are united instead (distinctCount).
      return { quantity: a.quantity.plus(b.quantity), observedAt: Math.max(a.observedAt, b.observedAt) };
  }
}

/** A line being gathered: UNIQUE_COUNT values per dimension key, from rows that carry them (see distinctCount). */
interface Accumulator extends GatheredLine {
  observedAt: number;
  distinct: Map<string, Set<string>>;
}

/**
 * UNIQUE_COUNT rows that carry their values are united per dimension key before counting, so a value seen
 * on both sides of a boundary that prices both sides the same (one line) is counted once. Rows of different
 * dimension keys still add, as a line's count always has.
 */
function addDistinct(acc: Map<string, Set<string>>, dimensionKey: string, values: ReadonlySet<string>): void {
  const set = acc.get(dimensionKey);
  if (!set) acc.set(dimensionKey, new Set(values));
  else for (const v of values) set.add(v);
}

function distinctCount(acc: Map<string, Set<string>>): Decimal {
  let n = 0;
  for (const set of acc.values()) n += set.size;
  return new Decimal(n);
}

export function priceUsage(input: InvoicePricingInput): SortableLine[] {
  const usageItems = input.items
    .map((item) => ({
      item,
      pricing: input.pricings.get(item.pricingId),
      range: itemRange(item, input.period),
    }))
    .filter((x) => x.pricing?.kind === 'USAGE' && x.pricing.meterId && x.range);
  const overridesByMeter = new Map<string, PricingOverride[]>();
  for (const o of input.overrides)
    overridesByMeter.set(o.meterId, [...(overridesByMeter.get(o.meterId) ?? []), o]);

  const lines = new Map<string, Accumulator>();
  for (const row of input.usage) {
    // A zero sum still has events to count when a PERCENTAGE pricing charges a fee per transaction.
    const events = row.eventCount?.gt(0) ?? false;
    if (row.quantity.isZero() && !row.observedAt && !row.distinctValues?.size && !events) continue;
    const at = row.from.getTime();
    const owner = usageItems.find(
      (x) =>
        x.pricing!.meterId === row.meterId && x.range!.from.getTime() <= at && at < x.range!.to.getTime(),
    );
    // Usage of a meter the contract does not price (or outside its items) is not billed on this contract.
    if (!owner) continue;
    const pricing = owner.pricing!;
    if (
      row.quantity.isZero() &&
      !row.observedAt &&
      !row.distinctValues?.size &&
      pricing.model !== 'PERCENTAGE'
    )
      continue;
    const meter = input.meters.get(row.meterId);
    if (!meter) continue;
    const entries = (pricing.rateCardId && input.rateCardEntries.get(pricing.rateCardId)) || [];
    let key = owner.item.id;
    let values: Record<string, string> | null = null;
    let resolved: ResolvedRate | null = null;
    let order = 0;
    if (pricing.model === 'PER_UNIT') {
      values = usageRowDimensionValues(meter.groupKeys, row.dimensionKey, input.contractDimensions);
      resolved = getRateOrThrow(
        {
          values,
          overrides: overridesByMeter.get(meter.id) ?? [],
          entries,
          fallbackRate: pricing.fallbackRate,
        },
        row.from,
      );
      order = entryOrder(entries, values);
      key += `|${canonicalDimensionKey(values)}|${resolved.source}|${resolved.entryId ?? resolved.overrideId ?? ''}|${resolved.rate.toFixed()}`;
    } else if (pricing.tierScope === 'PER_GROUP') {
      // Each dimension combination climbs its own ladder: one line per group, priced like a total.
      values = usageRowDimensionValues(meter.groupKeys, row.dimensionKey, input.contractDimensions);
      key += `|${canonicalDimensionKey(values)}`;
    }
    const observedAt = row.observedAt?.getTime() ?? 0;
    // Rows with their distinct values count through `distinct`, not through `quantity`.
    const quantity = row.distinctValues ? ZERO : row.quantity;
    const eventCount = row.eventCount ?? ZERO;
    const existing = lines.get(key);
    if (existing) {
      if (row.distinctValues) addDistinct(existing.distinct, row.dimensionKey, row.distinctValues);
      const merged = mergeQuantities(meter.aggregation, existing, { quantity, observedAt });
      existing.eventCount = existing.eventCount.plus(eventCount);
      existing.quantity = merged.quantity;
      existing.observedAt = merged.observedAt;
      existing.from = Math.min(existing.from, at);
      existing.to = Math.max(existing.to, row.to.getTime());
    } else {
      lines.set(key, {
        item: owner.item,
        pricing,
        meter,
        values,
        resolved,
        description: values ? usageLineDescription(meter, values) : meter.displayName,
        quantity,
        eventCount,
        observedAt,
        from: at,
        to: row.to.getTime(),
        order,
        distinct: new Map(),
      });
      if (row.distinctValues) addDistinct(lines.get(key)!.distinct, row.dimensionKey, row.distinctValues);
    }
  }
  for (const line of lines.values()) {
    if (line.distinct.size) line.quantity = line.quantity.plus(distinctCount(line.distinct));
  }

  return priceGatheredLines([...lines.values()], input.currency);
}

/** Position of the most specific rate card entry whose dimensions V matches (any version); else last. */
function entryOrder(entries: readonly PricingRateCardEntry[], values: Dimensions): number {
  let best: PricingRateCardEntry | null = null;
  for (const entry of entries) {
    const matches = Object.keys(entry.dimensions).every((k) => values[k] === entry.dimensions[k]);
    if (!matches) continue;
    const keys = Object.keys(entry.dimensions).length;
    if (
      !best ||
      keys > Object.keys(best.dimensions).length ||
      (keys === Object.keys(best.dimensions).length && entry.position < best.position)
    ) {
      best = entry;
    }
  }
  // Catch-all matches (no keys) say nothing about order: sort those lines after the listed combinations.
  return best && Object.keys(best.dimensions).length ? best.position : Number.MAX_SAFE_INTEGER;
}
