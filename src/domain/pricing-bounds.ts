/**
 * Per-pricing spending bounds: a pricing may carry a per-period `minimumAmount` and a `maximumAmount` (cap).
 *
 * Decisions:
 * - Bounds apply per invoice line: each line of the pricing is raised to the minimum or lowered to the cap,
 *   and the line keeps the amount it came to before (`unboundedAmount`) and which bound applied (`bound`),
 *   so the invoice shows both.
 * - Bounds are per billing period and prorated like flat fees: by the whole UTC days the line's service
 *   stretch covers over the days of the full cycle (proration.ts), so a line covering 10 of 30 days has a
 *   minimum of 10/30 of it.
 * - An item of a pricing with a minimum that has no line in the period (no usage) still owes the minimum:
 *   it gets a zero-quantity line at the prorated minimum.
 * - The bounded amount is rounded once, like every line (invoice-math.ts); a rounded line already between
 *   its bounds is left untouched.
 */
import { lineAmount } from './invoice-math';
import { itemRange, type InvoicePricingInput, type SortableLine } from './invoice-pricing-input';
import { ZERO, type Decimal } from './money';
import { prorateFlatFee } from './proration';

/** The lines with their pricing's bounds applied, plus a minimum line for each billed-nothing item. */
export function applyPricingBounds(
  input: InvoicePricingInput,
  lines: readonly SortableLine[],
): SortableLine[] {
  const bounded = lines.map((line) => boundLine(input, line));
  return [...bounded, ...minimumOnlyLines(input, lines)];
}

function prorated(input: InvoicePricingInput, amount: Decimal, from: Date, to: Date): Decimal {
  return prorateFlatFee(amount, input.period, { from, to }).amount;
}

function boundLine(input: InvoicePricingInput, line: SortableLine): SortableLine {
  const pricing = line.pricingId ? input.pricings.get(line.pricingId) : undefined;
  if (!pricing || (!pricing.minimumAmount && !pricing.maximumAmount)) return line;
  const { serviceFrom: from, serviceTo: to } = line;
  if (pricing.minimumAmount) {
    const minimum = lineAmount(prorated(input, pricing.minimumAmount, from, to), input.currency);
    if (line.amount.lt(minimum.amount)) {
      return { ...line, ...minimum, bound: 'MINIMUM', unboundedAmount: line.amount };
    }
  }
  if (pricing.maximumAmount) {
    const cap = lineAmount(prorated(input, pricing.maximumAmount, from, to), input.currency);
    if (line.amount.gt(cap.amount))
      return { ...line, ...cap, bound: 'MAXIMUM', unboundedAmount: line.amount };
  }
  return line;
}

function minimumOnlyLines(input: InvoicePricingInput, lines: readonly SortableLine[]): SortableLine[] {
  const extra: SortableLine[] = [];
  for (const item of input.items) {
    const pricing = input.pricings.get(item.pricingId);
    if (!pricing?.minimumAmount || pricing.minimumAmount.isZero()) continue;
    const range = itemRange(item, input.period);
    if (!range) continue;
    if (lines.some((l) => l.pricingId === pricing.id && l.itemPosition === item.position)) continue;
    const minimum = lineAmount(prorated(input, pricing.minimumAmount, range.from, range.to), input.currency);
    if (minimum.amount.isZero()) continue;
    const meter = pricing.meterId ? input.meters.get(pricing.meterId) : undefined;
    extra.push({
      kind: pricing.kind === 'USAGE' ? 'USAGE' : 'FLAT_FEE',
      pricingId: pricing.id,
      meterCode: meter?.code ?? null,
      description: meter?.displayName ?? pricing.name,
      dimensions: null,
      quantity: ZERO,
      rate: null,
      unitSize: pricing.kind === 'USAGE' ? pricing.unitSize : null,
      rateSource: null,
      ...minimum,
      bound: 'MINIMUM',
      unboundedAmount: ZERO,
      serviceFrom: range.from,
      serviceTo: range.to,
      itemPosition: item.position,
      order: 0,
    });
  }
  return extra;
}
