import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { Decimal, ZERO } from '../../domain/money';
import {
  addDays,
  addMonthsClamped,
  contractEndExclusive,
  daysBetween,
  formatCalendarDate,
  periodContaining,
  startOfUtcDay,
} from '../../domain/periods';
import { ContractAmendmentEntity, type AmendmentSource } from '../../entities/contract-amendment.entity';
import { ContractItemEntity } from '../../entities/contract-item.entity';
import { ContractEntity } from '../../entities/contract.entity';
import { CreditGrantEntity } from '../../entities/credit-grant.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';
import { PlanItemEntity } from '../../entities/plan-item.entity';
import { PlanEntity, type BillingCycle } from '../../entities/plan.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import { contractSchedule } from '../invoicing';
import { actorOf } from './contract.service';
import type { CreditService } from '../credits';
import { checkDecimal, POSITIVE_QUANTITY_RULE } from '../common';
import type { InvoiceScheduleService } from '../invoicing';
import type { InvoiceService } from '../invoicing';
import { liveTopics, publishAfterCommit } from '../common';
import { BILLING_CYCLES } from '../catalog';
import type { PubSub } from '../common';
import type { CrmOrderType, SelfServeCrmSync } from '../crm';
import { amendmentSourceOf, runIdempotent, type IdempotentOutcome } from '../common';

/**
 * When a change takes effect:
 * - IMMEDIATE: now (or the contract's start, when it has not started yet);
 * - END_OF_PERIOD: the end of the billing period holding now (the next period boundary);
 * - ON_DATE: `date` (for cancellations, `date` is the new LAST DAY covered, like `Contract.endDate`).
 */
export type ChangeTiming = 'IMMEDIATE' | 'END_OF_PERIOD' | 'ON_DATE';
export const CHANGE_TIMINGS: readonly ChangeTiming[] = ['IMMEDIATE', 'END_OF_PERIOD', 'ON_DATE'];

/** Every contract mutation answers with the contract and the amendment it recorded (ids: replayable JSON). */
export interface ContractChangeResult extends Record<string, unknown> {
  contractId: string;
  amendmentId: string;
}

interface Keyed {
  contractId: string;
  idempotencyKey: string;
}

interface Timed {
  timing?: ChangeTiming | null;
  date?: Date | null;
}

export interface ChangePlanInput extends Keyed, Timed {
  planId: string;
}
export interface AddAddOnInput extends Keyed, Timed {
  pricingId: string;
  /** Seats for a flat fee (default 1); usage add-ons are always 1. */
  quantity?: Decimal | null;
}
export interface RemoveAddOnInput extends Keyed, Timed {
  pricingId: string;
}
export interface ChangeQuantityInput extends Keyed, Timed {
  pricingId: string;
  quantity: Decimal;
}
export interface ChangeBillingCycleInput extends Keyed {
  billingCycle: BillingCycle;
}
export type CancelContractInput = Keyed & Timed;
export interface SetAutoRenewInput extends Keyed {
  enabled: boolean;
}

/** What an operation did, for the amendment row and the CRM Order. */
interface AmendmentSpec {
  kind: string;
  effectiveAt: Date;
  details: Record<string, unknown>;
  crmType: CrmOrderType;
  crmDescription: string;
}

const RENEWAL_ACTOR = 'contract-renewal';

/**
 * Self-serve contract management: plan changes, add-ons, seat quantities, billing cycle,
 * cancellation, auto-renew and renewal. Every change:
 * - runs in ONE transaction holding the contract row lock, behind an idempotency record (`runIdempotent`);
 * - is expressed on the effective-dated contract items (old items end at the change instant, new ones start
 *   there), so the invoice engine prices usage and prorated flat fees on each side of it with no special case;
 * - records a contract amendment (who, when, what, source) and, when Salesforce is connected, the CRM outbox
 *   rows in the same transaction;
 * - is refused with a clear error, changing nothing, when the contract is cancelled or ended, when it would
 *   alter a finalized period, or when a plan bills in another currency.
 */
export class ContractAmendmentService {
  constructor(
    private readonly schedule: InvoiceScheduleService,
    private readonly invoices: InvoiceService,
    private readonly credits: CreditService,
    private readonly crm: SelfServeCrmSync,
    private readonly pubsub: PubSub | null,
  ) {}

  // ------------------------------------------------------------------------------------------ mutations

