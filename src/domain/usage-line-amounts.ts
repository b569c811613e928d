/**
 * The amounts of a period's usage lines, once usage rows have been gathered into lines
 * (usage-line-pricing.ts): PER_UNIT lines at their resolved rate; the pooled models (PACKAGE, GRADUATED,
 * VOLUME, TIERED_PACKAGE, PERCENTAGE) over their line's quantity (the item's total, or one dimension
 * combination's with `tierScope: PER_GROUP`) with the pricing's own terms. Free units come off first
 * (free-units.ts).
 */
import { applyFreeUnits, consumeFreeUnits, freeUnitsNote, type FreeSplit } from './free-units';
import { lineAmount } from './invoice-math';
import type { PricingItem, PricingMeter, PricingTerms, SortableLine } from './invoice-pricing-input';
import { ZERO, type Decimal } from './money';
import { packageAmount, priceQuantity, tiersFromStored } from './pricing-models';
import { percentageAmount, percentageNote, type PercentageTerms } from './percentage-pricing';
import { tieredPackageAmount } from './tiered-package';
import type { ResolvedRate } from './rate-resolution';

/** A usage line as gathered from the period's usage rows, before it is priced. */
export interface GatheredLine {
  item: PricingItem;
  pricing: PricingTerms;
  meter: PricingMeter;
  /** The line's dimension values: PER_UNIT lines and per-group lines; null for a pricing's total. */
  values: Record<string, string> | null;
  /** PER_UNIT only: the rate resolved for the line. */
  resolved: ResolvedRate | null;
  description: string;
  quantity: Decimal;
  /** Events behind the quantity (SUM and COUNT meters), for per-transaction fees. */
  eventCount: Decimal;
  /** Epoch milliseconds of the first stretch's start and the last stretch's end. */
  from: number;
  to: number;
  /** Sort hint within the item (see usage-line-pricing.ts). */
  order: number;
}

/** A pricing's free allowance per period; absent means none. */
function allowanceOf(line: GatheredLine): Decimal {
  return line.pricing.freeUnits ?? ZERO;
}

/**
 * PER_UNIT lines share their item's allowance: it is used up in invoice order (earliest stretch first, then
 * the card's order, then the description), so the split does not depend on the order rows were read in.
 */
function perUnitFreeSplits(lines: readonly GatheredLine[]): Map<GatheredLine, FreeSplit> {
  const byItem = new Map<string, GatheredLine[]>();
  for (const line of lines) {
    if (!line.resolved) continue;
    byItem.set(line.item.id, [...(byItem.get(line.item.id) ?? []), line]);
  }
  const splits = new Map<GatheredLine, FreeSplit>();
  for (const group of byItem.values()) {
    const allowance = allowanceOf(group[0]);
    group.sort((a, b) => a.from - b.from || a.order - b.order || compareText(a.description, b.description));
    const parts = consumeFreeUnits(
      group.map((l) => l.quantity),
      allowance,
    );
    group.forEach((line, i) => splits.set(line, parts[i]));
  }
  return splits;
}

/** What a pooled line (one per item, or per group) is charged: the model over its billable quantity. */
function pooledAmount(line: GatheredLine, billable: Decimal): { precise: Decimal; rate: Decimal | null } {
  const { pricing } = line;
  const tiers = () => tiersFromStored(pricing.tiers ?? []);
  switch (pricing.model) {
    case 'PACKAGE': {
      const rate = pricing.fallbackRate ?? ZERO;
      return { precise: packageAmount(billable, rate, pricing.unitSize), rate };
    }
    case 'GRADUATED':
    case 'VOLUME':
      return {
        precise: priceQuantity(billable, {
          model: pricing.model,
          unitSize: pricing.unitSize,
          tiers: tiers(),
        }),
        rate: null,
      };
    case 'TIERED_PACKAGE':
      return { precise: tieredPackageAmount(billable, tiers()).amount, rate: null };
    case 'PERCENTAGE':
      return { precise: percentageAmount(billable, line.eventCount, percentageTerms(pricing)), rate: null };
    default:
      throw new Error(`Pricing ${pricing.id}: ${String(pricing.model)} does not price a pooled line`);
  }
}

function percentageTerms(pricing: PricingTerms): PercentageTerms {
  return {
    percent: pricing.percent ?? null,
    tiers: pricing.tiers ? tiersFromStored(pricing.tiers) : null,
    feePerTransaction: pricing.feePerTransaction ?? null,
  };
}

/** What a line adds to its description: the percentage terms, then the free units. */
function descriptionNotes(line: GatheredLine, free: Decimal): string {
  const terms =
    line.pricing.model === 'PERCENTAGE' ? percentageNote(percentageTerms(line.pricing), line.eventCount) : '';
  return terms + freeUnitsNote(free);
}

/** The priced lines of the gathered usage lines (zero quantities dropped), in no particular order. */
export function priceGatheredLines(lines: readonly GatheredLine[], currency: string): SortableLine[] {
  // A PERCENTAGE line without volume still owes its fee per transaction.
  const live = lines.filter(
    (line) => !line.quantity.isZero() || (line.pricing.model === 'PERCENTAGE' && line.eventCount.gt(0)),
  );
  const perUnit = perUnitFreeSplits(live);
  return live.map((line) => {
    const split = perUnit.get(line) ?? applyFreeUnits(line.quantity, allowanceOf(line));
    const base = {
      kind: 'USAGE' as const,
      pricingId: line.pricing.id,
      meterCode: line.meter.code,
      description: line.description + descriptionNotes(line, split.free),
      dimensions: line.values,
      quantity: line.quantity,
      unitSize: line.pricing.unitSize,
      serviceFrom: new Date(line.from),
      serviceTo: new Date(line.to),
      itemPosition: line.item.position,
      order: line.order,
    };
    if (line.resolved) {
      return {
        ...base,
        rate: line.resolved.rate,
        rateSource: line.resolved.source,
        ...lineAmount(split.billable.mul(line.resolved.rate).div(line.pricing.unitSize), currency),
      };
    }
    const { precise, rate } = pooledAmount(line, split.billable);
    return { ...base, rate, rateSource: rate ? 'FALLBACK' : null, ...lineAmount(precise, currency) };
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
