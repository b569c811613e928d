import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import type { ContractDraftContent, DraftPlanTermsCatalog } from '../../domain/contract-draft';
import { PlanEntity } from '../../entities/plan.entity';

/** The terms of the plans some drafts name (one indexed query), which drafts not stating them inherit. */
export async function loadDraftPlanTerms(
  ctx: RequestContext,
  contents: readonly ContractDraftContent[],
): Promise<DraftPlanTermsCatalog> {
  const planIds = [...new Set(contents.map((c) => c.plan?.planId).filter((id) => id !== undefined))];
  if (!planIds.length) return new Map();
  const plans = await ctx.repo(PlanEntity).find({
    select: { id: true, billingCycle: true, netTermsDays: true, autoPay: true },
    where: { id: In(planIds), environmentId: ctx.environmentId },
  });
  return new Map(
    plans.map((p) => [
      p.id,
      { billingCycle: p.billingCycle, paymentTermsDays: p.netTermsDays, autoPay: p.autoPay },
    ]),
  );
}
