/**
 * The pricing core: turns a contract's items, catalog and usage quantities for one billing period into
 * invoice lines. No I/O: the live draft and the finalizer both load their inputs and call `priceInvoice`, so
 * a finalized invoice is exactly the draft that was on screen at that moment.
 *
 * Rules:
 * - Usage is bought per contract item: a usage row belongs to the item whose pricing is on the row's meter
 *   and whose effective range holds the row's stretch of time (items are effective-dated; a plan change
 *   splits usage between the old and new items).
 * - PER_UNIT: one line per (item, dimension values V, resolved rate). V is the row's dimension values with
 *   the contract's fixed dimensions taking precedence for the meter's group keys. The rate is resolved
 *   (override > rate card entry in effect > fallback) at the start of the row's stretch; the caller cuts
 *   stretches at every rate-card effective date, so usage straddling a rate change becomes two lines.
 * - GRADUATED / VOLUME / PACKAGE: one line per item over the item's total quantity in the period, priced by
 *   the pricing's tiers or its own rate (domain/pricing-models: these models price the total).
 * - Flat fees: one line per item, `amount × quantity`, prorated by days for the part of the period the item
 *   covers (partial first/last periods, items that start or end mid-period).
 * - One-time charges: one line per charge whose charge date falls in the period, `amount × quantity` in full
 *   (never prorated: the customer owes the whole charge once), after the item lines.
 * - Every line is rounded once, half-up to the currency's minor unit; the subtotal is the sum of rounded
 *   lines (domain/invoice-math).
 */
import { canonicalDimensionKey, parseDimensionKey, type Dimensions } from '../../domain/dimensions';
import { lineAmount, sumAmounts } from '../../domain/invoice-math';
import { Decimal, ZERO } from '../../domain/money';
import type { BillingPeriod } from '../../domain/periods';
import { packageAmount, priceQuantity, tiersFromStored } from '../../domain/pricing-models';
import { prorateFlatFee } from '../../domain/proration';
import {
  getRateOrThrow,
  type RateCardEntry,
  type RateOverride,
  type ResolvedRate,
} from '../../domain/rate-resolution';
import { MISSING_DIMENSION_VALUE } from '../../domain/usage-event';
import type { ContractItemEntity } from '../../entities/contract-item.entity';
import type { InvoiceLineKind, RateSource } from '../../entities/invoice-line.entity';
import type { Aggregation, MeterEntity } from '../../entities/meter.entity';
import type { PricingEntity } from '../../entities/pricing.entity';

/** A rate card entry as the core needs it (position orders lines like the card lists its entries). */
export interface PricingRateCardEntry extends RateCardEntry {
  position: number;
}

/** A contract override for one meter. */
export interface PricingOverride extends RateOverride {
  meterId: string;
}

/**
 * The usage of one meter and dimension combination over one stretch `[from, to)` of the period, already
 * aggregated by the meter's aggregation (sum, count, max, distinct count or latest value).
 */
export interface UsageQuantity {
  meterId: string;
  /** canonicalDimensionKey of the event's group-key values (missing keys valued "none"). */
  dimensionKey: string;
  from: Date;
  to: Date;
  quantity: Decimal;
  /** LATEST meters: when the value was observed, so merging keeps the latest. */
  observedAt?: Date | null;
}

/** A contract's one-time charge (the stored entity fits this shape). */
export interface PricingOneTimeCharge {
  position: number;
  description: string;
  /** Unit price. */
  amount: Decimal;
  quantity: Decimal;
  chargeDate: Date;
}

export interface InvoicePricingInput {
  currency: string;
  period: BillingPeriod;
  /** Contract's fixed dimension values (only a meter's group keys apply to it). */
  contractDimensions: Dimensions;
  items: readonly ContractItemEntity[];
  pricings: ReadonlyMap<string, PricingEntity>;
  meters: ReadonlyMap<string, MeterEntity>;
  /** Entries per rate card id. */
  rateCardEntries: ReadonlyMap<string, readonly PricingRateCardEntry[]>;
  overrides: readonly PricingOverride[];
  /** Every one-time charge of the contract; only those dated inside the period are billed. */
  oneTimeCharges?: readonly PricingOneTimeCharge[];
  usage: readonly UsageQuantity[];
}

