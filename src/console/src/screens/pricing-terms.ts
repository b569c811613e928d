import type { Pricing } from '../api/types';
import { formatQuantity, formatRate } from '../format';

/**
 * The terms of a usage pricing beyond its model and rate, as short phrases for the catalog: the percentage
 * and fee per transaction, the tier scope, free units and the tier ladder. Flat fees have none.
 */
export function pricingTermsPhrases(pricing: Pricing): string[] {
  if (pricing.kind !== 'USAGE') return [];
  const phrases: string[] = [];
  if (pricing.percent !== null) phrases.push(`${formatQuantity(pricing.percent)}% of the amount`);
  if (pricing.feePerTransaction !== null)
    phrases.push(`+ ${formatRate(pricing.feePerTransaction, '')} per transaction`);
  if (pricing.tierScope === 'PER_GROUP') phrases.push('priced per dimension combination');
  if (Number(pricing.freeUnits) > 0)
    phrases.push(`first ${formatQuantity(pricing.freeUnits)} free per period`);
  for (const [i, tier] of (pricing.tiers ?? []).entries()) {
    const from = i === 0 ? '0' : formatQuantity(pricing.tiers![i - 1].upTo);
    const range = tier.upTo === null ? `above ${from}` : `${from}–${formatQuantity(tier.upTo)}`;
    const flat = Number(tier.flatAmount) > 0 ? ` + ${formatRate(tier.flatAmount, '')} flat` : '';
    const price =
      pricing.model === 'PERCENTAGE'
        ? `${formatQuantity(tier.unitAmount)}%`
        : tier.packageSize
          ? `${formatRate(tier.unitAmount, '')} per ${formatQuantity(tier.packageSize)}-unit package`
          : formatRate(tier.unitAmount, '', pricing.unitSize);
    phrases.push(`${range}: ${price}${flat}`);
  }
  return phrases;
}
