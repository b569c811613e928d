import { badInput, conflict, notFound } from '../../domain/errors';
import { ZERO, type Decimal } from '../../domain/money';
import { PlanItemEntity } from '../../entities/plan-item.entity';
import { PlanEntity } from '../../entities/plan.entity';
import type { PricingEntity } from '../../entities/pricing.entity';
import type { CrmOrderType } from '../crm';
import type { ApplyChange, ChangePlanInput } from './contract-change-inputs';
import type { ContractChangeTiming } from './contract-change-timing';
import { activeAt, endItem, insertItems, pricingsById, rejectLaterChanges } from './contract-item-changes';

/**
 * Moves the contract to another plan in the same currency: the old plan's items end at the change and the
 * new plan's start there; add-ons stay unless the new plan includes them, and seats changed on a flat fee
 * both plans share are kept. The CRM sees an upgrade or a downgrade by the plans' flat fees.
 */
export function planChange(timing: ContractChangeTiming, input: ChangePlanInput): ApplyChange {
  return async (tx, contract, items) => {
    const plan = await tx
      .repo(PlanEntity)
      .findOne({ where: { id: input.planId, environmentId: tx.environmentId } });
    if (!plan) throw notFound('Plan', input.planId, 'planId');
    // A customer moving its own contract picks from the self-serve catalog, like at sign-up; private
    // plans (negotiated prices) are assigned by operators.
    if (tx.caller.kind === 'PORTAL' && !plan.isPublic) {
      throw badInput('planId', `Plan ${input.planId} is not offered in the self-serve catalog (not public)`);
    }
    if (plan.currency !== contract.currency) {
      throw badInput(
        'planId',
        `Plan ${plan.name} is priced in ${plan.currency} but contract ${contract.id} bills in ${contract.currency}; ` +
          'a contract keeps its currency: choose a plan in the same currency',
      );
    }
    if (plan.id === contract.planId)
      throw badInput('planId', `Contract ${contract.id} is already on plan ${plan.name}`);
    const at = await timing.resolveInstant(tx, contract, input);
    rejectLaterChanges(items, at);
    const fromPlan = await tx.repo(PlanEntity).findOneOrFail({ where: { id: contract.planId } });
    const [newItems, oldPlanItems] = await Promise.all([
      tx
        .repo(PlanItemEntity)
        .find({ where: { planId: plan.id, environmentId: tx.environmentId }, order: { position: 'ASC' } }),
      tx.repo(PlanItemEntity).find({ where: { planId: fromPlan.id, environmentId: tx.environmentId } }),
    ]);
    const active = items.filter((i) => activeAt(i, at));
    const pricings = await pricingsById(
      tx,
      [...newItems, ...oldPlanItems, ...active].map((i) => i.pricingId),
    );
    const newPricingIds = new Set(newItems.map((i) => i.pricingId));
    const newMeters = new Set(newItems.map((i) => pricings.get(i.pricingId)?.meterId).filter(Boolean));
    for (const addOn of active.filter((i) => i.isAddOn && !newPricingIds.has(i.pricingId))) {
      const meterId = pricings.get(addOn.pricingId)?.meterId;
      if (meterId && newMeters.has(meterId)) {
        throw conflict(
          `Add-on ${pricings.get(addOn.pricingId)?.name} prices a meter plan ${plan.name} prices too; remove the add-on first`,
          'planId',
        );
      }
    }
    // Seats the customer changed on a flat fee both plans share are kept.
    const oldDefault = new Map(oldPlanItems.map((i) => [i.pricingId, i.quantity]));
    const carried = new Map<string, Decimal>();
    for (const item of active) {
      const def = oldDefault.get(item.pricingId);
      if (
        !item.isAddOn &&
        pricings.get(item.pricingId)?.kind === 'FLAT_FEE' &&
        def &&
        !def.eq(item.quantity)
      ) {
        carried.set(item.pricingId, item.quantity);
      }
    }
    // The old plan's items (and add-ons the new plan now includes) end at the change; the new plan's start.
    for (const item of active.filter((i) => !i.isAddOn || newPricingIds.has(i.pricingId))) {
      await endItem(tx, item, at);
    }
    await insertItems(
      tx,
      contract,
      newItems.map((pi) => ({
        planId: plan.id,
        pricingId: pi.pricingId,
        position: pi.position,
        quantity: carried.get(pi.pricingId) ?? pi.quantity,
        isAddOn: false,
        startsAt: at,
      })),
    );
    contract.planId = plan.id;
    const before = flatTotal(oldPlanItems, pricings);
    const after = flatTotal(newItems, pricings);
    const crmType: CrmOrderType = after.gt(before)
      ? 'Upgrade'
      : after.lt(before)
        ? 'Downgrade'
        : 'Plan Change';
    return {
      kind: 'PLAN_CHANGED',
      effectiveAt: at,
      details: {
        fromPlanId: fromPlan.id,
        fromPlanName: fromPlan.name,
        toPlanId: plan.id,
        toPlanName: plan.name,
        timing: input.timing ?? 'IMMEDIATE',
        direction: crmType.toUpperCase().replace(' ', '_'),
      },
      crmType,
      crmDescription: `${crmType}: ${fromPlan.name} → ${plan.name} from ${at.toISOString()}`,
    };
  };
}

/** Flat fees per period of a plan's items (to tell an upgrade from a downgrade for the CRM). */
function flatTotal(items: readonly PlanItemEntity[], pricings: ReadonlyMap<string, PricingEntity>): Decimal {
  return items.reduce((sum, item) => {
    const p = pricings.get(item.pricingId);
    return p?.kind === 'FLAT_FEE' && p.flatAmount ? sum.plus(p.flatAmount.mul(item.quantity)) : sum;
  }, ZERO);
}
