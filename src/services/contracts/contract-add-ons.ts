import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import { badInput } from '../../domain/errors';
import { Decimal } from '../../domain/money';
import { PricingEntity } from '../../entities/pricing.entity';
import { checkDecimal, POSITIVE_QUANTITY_RULE } from '../common';

/** A recurring flat fee a new contract carries on top of its plan (a negotiated support fee, say). */
export interface ContractAddOnInput {
  pricingId: string;
  /** Seats; default 1. */
  quantity?: Decimal | null;
}

export interface CheckedAddOn {
  pricing: PricingEntity;
  quantity: Decimal;
}

/**
 * Add-ons given at contract creation become contract items flagged `isAddOn`, exactly like those the
 * self-serve `addAddOn` adds later (so `removeAddOn` and `changeQuantity` work on them). Only flat fees: a usage
 * add-on would need the meter-overlap checks of contract creation, and `addAddOn` has them. A pricing the plan
 * already charges, or one given twice, would bill twice: refused, naming the entry.
 */
export async function checkCreationAddOns(
  tx: RequestContext,
  inputs: readonly ContractAddOnInput[],
  planPricingIds: ReadonlySet<string>,
): Promise<CheckedAddOn[]> {
  if (!inputs.length) return [];
  const ids = [...new Set(inputs.map((i) => i.pricingId))];
  const found = await tx
    .repo(PricingEntity)
    .find({ where: { id: In(ids), environmentId: tx.environmentId } });
  const byId = new Map(found.map((p) => [p.id, p]));
  const seen = new Map<string, number>();
  return inputs.map((input, index) => {
    const at = `input.addOns.${index}`;
    const pricing = byId.get(input.pricingId);
    if (pricing?.kind !== 'FLAT_FEE') {
      throw badInput(`${at}.pricingId`, `flat-fee pricing ${input.pricingId} not found`);
    }
    if (planPricingIds.has(pricing.id)) {
      throw badInput(`${at}.pricingId`, `${pricing.name} is already charged by the contract's plan`);
    }
    const earlier = seen.get(pricing.id);
    if (earlier !== undefined) {
      throw badInput(`${at}.pricingId`, `repeats addOns.${earlier}; give one entry with the total quantity`);
    }
    seen.set(pricing.id, index);
    const quantity =
      input.quantity === null || input.quantity === undefined
        ? new Decimal(1)
        : checkDecimal(input.quantity, `${at}.quantity`, POSITIVE_QUANTITY_RULE);
    return { pricing, quantity };
  });
}