export interface PricedLine {
  kind: InvoiceLineKind;
  /** Null for one-time charges, which belong to the contract, not to a catalog pricing. */
  pricingId: string | null;
  meterCode: string | null;
  description: string;
  dimensions: Record<string, string> | null;
  quantity: Decimal;
  rate: Decimal | null;
  unitSize: Decimal | null;
  rateSource: RateSource | null;
  /** Unrounded, at 12 decimals (the column's scale). */
  preciseAmount: Decimal;
  /** Rounded half-up to the currency's minor unit. */
  amount: Decimal;
  serviceFrom: Date;
  serviceTo: Date;
}

export interface PricedInvoice {
  lines: PricedLine[];
  subtotal: Decimal;
}

/** The stretch of the period an item covers: `[max(start), min(end))`, or null when it covers none. */
export function itemRange(item: ContractItemEntity, period: BillingPeriod): { from: Date; to: Date } | null {
  const from = Math.max(item.startsAt.getTime(), period.start.getTime());
  const to = Math.min(item.endsAt?.getTime() ?? Infinity, period.end.getTime());
  return to > from ? { from: new Date(from), to: new Date(to) } : null;
}

/**
 * Instants inside the period where the price of usage may change: item starts/ends and the effective dates
 * of the rate cards the items use. The usage reader cuts its sums there (and only there, so a period without
 * rate changes is read as one stretch).
 */
export function usageCutPoints(
  input: Pick<InvoicePricingInput, 'period' | 'items' | 'pricings' | 'rateCardEntries'>,
): Date[] {
  const lo = input.period.start.getTime();
  const hi = input.period.end.getTime();
  const cuts = new Set<number>();
  const add = (at: Date | null) => {
    if (at && at.getTime() > lo && at.getTime() < hi) cuts.add(at.getTime());
  };
  for (const item of input.items) {
    const pricing = input.pricings.get(item.pricingId);
    if (!pricing || pricing.kind !== 'USAGE') continue;
    add(item.startsAt);
    add(item.endsAt);
    for (const entry of (pricing.rateCardId && input.rateCardEntries.get(pricing.rateCardId)) || []) {
      add(entry.effectiveFrom);
      add(entry.effectiveTo);
    }
  }
  return [...cuts].sort((a, b) => a - b).map((t) => new Date(t));
}

/** V: the row's values for the meter's group keys, the contract's values winning where it sets them. */
export function usageDimensionValues(
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
export function usageLineDescription(meter: MeterEntity, values: Dimensions): string {
  const parts = meter.groupKeys
    .map((key) => values[key])
    .filter((value): value is string => value !== undefined && value !== MISSING_DIMENSION_VALUE);
  return parts.length ? `${meter.displayName} - ${parts.join(' / ')}` : meter.displayName;
}

/** How two quantities of the same line combine, by the meter's aggregation. */
function mergeQuantities(
  aggregation: Aggregation,
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
      // SUM and COUNT add. UNIQUE_COUNT adds too: a value seen under two dimension combinations or two rate
      // versions is billed on each line it appears on (each line's count is exact for its own stretch).
      return { quantity: a.quantity.plus(b.quantity), observedAt: Math.max(a.observedAt, b.observedAt) };
  }
}

interface Accumulator {
  item: ContractItemEntity;
  pricing: PricingEntity;
  meter: MeterEntity;
  values: Record<string, string> | null;
  resolved: ResolvedRate | null;
  quantity: Decimal;
  observedAt: number;
  from: number;
  to: number;
  /** Sort hint: the position of the card's most specific entry matching V (cards list combinations in order). */
  order: number;
}

export function priceInvoice(input: InvoicePricingInput): PricedInvoice {
  const usageLines = priceUsage(input);
  const lines: Array<PricedLine & { itemPosition: number; order: number }> = [...usageLines];
  for (const item of input.items) {
    const pricing = input.pricings.get(item.pricingId);
    if (!pricing || pricing.kind !== 'FLAT_FEE' || !pricing.flatAmount) continue;
    const range = itemRange(item, input.period);
    if (!range) continue;
    const fee = prorateFlatFee(pricing.flatAmount.mul(item.quantity), input.period, range);
    if (fee.coveredDays === 0) continue;
    const money = lineAmount(fee.amount, input.currency);
    lines.push({
      kind: 'FLAT_FEE',
      pricingId: pricing.id,
      meterCode: null,
      description: fee.full ? pricing.name : `${pricing.name} (${fee.coveredDays} of ${fee.periodDays} days)`,
      dimensions: null,
      quantity: item.quantity,
      rate: pricing.flatAmount,
      unitSize: null,
      rateSource: null,
      ...money,
      serviceFrom: range.from,
      serviceTo: range.to,
      itemPosition: item.position,
      order: -1,
    });
  }
  lines.push(...priceOneTimeCharges(input));
  lines.sort(
    (a, b) =>
      a.itemPosition - b.itemPosition ||
      a.order - b.order ||
      compareText(a.description, b.description) ||
      a.serviceFrom.getTime() - b.serviceFrom.getTime(),
  );
  const result: PricedLine[] = lines.map(({ itemPosition: _p, order: _o, ...line }) => line);
  return { lines: result, subtotal: sumAmounts(result) };
}

