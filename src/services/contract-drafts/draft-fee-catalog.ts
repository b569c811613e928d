import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import type { ContractDraftContent } from '../../domain/contract-draft';
import type { DraftFeeCatalog } from '../../domain/draft-fee-billing';
import { PlanItemEntity } from '../../entities/plan-item.entity';
import { PricingEntity } from '../../entities/pricing.entity';

/**
 * What the catalog says about the pricings some drafts' fees name, for `computeDraftIssues`: two indexed
 * queries for a whole page of drafts, none when no fee names a pricing (the usual Salesforce deal).
 */
export async function loadDraftFeeCatalog(
  ctx: RequestContext,
  contents: readonly ContractDraftContent[],
): Promise<DraftFeeCatalog> {
  const withPricedFees = contents.filter((c) => c.flatFees.some((fee) => fee.pricingId !== null));
  const pricingIds = [
    ...new Set(
      withPricedFees.flatMap((c) => c.flatFees.map((fee) => fee.pricingId).filter((id) => id !== null)),
    ),
  ];
  const planIds = [...new Set(withPricedFees.map((c) => c.plan?.planId).filter((id) => id !== undefined))];
  if (!pricingIds.length) return { flatFees: new Map(), planItems: new Map() };
  const env = ctx.environmentId;
  const [pricings, items] = await Promise.all([
    ctx.repo(PricingEntity).find({ where: { id: In(pricingIds), environmentId: env, kind: 'FLAT_FEE' } }),
    planIds.length
      ? ctx.repo(PlanItemEntity).find({ where: { planId: In(planIds), environmentId: env } })
      : Promise.resolve([]),
  ]);
  const planItems = new Map<string, Map<string, string>>();
  for (const item of items) {
    const plan = planItems.get(item.planId) ?? new Map<string, string>();
    plan.set(item.pricingId, item.quantity.toFixed());
    planItems.set(item.planId, plan);
  }
  return {
    flatFees: new Map(
      pricings.map((p) => [p.id, { name: p.name, amount: p.flatAmount ? p.flatAmount.toFixed() : null }]),
    ),
    planItems,
  };
}
