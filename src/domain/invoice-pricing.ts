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
 * - The other models (GRADUATED, VOLUME, PACKAGE, TIERED_PACKAGE, PERCENTAGE): one line per item over the
 *   item's total quantity in the period (or per dimension combination with `tierScope: PER_GROUP`), priced
 *   by the pricing's tiers or its own rate. Free units come off first. Usage lines are gathered in
 *   usage-line-pricing.ts and priced in usage-line-amounts.ts.
 * - Flat fees: one line per item, `amount × quantity`, prorated by days for the part of the period the item
 *   covers (partial first/last periods, items that start or end mid-period).
 * - Per-pricing bounds (minimumAmount, maximumAmount) apply per line, prorated like flat fees
 *   (pricing-bounds.ts); one-time charges have no pricing and no bounds.
 * - One-time charges: one line per charge whose charge date falls in the period, `amount × quantity` in full
 *   (never prorated: the customer owes the whole charge once), after the item lines.
 * - Every line is rounded once, half-up to the currency's minor unit; the subtotal is the sum of rounded
 *   lines (invoice-math.ts).
 */
import { lineAmount, sumAmounts } from './invoice-math';
import {
  itemRange,
  type InvoicePricingInput,
  type PricedInvoice,
  type PricedLine,
  type SortableLine,
} from './invoice-pricing-input';
import { prorateFlatFee } from './proration';
import { graduatedZeroUsageLines } from './graduated-zero-usage';
import { applyPricingBounds } from './pricing-bounds';
import { priceUsage } from './usage-line-pricing';

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

export function priceInvoice(input: InvoicePricingInput): PricedInvoice {
  const usageLines = priceUsage(input);
  const lines: SortableLine[] = [...usageLines, ...graduatedZeroUsageLines(input, usageLines)];
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
  const boundedLines = applyPricingBounds(input, lines);
  boundedLines.push(...priceOneTimeCharges(input));
  boundedLines.sort(
    (a, b) =>
      a.itemPosition - b.itemPosition ||
      a.order - b.order ||
      compareText(a.description, b.description) ||
      a.serviceFrom.getTime() - b.serviceFrom.getTime(),
  );
  const result: PricedLine[] = boundedLines.map(({ itemPosition: _p, order: _o, ...line }) => line);
  return { lines: result, subtotal: sumAmounts(result) };
}

/** One-time charges dated inside `[period.start, period.end)`, in full, ordered after every item line. */
function priceOneTimeCharges(input: InvoicePricingInput): SortableLine[] {
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

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