/** One-time charges dated inside `[period.start, period.end)`, in full, ordered after every item line. */
function priceOneTimeCharges(
  input: InvoicePricingInput,
): Array<PricedLine & { itemPosition: number; order: number }> {
  const from = input.period.start.getTime();
  const to = input.period.end.getTime();
  return (input.oneTimeCharges ?? [])
    .filter((charge) => charge.chargeDate.getTime() >= from && charge.chargeDate.getTime() < to)
    .map((charge) => ({
      kind: 'ONE_TIME' as const,
      pricingId: null,
      meterCode: null,
      description: charge.description,
      dimensions: null,
      quantity: charge.quantity,
      rate: charge.amount,
      unitSize: null,
      rateSource: null,
      ...lineAmount(charge.amount.mul(charge.quantity), input.currency),
      // A charge is for an instant, not a stretch of service.
      serviceFrom: charge.chargeDate,
      serviceTo: charge.chargeDate,
      itemPosition: Number.MAX_SAFE_INTEGER,
      order: charge.position,
    }));
}

function priceUsage(input: InvoicePricingInput): Array<PricedLine & { itemPosition: number; order: number }> {
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
    if (row.quantity.isZero() && !row.observedAt) continue;
    const at = row.from.getTime();
    const owner = usageItems.find(
      (x) =>
        x.pricing!.meterId === row.meterId && x.range!.from.getTime() <= at && at < x.range!.to.getTime(),
    );
    // Usage of a meter the contract does not price (or outside its items) is not billed on this contract.
    if (!owner) continue;
    const pricing = owner.pricing!;
    const meter = input.meters.get(row.meterId);
    if (!meter) continue;
    const entries = (pricing.rateCardId && input.rateCardEntries.get(pricing.rateCardId)) || [];
    let key = owner.item.id;
    let values: Record<string, string> | null = null;
    let resolved: ResolvedRate | null = null;
    let order = 0;
    if (pricing.model === 'PER_UNIT') {
      values = usageDimensionValues(meter.groupKeys, row.dimensionKey, input.contractDimensions);
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
    }
    const observedAt = row.observedAt?.getTime() ?? 0;
    const existing = lines.get(key);
    if (existing) {
      const merged = mergeQuantities(meter.aggregation, existing, { quantity: row.quantity, observedAt });
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
        quantity: row.quantity,
        observedAt,
        from: at,
        to: row.to.getTime(),
        order,
      });
    }
  }

  const priced: Array<PricedLine & { itemPosition: number; order: number }> = [];
  for (const line of lines.values()) {
    if (line.quantity.isZero()) continue;
    const { pricing, meter } = line;
    const base = {
      kind: 'USAGE' as const,
      pricingId: pricing.id,
      meterCode: meter.code,
      quantity: line.quantity,
      unitSize: pricing.unitSize,
      serviceFrom: new Date(line.from),
      serviceTo: new Date(line.to),
      itemPosition: line.item.position,
      order: line.order,
    };
    if (line.resolved && line.values) {
      priced.push({
        ...base,
        description: usageLineDescription(meter, line.values),
        dimensions: line.values,
        rate: line.resolved.rate,
        rateSource: line.resolved.source,
        ...lineAmount(line.quantity.mul(line.resolved.rate).div(pricing.unitSize), input.currency),
      });
      continue;
    }
    // GRADUATED, VOLUME and PACKAGE price the item's total quantity with the pricing's own terms.
    const rate = pricing.model === 'PACKAGE' ? pricing.fallbackRate : null;
    const precise =
      pricing.model === 'PACKAGE'
        ? packageAmount(line.quantity, rate ?? ZERO, pricing.unitSize)
        : priceQuantity(line.quantity, {
            model: pricing.model!,
            unitSize: pricing.unitSize,
            tiers: tiersFromStored(pricing.tiers ?? []),
          });
    priced.push({
      ...base,
      description: meter.displayName,
      dimensions: null,
      rate,
      rateSource: rate ? 'FALLBACK' : null,
      ...lineAmount(precise, input.currency),
    });
  }
  return priced;
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

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