  async changePlan(
    ctx: RequestContext,
    input: ChangePlanInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.amend(ctx, 'changePlan', input, async (tx, contract, items) => {
      const plan = await tx
        .repo(PlanEntity)
        .findOne({ where: { id: input.planId, environmentId: tx.environmentId } });
      if (!plan) throw notFound('Plan', input.planId, 'planId');
      if (plan.currency !== contract.currency) {
        throw badInput(
          'planId',
          `Plan ${plan.name} is priced in ${plan.currency} but contract ${contract.id} bills in ${contract.currency}; ` +
            'a contract keeps its currency: choose a plan in the same currency',
        );
      }
      if (plan.id === contract.planId)
        throw badInput('planId', `Contract ${contract.id} is already on plan ${plan.name}`);
      const at = await this.resolveInstant(tx, contract, input);
      rejectLaterChanges(items, at);
      const fromPlan = await tx.repo(PlanEntity).findOneOrFail({ where: { id: contract.planId } });
      const [newItems, oldPlanItems] = await Promise.all([
        tx
          .repo(PlanItemEntity)
          .find({ where: { planId: plan.id, environmentId: tx.environmentId }, order: { position: 'ASC' } }),
        tx.repo(PlanItemEntity).find({ where: { planId: fromPlan.id, environmentId: tx.environmentId } }),
      ]);
      const active = items.filter((i) => activeAt(i, at));
      const pricings = await this.pricingsById(
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
        await this.endItem(tx, item, at);
      }
      await this.insertItems(
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
    });
  }

  async addAddOn(
    ctx: RequestContext,
    input: AddAddOnInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.amend(ctx, 'addAddOn', input, async (tx, contract, items) => {
      const pricing = await this.getPricing(tx, input.pricingId);
      let quantity = new Decimal(1);
      if (input.quantity !== null && input.quantity !== undefined) {
        quantity = checkDecimal(input.quantity, 'quantity', POSITIVE_QUANTITY_RULE);
        if (pricing.kind === 'USAGE' && !quantity.eq(1)) {
          throw badInput('quantity', 'usage add-ons are billed by usage; quantity applies to flat fees only');
        }
      }
      const at = await this.resolveInstant(tx, contract, input);
      rejectLaterChanges(items, at);
      const active = items.filter((i) => activeAt(i, at));
      if (active.some((i) => i.pricingId === pricing.id)) {
        throw conflict(
          `${pricing.name} is already on contract ${contract.id}; use changeQuantity to change seats`,
          'pricingId',
        );
      }
      if (pricing.meterId) {
        const pricings = await this.pricingsById(
          tx,
          active.map((i) => i.pricingId),
        );
        if (active.some((i) => pricings.get(i.pricingId)?.meterId === pricing.meterId)) {
          throw conflict(`The contract already prices the meter of ${pricing.name}`, 'pricingId');
        }
      }
      await this.insertItems(tx, contract, [
        {
          planId: null,
          pricingId: pricing.id,
          position: nextPosition(items),
          quantity,
          isAddOn: true,
          startsAt: at,
        },
      ]);
      return {
        kind: 'ADD_ON_ADDED',
        effectiveAt: at,
        details: {
          pricingId: pricing.id,
          pricingName: pricing.name,
          quantity: quantity.toFixed(),
          timing: input.timing ?? 'IMMEDIATE',
        },
        crmType: 'Add-On',
        crmDescription: `Add-on ${pricing.name} × ${quantity.toFixed()} from ${at.toISOString()}`,
      };
    });
  }

  async removeAddOn(
    ctx: RequestContext,
    input: RemoveAddOnInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.amend(ctx, 'removeAddOn', input, async (tx, contract, items) => {
      const pricing = await this.getPricing(tx, input.pricingId);
      const at = await this.resolveInstant(tx, contract, input);
      rejectLaterChanges(items, at);
      const item = items.find((i) => i.pricingId === pricing.id && activeAt(i, at));
      if (!item)
        throw badInput(
          'pricingId',
          `${pricing.name} is not on contract ${contract.id} at ${at.toISOString()}`,
        );
      if (!item.isAddOn) {
        throw badInput(
          'pricingId',
          `${pricing.name} is part of the contract's plan; change the plan instead`,
        );
      }
      await this.endItem(tx, item, at);
      return {
        kind: 'ADD_ON_REMOVED',
        effectiveAt: at,
        details: { pricingId: pricing.id, pricingName: pricing.name, timing: input.timing ?? 'IMMEDIATE' },
        crmType: 'Add-On Removal',
        crmDescription: `Add-on ${pricing.name} removed from ${at.toISOString()}`,
      };
    });
  }

  async changeQuantity(
    ctx: RequestContext,
    input: ChangeQuantityInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.amend(ctx, 'changeQuantity', input, async (tx, contract, items) => {
      const quantity = checkDecimal(input.quantity, 'quantity', POSITIVE_QUANTITY_RULE);
      const pricing = await this.getPricing(tx, input.pricingId);
      if (pricing.kind !== 'FLAT_FEE') {
        throw badInput(
          'pricingId',
          `${pricing.name} is billed by usage; quantities apply to flat fees (seats)`,
        );
      }
      const at = await this.resolveInstant(tx, contract, input);
      rejectLaterChanges(items, at);
      const item = items.find((i) => i.pricingId === pricing.id && activeAt(i, at));
      if (!item)
        throw badInput(
          'pricingId',
          `${pricing.name} is not on contract ${contract.id} at ${at.toISOString()}`,
        );
      if (item.quantity.eq(quantity))
        throw badInput('quantity', `The quantity is already ${quantity.toFixed()}`);
      await this.endItem(tx, item, at);
      await this.insertItems(tx, contract, [
        {
          planId: item.planId,
          pricingId: item.pricingId,
          position: item.position,
          quantity,
          isAddOn: item.isAddOn,
          startsAt: at,
        },
      ]);
      const up = quantity.gt(item.quantity);
      return {
        kind: 'QUANTITY_CHANGED',
        effectiveAt: at,
        details: {
          pricingId: pricing.id,
          pricingName: pricing.name,
          fromQuantity: item.quantity.toFixed(),
          toQuantity: quantity.toFixed(),
          timing: input.timing ?? 'IMMEDIATE',
        },
        crmType: up ? 'Upsell' : 'Downsell',
        crmDescription: `${pricing.name}: ${item.quantity.toFixed()} → ${quantity.toFixed()} from ${at.toISOString()}`,
      };
    });
  }

  /**
   * Switches the billing cycle from the next period boundary: the current period is billed as it is, the
   * pre-generated DRAFT invoices of later periods are deleted (never started, never numbered) and the new
   * schedule is pre-generated from the boundary, which becomes the contract's billing anchor.
   */
  async changeBillingCycle(
    ctx: RequestContext,
    input: ChangeBillingCycleInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.amend(ctx, 'changeBillingCycle', input, async (tx, contract) => {
      if (!BILLING_CYCLES.includes(input.billingCycle)) {
        throw badInput('billingCycle', `must be one of ${BILLING_CYCLES.join(', ')}`);
      }
      if (input.billingCycle === contract.billingCycle) {
        throw badInput('billingCycle', `Contract ${contract.id} is already billed ${contract.billingCycle}`);
      }
      const now = tx.now();
      const boundary =
        now.getTime() < contract.startDate.getTime()
          ? contract.startDate
          : await this.currentPeriodEnd(tx, contract, now);
      const end = contractEndExclusive(contract.endDate);
      if (end && boundary.getTime() >= end.getTime()) {
        throw conflict(
          `Contract ${contract.id} ends with its current billing period (last day ${formatCalendarDate(contract.endDate!)}); ` +
            'there is no later period to bill on another cycle',
          'billingCycle',
        );
      }
      await this.rejectFinalizedAfter(tx, contract, boundary, 'billingCycle');
      await tx.manager.query(
        `DELETE FROM invoices WHERE environment_id = ? AND contract_id = ? AND kind = 'PERIOD' AND status = 'DRAFT'
           AND period_start >= ?`,
        [tx.environmentId, contract.id, boundary],
      );
      const from = contract.billingCycle;
      contract.billingCycle = input.billingCycle;
      contract.billingAnchor = boundary;
      await this.saveContract(tx, contract);
      await this.schedule.ensureInvoices(tx, contract.id);
      return {
        kind: 'BILLING_CYCLE_CHANGED',
        effectiveAt: boundary,
        details: { fromCycle: from, toCycle: input.billingCycle },
        crmType: 'Billing Change',
        crmDescription: `Billing cycle ${from} → ${input.billingCycle} from ${boundary.toISOString()}`,
      };
    });
  }

  /**
   * Cancels the contract: its last day becomes today (IMMEDIATE), the last day of the current period
   * (END_OF_PERIOD) or `date` (ON_DATE). The invoice holding the end is cut there (it covers usage and
   * prorated fees to the end), later drafts are voided, auto-renew is turned off, and promotional credits end
   * with the contract (their expiry is capped at the end, so the final invoice may still draw on them;
   * grants that could never be drawn are voided now). Cancelling before the start cancels outright.
   */
  async cancel(
    ctx: RequestContext,
    input: CancelContractInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.amend(ctx, 'cancelContract', input, async (tx, contract, items) => {
      const now = tx.now();
      const timing = input.timing ?? 'IMMEDIATE';
      checkTimingDate(timing, input.date);
      let endExclusive: Date;
      if (timing === 'IMMEDIATE') {
        endExclusive =
          now.getTime() < contract.startDate.getTime() ? contract.startDate : addDays(startOfUtcDay(now), 1);
      } else if (timing === 'END_OF_PERIOD') {
        endExclusive = await this.currentPeriodEnd(tx, contract, now);
      } else {
        endExclusive = addDays(startOfUtcDay(input.date!), 1);
        if (endExclusive.getTime() <= startOfUtcDay(now).getTime()) {
          throw badInput(
            'date',
            'is the last day covered and may not be before today (no retroactive cancellation)',
          );
        }
      }
      const currentEnd = contractEndExclusive(contract.endDate);
      if (currentEnd && endExclusive.getTime() > currentEnd.getTime()) {
        throw badInput(
          'date',
          `Contract ${contract.id} already ends on ${formatCalendarDate(contract.endDate!)}`,
        );
      }
      await this.rejectFinalizedAfter(tx, contract, endExclusive, 'date');
      const outright = endExclusive.getTime() <= contract.startDate.getTime();
      const lastDay = addDays(endExclusive, -1);

      if (outright) {
        contract.status = 'CANCELLED';
      } else {
        contract.endDate = lastDay;
        for (const item of items) {
          if (item.endsAt === null || item.endsAt.getTime() > endExclusive.getTime())
            await this.endItem(tx, item, endExclusive);
        }
        // The invoice holding the end now ends there (the finalizer takes it once the end has passed).
        await tx.manager.query(
          `UPDATE invoices SET period_end = ?, updated_at = ? WHERE environment_id = ? AND contract_id = ?
             AND kind = 'PERIOD' AND status = 'DRAFT' AND period_start < ? AND period_end > ?`,
          [endExclusive, now, tx.environmentId, contract.id, endExclusive, endExclusive],
        );
      }
      contract.autoRenew = false;
      await this.saveContract(tx, contract);
      const later = await tx
        .repo(InvoiceEntity)
        .createQueryBuilder('i')
        .select('i.id', 'id')
        .where(
          "i.environment_id = :env AND i.contract_id = :id AND i.kind = 'PERIOD' AND i.status = 'DRAFT'",
          {
            env: tx.environmentId,
            id: contract.id,
          },
        )
        .andWhere('i.period_start >= :end', { end: outright ? new Date(0) : endExclusive })
        .getRawMany<{ id: string }>();
      for (const { id } of later) await this.invoices.void(tx, id);

      const promos = await tx.repo(CreditGrantEntity).find({
        where: {
          environmentId: tx.environmentId,
          contractId: contract.id,
          type: 'PROMOTIONAL',
          status: 'ACTIVE',
        },
      });
      for (const grant of promos) {
        if (outright || grant.effectiveAt.getTime() >= endExclusive.getTime()) {
          await this.credits.voidGrant(tx, grant.id);
        } else if (grant.expiresAt === null || grant.expiresAt.getTime() > endExclusive.getTime()) {
          // Capped, not voided: the final invoice (still a draft) may draw on them; the credit expiry worker
          // writes the remainder off (EXPIRY) once that invoice is final.
          await tx.repo(CreditGrantEntity).update({ id: grant.id }, { expiresAt: endExclusive });
        }
      }
      return {
        kind: 'CANCELLED',
        effectiveAt: endExclusive,
        details: {
          timing,
          lastDay: outright ? null : formatCalendarDate(lastDay),
          outright,
          voidedInvoices: later.length,
        },
        crmType: 'Cancellation',
        crmDescription: outright
          ? 'Cancelled before it started'
          : `Cancelled; last day covered ${formatCalendarDate(lastDay)}`,
      };
    });
  }

  async setAutoRenew(
    ctx: RequestContext,
    input: SetAutoRenewInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.amend(ctx, 'setAutoRenew', input, async (tx, contract) => {
      if (!contract.endDate) {
        throw conflict(
          `Contract ${contract.id} is evergreen (no end date): it has no term to renew`,
          'enabled',
        );
      }
      const from = contract.autoRenew;
      contract.autoRenew = input.enabled;
      await this.saveContract(tx, contract);
      return {
        kind: input.enabled ? 'AUTO_RENEW_ENABLED' : 'AUTO_RENEW_DISABLED',
        effectiveAt: tx.now(),
        details: {
          from,
          to: input.enabled,
          renewsOn: input.enabled ? contractEndExclusive(contract.endDate)!.toISOString() : null,
        },
        crmType: 'Auto-Renew Change',
        crmDescription: input.enabled ? 'Auto-renew turned on' : 'Auto-renew turned off',
      };
    });
  }

  // ------------------------------------------------------------------------------------------ renewal

  /**
   * Contracts (any environment) with auto-renew on whose term is over: the renewal worker renews them.
   * `end_date` is the inclusive last day at 00:00Z, so the term is over once it is before today.
   */
  async findDueForRenewal(
    ctx: RequestContext,
    limit: number,
  ): Promise<Array<{ id: string; environmentId: string; organizationId: string }>> {
    return (await ctx.manager.query(
      `SELECT c.id AS id, c.environment_id AS environmentId, e.organization_id AS organizationId
         FROM contracts c JOIN environments e ON e.id = c.environment_id
        WHERE c.status = 'ACTIVE' AND c.auto_renew = TRUE AND c.end_date IS NOT NULL AND c.end_date < ?
        ORDER BY c.end_date, c.id LIMIT ${Number(limit)}`,
      [startOfUtcDay(ctx.now())],
    )) as Array<{ id: string; environmentId: string; organizationId: string }>;
  }

  /** Renews one contract if its term is over (the worker's step; also run lazily before any change). */
  async renew(ctx: RequestContext, contractId: string): Promise<number> {
    return withTransaction(ctx, async (tx) => {
      const contract = await tx.repo(ContractEntity).findOne({
        where: { id: contractId, environmentId: tx.environmentId },
        lock: { mode: 'pessimistic_write' },
      });
      return contract ? this.renewIfDue(tx, contract) : 0;
    });
  }

  /**
   * A renewed term continues the SAME contract: the end date moves by the length of the term that ended
   * (whole months when it was whole months, else days), the schedule continues from the same anchor and the
   * new term's invoices are pre-generated. Terms missed while nothing ran are renewed one after another.
   * The contract row must be locked by the caller.
   */
  private async renewIfDue(tx: RequestContext, contract: ContractEntity): Promise<number> {
    if (!contract.autoRenew || !contract.endDate || contract.status !== 'ACTIVE') return 0;
    let renewed = 0;
    for (let end = contractEndExclusive(contract.endDate)!; end.getTime() <= tx.now().getTime();) {
      const last = await tx.repo(ContractAmendmentEntity).findOne({
        where: { contractId: contract.id, environmentId: tx.environmentId, kind: 'RENEWED' },
        order: { createdAt: 'DESC', id: 'DESC' },
      });
      const termStart = last ? new Date(String(last.details.termStart)) : contract.startDate;
      const nextEnd = nextTermEnd(termStart, end);
      const previousLastDay = contract.endDate;
      contract.endDate = addDays(nextEnd, -1);
      await this.saveContract(tx, contract);
      await this.resyncDraftPeriodEnds(tx, contract);
      await this.schedule.ensureInvoices(tx, contract.id);
      const amendment = await this.insertAmendment(tx, contract, {
        kind: 'RENEWED',
        source: 'SYSTEM',
        actor: `system:${RENEWAL_ACTOR}`,
        effectiveAt: end,
        details: {
          termStart: end.toISOString(),
          previousLastDay: formatCalendarDate(previousLastDay),
          newLastDay: formatCalendarDate(contract.endDate),
        },
        idempotencyKey: null,
      });
      await this.crm.contractChanged(tx, contract, {
        amendmentId: amendment.id,
        type: 'Renewal',
        effectiveAt: end,
        description: `Renewed until ${formatCalendarDate(contract.endDate)}`,
      });
      this.announce(tx, contract);
      renewed++;
      end = nextEnd;
    }
    return renewed;
  }

  /** When the schedule's period holding a draft's start ends elsewhere now (a renewed partial period), follow it. */
  private async resyncDraftPeriodEnds(tx: RequestContext, contract: ContractEntity): Promise<void> {
    const drafts = await tx
      .repo(InvoiceEntity)
      .createQueryBuilder('i')
      .where(
        "i.contract_id = :id AND i.kind = 'PERIOD' AND i.status = 'DRAFT' AND i.period_start >= :anchor",
        {
          id: contract.id,
          anchor: contract.billingAnchor,
        },
      )
      .getMany();
    const schedule = contractSchedule(contract);
    for (const draft of drafts) {
      const period = periodContaining(schedule, draft.periodStart);
      if (
        period &&
        period.start.getTime() === draft.periodStart.getTime() &&
        period.end.getTime() !== draft.periodEnd.getTime()
      ) {
        await tx.repo(InvoiceEntity).update({ id: draft.id }, { periodEnd: period.end, updatedAt: tx.now() });
      }
    }
  }

  // ------------------------------------------------------------------------------------------ queries

  /** Every amendment of the contract, oldest first. */
  async history(ctx: RequestContext, contractId: string): Promise<ContractAmendmentEntity[]> {
    const contract = await ctx
      .repo(ContractEntity)
      .findOne({ where: { id: contractId, environmentId: ctx.environmentId } });
    if (!contract || (ctx.portalCustomerId && contract.customerId !== ctx.portalCustomerId)) {
      throw notFound('Contract', contractId, 'contractId');
    }
    return ctx.repo(ContractAmendmentEntity).find({
      where: { contractId, environmentId: ctx.environmentId },
      // Amendments recorded in one instant (a frozen test clock, a lazy renewal before a change) keep the order
      // in which they take effect.
      order: { createdAt: 'ASC', effectiveAt: 'ASC', id: 'ASC' },
    });
  }

  async findAmendment(ctx: RequestContext, id: string): Promise<ContractAmendmentEntity> {
    return ctx
      .repo(ContractAmendmentEntity)
      .findOneOrFail({ where: { id, environmentId: ctx.environmentId } });
  }

  async findCancellation(ctx: RequestContext, contractId: string): Promise<ContractAmendmentEntity | null> {
    return ctx.repo(ContractAmendmentEntity).findOne({
      where: { contractId, environmentId: ctx.environmentId, kind: 'CANCELLED' },
      order: { createdAt: 'DESC' },
    });
  }

  // ------------------------------------------------------------------------------------------ internals

  private async amend(
    ctx: RequestContext,
    operation: string,
    input: Keyed & Partial<Timed>,
    apply: (
      tx: RequestContext,
      contract: ContractEntity,
      items: ContractItemEntity[],
    ) => Promise<AmendmentSpec>,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    const { idempotencyKey, ...request } = input;
    if (input.timing !== undefined && input.timing !== null && !CHANGE_TIMINGS.includes(input.timing)) {
      throw badInput('timing', `must be one of ${CHANGE_TIMINGS.join(', ')}`);
    }
    if ('timing' in input || 'date' in input) checkTimingDate(input.timing ?? 'IMMEDIATE', input.date);
    return runIdempotent(ctx, { key: idempotencyKey, operation, request }, async (tx) => {
      const contract = await this.lockForChange(tx, input.contractId);
      const items = await tx.repo(ContractItemEntity).find({
        where: { contractId: contract.id, environmentId: tx.environmentId },
        order: { position: 'ASC', startsAt: 'ASC' },
      });
      const spec = await apply(tx, contract, items);
      await this.saveContract(tx, contract);
      const amendment = await this.insertAmendment(tx, contract, {
        kind: spec.kind,
        source: amendmentSourceOf(tx.caller),
        actor: actorOf(tx.caller),
        effectiveAt: spec.effectiveAt,
        details: { operation, ...spec.details },
        idempotencyKey,
      });
      await this.crm.contractChanged(tx, contract, {
        amendmentId: amendment.id,
        type: spec.crmType,
        effectiveAt: spec.effectiveAt,
        description: spec.crmDescription,
      });
      this.announce(tx, contract);
      return { contractId: contract.id, amendmentId: amendment.id };
    });
  }

  /** Locks the contract and refuses changes to a cancelled or ended one (renewing it first when due). */
  private async lockForChange(tx: RequestContext, contractId: string): Promise<ContractEntity> {
    const contract = await tx.repo(ContractEntity).findOne({
      where: { id: contractId, environmentId: tx.environmentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!contract || (tx.portalCustomerId && contract.customerId !== tx.portalCustomerId)) {
      throw notFound('Contract', contractId, 'contractId');
    }
    await this.renewIfDue(tx, contract);
    if (contract.status === 'CANCELLED') {
      throw conflict(`Contract ${contract.id} is cancelled; it can no longer be changed`, 'contractId');
    }
    const cancellation = await this.findCancellation(tx, contract.id);
    if (cancellation) {
      throw conflict(
        `Contract ${contract.id} was cancelled on ${cancellation.createdAt.toISOString()} (last day ` +
          `${contract.endDate ? formatCalendarDate(contract.endDate) : 'none'}); it can no longer be changed`,
        'contractId',
      );
    }
    const end = contractEndExclusive(contract.endDate);
    if (end && end.getTime() <= tx.now().getTime()) {
      throw conflict(
        `Contract ${contract.id} ended on ${formatCalendarDate(contract.endDate!)}; it can no longer be changed`,
        'contractId',
      );
    }
    return contract;
  }

  /** The instant a timed change takes effect, checked against the term and the finalized periods. */
  private async resolveInstant(tx: RequestContext, contract: ContractEntity, input: Timed): Promise<Date> {
    const timing = input.timing ?? 'IMMEDIATE';
    checkTimingDate(timing, input.date);
    const now = tx.now();
    const start = contract.startDate;
    let at: Date;
    if (timing === 'IMMEDIATE') at = now.getTime() < start.getTime() ? start : now;
    else if (timing === 'END_OF_PERIOD') at = await this.currentPeriodEnd(tx, contract, now);
    else {
      at = input.date!;
      if (at.getTime() < start.getTime()) {
        throw badInput('date', `is before the contract's start (${formatCalendarDate(start)})`);
      }
    }
    const end = contractEndExclusive(contract.endDate);
    if (end && at.getTime() >= end.getTime()) {
      throw badInput(
        timing === 'ON_DATE' ? 'date' : 'timing',
        `Contract ${contract.id} ends on ${formatCalendarDate(contract.endDate!)}; the change would take effect after it`,
      );
    }
    await this.rejectFinalizedAfter(tx, contract, at, timing === 'ON_DATE' ? 'date' : 'timing');
    return at;
  }

  /** End (exclusive) of the billing period holding `at`: its pre-generated invoice, else the schedule. */
  private async currentPeriodEnd(tx: RequestContext, contract: ContractEntity, at: Date): Promise<Date> {
    const t = at.getTime() < contract.startDate.getTime() ? contract.startDate : at;
    const invoice = await tx
      .repo(InvoiceEntity)
      .createQueryBuilder('i')
      .where("i.contract_id = :id AND i.kind = 'PERIOD' AND i.status <> 'VOID'", { id: contract.id })
      .andWhere('i.period_start <= :t AND i.period_end > :t', { t })
      .orderBy('i.period_start', 'DESC')
      .getOne();
    if (invoice) return invoice.periodEnd;
    const period = periodContaining(contractSchedule(contract), t);
    if (!period)
      throw conflict(`Contract ${contract.id} has no billing period at ${t.toISOString()}`, 'timing');
    return period.end;
  }

  /** A change effective at `at` may not touch a period whose invoice is already final. */
  private async rejectFinalizedAfter(
    tx: RequestContext,
    contract: ContractEntity,
    at: Date,
    field: string,
  ): Promise<void> {
    const frozen = await tx
      .repo(InvoiceEntity)
      .createQueryBuilder('i')
      .where("i.contract_id = :id AND i.kind = 'PERIOD' AND i.finalized_at IS NOT NULL", { id: contract.id })
      .andWhere('i.period_end > :at', { at })
      .orderBy('i.period_end', 'DESC')
      .getOne();
    if (frozen) {
      throw conflict(
        `${at.toISOString()} falls in a finalized billing period (invoice ${frozen.number ?? frozen.id}, ` +
          `${frozen.periodStart.toISOString()} – ${frozen.periodEnd.toISOString()}); changes may only take effect ` +
          'in periods that are still draft',
        field,
      );
    }
  }

  private async getPricing(tx: RequestContext, pricingId: string): Promise<PricingEntity> {
    const pricing = await tx
      .repo(PricingEntity)
      .findOne({ where: { id: pricingId, environmentId: tx.environmentId } });
    if (!pricing) throw notFound('Pricing', pricingId, 'pricingId');
    return pricing;
  }

  private async pricingsById(tx: RequestContext, ids: string[]): Promise<Map<string, PricingEntity>> {
    const unique = [...new Set(ids)];
    const rows = unique.length
      ? await tx.repo(PricingEntity).find({ where: { id: In(unique), environmentId: tx.environmentId } })
      : [];
    return new Map(rows.map((p) => [p.id, p]));
  }

  /** Ends an item at `at` (an item that would not have started by then is removed). */
  private async endItem(tx: RequestContext, item: ContractItemEntity, at: Date): Promise<void> {
    if (item.startsAt.getTime() >= at.getTime()) {
      await tx.repo(ContractItemEntity).delete({ id: item.id });
      return;
    }
    item.endsAt = at;
    await tx.repo(ContractItemEntity).update({ id: item.id }, { endsAt: at });
  }

  private async insertItems(
    tx: RequestContext,
    contract: ContractEntity,
    items: Array<
      Pick<ContractItemEntity, 'planId' | 'pricingId' | 'position' | 'quantity' | 'isAddOn' | 'startsAt'>
    >,
  ): Promise<void> {
    if (!items.length) return;
    const now = tx.now();
    await tx.repo(ContractItemEntity).insert(
      items.map((item) =>
        tx.repo(ContractItemEntity).create({
          ...item,
          id: newId('cti', now.getTime()),
          environmentId: tx.environmentId,
          contractId: contract.id,
          endsAt: null,
          createdAt: now,
        }),
      ),
    );
  }

  private async saveContract(tx: RequestContext, contract: ContractEntity): Promise<void> {
    contract.updatedAt = tx.now();
    await tx.repo(ContractEntity).update(
      { id: contract.id },
      {
        planId: contract.planId,
        status: contract.status,
        endDate: contract.endDate,
        billingCycle: contract.billingCycle,
        billingAnchor: contract.billingAnchor,
        autoRenew: contract.autoRenew,
        updatedAt: contract.updatedAt,
      },
    );
  }

  private async insertAmendment(
    tx: RequestContext,
    contract: ContractEntity,
    fields: {
      kind: string;
      source: AmendmentSource;
      actor: string;
      effectiveAt: Date;
      details: Record<string, unknown>;
      idempotencyKey: string | null;
    },
  ): Promise<ContractAmendmentEntity> {
    const now = tx.now();
    const id = newId('cam', now.getTime());
    const amendment = tx.repo(ContractAmendmentEntity).create({
      ...fields,
      id,
      environmentId: tx.environmentId,
      contractId: contract.id,
      actor: fields.actor.slice(0, 100),
      result: { contractId: contract.id, amendmentId: id },
      createdAt: now,
    });
    // TypeORM's insert typing cannot express JSON columns typed as records; the entity is complete.
    await tx.repo(ContractAmendmentEntity).insert(amendment as never);
    return amendment;
  }

  /** Live draft invoices of the customer re-price once this commits. */
  private announce(tx: RequestContext, contract: ContractEntity): void {
    publishAfterCommit(tx, this.pubsub, liveTopics.contracts(tx.environmentId, contract.customerId), {
      customerId: contract.customerId,
      contractId: contract.id,
    });
  }
}

function checkTimingDate(timing: ChangeTiming, date: Date | null | undefined): void {
  const given = date !== null && date !== undefined;
  if (timing === 'ON_DATE' && !given) throw badInput('date', 'is required when timing is ON_DATE');
  if (timing !== 'ON_DATE' && given) throw badInput('date', 'is only used when timing is ON_DATE');
  if (given && (!(date instanceof Date) || Number.isNaN(date.getTime())))
    throw badInput('date', 'must be a date-time');
}

function activeAt(item: ContractItemEntity, at: Date): boolean {
  return (
    item.startsAt.getTime() <= at.getTime() && (item.endsAt === null || item.endsAt.getTime() > at.getTime())
  );
}

/**
 * Changes are made in time order: one taking effect before a change already scheduled (a plan change at the
 * end of the period, say) would have to rewrite it. Refused with the instant to wait for.
 */
function rejectLaterChanges(items: readonly ContractItemEntity[], at: Date): void {
  const later = items
    .flatMap((i) => [i.startsAt, i.endsAt])
    .filter((t): t is Date => t !== null && t.getTime() > at.getTime())
    .sort((a, b) => a.getTime() - b.getTime())[0];
  if (later) {
    throw conflict(
      `Another change to this contract takes effect at ${later.toISOString()}; changes must take effect in order ` +
        '(choose ON_DATE at or after it)',
      'timing',
    );
  }
}

function nextPosition(items: readonly ContractItemEntity[]): number {
  return items.reduce((max, i) => Math.max(max, i.position), 0) + 1;
}

/** Flat fees per period of a plan's items (to tell an upgrade from a downgrade for the CRM). */
function flatTotal(items: readonly PlanItemEntity[], pricings: ReadonlyMap<string, PricingEntity>): Decimal {
  return items.reduce((sum, item) => {
    const p = pricings.get(item.pricingId);
    return p?.kind === 'FLAT_FEE' && p.flatAmount ? sum.plus(p.flatAmount.mul(item.quantity)) : sum;
  }, ZERO);
}

/** The exclusive end of the term after [termStart, end): the same number of whole months, else of days. */
export function nextTermEnd(termStart: Date, end: Date): Date {
  for (let months = 1; months <= 1200; months++) {
    const candidate = addMonthsClamped(termStart, months).getTime();
    if (candidate === end.getTime()) return addMonthsClamped(end, months);
    if (candidate > end.getTime()) break;
  }
  return addDays(end, Math.max(1, daysBetween(termStart, end)));
}
