/**
 * The opt-in zero-usage charge of GRADUATED pricings. By default zero usage reaches no tier and costs
 * nothing (pricing-models.ts); a pricing with `billFirstTierFlatAtZeroUsage` bills its first tier's flat
 * amount even for a period (or item stretch) without usage, as billing systems that treat the first tier's
 * flat amount as a minimum do. With usage the first tier is reached anyway, so only items without a usage
 * line get this line: the flat amount in full (tier flat amounts are never prorated), quantity 0.
 */
import { lineAmount } from './invoice-math';
import { itemRange, type InvoicePricingInput, type SortableLine } from './invoice-pricing-input';
import { Decimal, ZERO } from './money';

export function graduatedZeroUsageLines(
  input: InvoicePricingInput,
  usageLines: readonly SortableLine[],
): SortableLine[] {
  const lines: SortableLine[] = [];
  for (const item of input.items) {
    const pricing = input.pricings.get(item.pricingId);
    if (!pricing || pricing.kind !== 'USAGE' || pricing.model !== 'GRADUATED') continue;
    if (!pricing.billFirstTierFlatAtZeroUsage || !pricing.meterId) continue;
    const flat = new Decimal(pricing.tiers?.[0]?.flatAmount ?? 0);
    const meter = input.meters.get(pricing.meterId);
    const range = itemRange(item, input.period);
    if (!meter || !range || flat.isZero()) continue;
    const billed = usageLines.some((l) => l.pricingId === pricing.id && l.itemPosition === item.position);
    if (billed) continue;
    lines.push({
      kind: 'USAGE',
      pricingId: pricing.id,
      meterCode: meter.code,
      description: meter.displayName,
      dimensions: null,
      quantity: ZERO,
      rate: null,
      unitSize: pricing.unitSize,
      rateSource: null,
      ...lineAmount(flat, input.currency),
      serviceFrom: range.from,
      serviceTo: range.to,
      itemPosition: item.position,
      order: 0,
    });
  }
  return lines;
}
