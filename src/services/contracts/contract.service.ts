import { In } from 'typeorm';
import type { Caller, RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import {
  canonicalDimensionKey,
  checkDimensions,
  describeEntry,
  findEntryClash,
  type Dimensions,
} from '../../domain/dimensions';
import { badInput, conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import type { Decimal } from '../../domain/money';
import { addDays, contractEndExclusive, formatCalendarDate, startOfUtcDay } from '../../domain/periods';
import { ContractAmendmentEntity, type AmendmentSource } from '../../entities/contract-amendment.entity';
import { ContractItemEntity } from '../../entities/contract-item.entity';
import { ContractRateOverrideEntity } from '../../entities/contract-rate-override.entity';
import { ContractEntity, type ContractSource, type ContractStatus } from '../../entities/contract.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { MeterEntity } from '../../entities/meter.entity';
import { PlanItemEntity } from '../../entities/plan-item.entity';
import { PlanEntity, type BillingCycle } from '../../entities/plan.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import { checkCreationAddOns, type ContractAddOnInput } from './contract-add-ons';
import { checkCommitmentTerms, describeCommitments, type CommitmentTermsInput } from './commitment-terms';
import { checkBillingAlignment, checkContractTerm } from './contract-term';
import type { ContractCreditsInput } from '../credits';
import { checkDecimal, RATE_RULE } from '../common';
import type { InvoiceScheduleService } from '../invoicing';
import { liveTopics, publishAfterCommit } from '../common';
import {
  checkOneTimeCharges,
  describeOneTimeCharge,
  insertOneTimeCharges,
  type OneTimeChargeInput,
} from './one-time-charges';
import { pageById, type Page, type PageArgs } from '../common';
import type { PubSub } from '../common';
import { noWebhookEvents, type WebhookEventSink } from '../webhooks';
import { BILLING_CYCLES, MAX_NET_TERMS_DAYS } from '../catalog';

export const MAX_RATE_OVERRIDES = 500;

export interface RateOverrideInput {
  meterCode: string;
  /** Group-key values of the meter; `{}` overrides every combination. Unknown shape: checked here. */
  dimensions: unknown;
  rate: Decimal;
}

/** `creditGrantCents` / `creditSettings` are granted by CreditService in the same transaction. */
export interface CreateContractInput extends ContractCreditsInput, CommitmentTermsInput {
  customerId: string;
  planId: string;
  /** The first day covered (time of day is ignored: UTC days). */
  startDate: Date;
  /** The last day covered, inclusive; null/absent = evergreen. */
  endDate?: Date | null;
  billingCycle?: BillingCycle | null;
  /** ANNIVERSARY (default): periods from the start; CALENDAR: calendar periods after a prorated stub. */
  billingAlignment?: ContractEntity['billingAlignment'] | null;
  paymentTermsDays?: number | null;
  autoPay?: boolean | null;
  rateOverrides?: readonly RateOverrideInput[] | null;
  /** Fixed dimension values for this customer, e.g. `{"customer_tier": "enterprise"}`. */
  dimensions?: unknown;
  /** Where the contract comes from (the connector passes SALESFORCE_DRAFT); default API. */
  source?: ContractSource;
  /** Charges billed once, in full, on the period invoice holding their charge date. */
  oneTimeCharges?: readonly OneTimeChargeInput[] | null;
  /** Recurring flat fees on top of the plan's items (see contract-add-ons.ts). */
  addOns?: readonly ContractAddOnInput[] | null;
}

/** Status as the API reports it: the stored status, with ENDED once the clock passes the end date. */
export type ContractStatusView = ContractStatus;

export interface ContractListArgs extends PageArgs {
  customerId?: string | null;
  status?: ContractStatusView | null;
}

/** Everything the invoice engine needs about a contract's plan, loaded in a few queries. */
interface PlanCatalog {
  plan: PlanEntity;
  items: PlanItemEntity[];
  pricings: Map<string, PricingEntity>;
  /** Meters priced by the plan, by code. */
  metersByCode: Map<string, MeterEntity>;
}

const AMENDMENT_SOURCE: Record<ContractSource, AmendmentSource> = {
  API: 'API',
  SELF_SERVE: 'SELF_SERVE',
  SALESFORCE_DRAFT: 'SALESFORCE_DRAFT',
};

export function actorOf(caller: Caller): string {
  if (caller.kind === 'API_KEY') return caller.apiKeyId;
  if (caller.kind === 'PORTAL') return caller.customerId;
  return `system:${caller.name}`;
}

/** Grants the credits asked for at creation, joining the contract's transaction (CreditService's). */
export type GrantContractCredits = (
  tx: RequestContext,
  contract: ContractEntity,
  input: ContractCreditsInput,
) => Promise<unknown>;

export class ContractService {
  /**
   * `grantCredits` is a closure because credits need invoices, which need contracts; contract changes are
   * announced on `contracts:<env>:<customer>` through `pubsub` after commit.
   */
  constructor(
    private readonly schedule: InvoiceScheduleService,
    private readonly grantCredits: GrantContractCredits,
    private readonly pubsub: PubSub,
    private readonly webhooks: WebhookEventSink = noWebhookEvents,
  ) {}

  async create(ctx: RequestContext, input: CreateContractInput): Promise<ContractEntity> {
    const { startDate, endDate } = checkContractTerm(input.startDate, input.endDate ?? null);
    const source = input.source ?? 'API';
    const oneTimeCharges = checkOneTimeCharges(input.oneTimeCharges ?? [], { startDate, endDate });

    return withTransaction(ctx, async (tx) => {
      // The customer row is the lock that serialises contract creation for one customer, so two concurrent
      // requests cannot both pass the overlap check below.
      const customer = await tx.repo(CustomerEntity).findOne({
        where: { id: input.customerId, environmentId: tx.environmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!customer) {
        throw notFound('Customer', input.customerId, 'input.customerId');
      }
      const catalog = await this.loadPlanCatalog(tx, input.planId);
      const { plan } = catalog;
      const billingCycle = input.billingCycle ?? plan.billingCycle;
      if (!BILLING_CYCLES.includes(billingCycle)) {
        throw badInput('input.billingCycle', `must be one of ${BILLING_CYCLES.join(', ')}`);
      }
      const billingAlignment = checkBillingAlignment(input.billingAlignment);
      const paymentTermsDays = input.paymentTermsDays ?? plan.netTermsDays;
      if (
        !Number.isInteger(paymentTermsDays) ||
        paymentTermsDays < 0 ||
        paymentTermsDays > MAX_NET_TERMS_DAYS
      ) {
        throw badInput(
          'input.paymentTermsDays',
          `must be a whole number of days from 0 to ${MAX_NET_TERMS_DAYS}`,
        );
      }
      const dimensions = this.checkContractDimensions(input.dimensions ?? {}, catalog);
      const overrides = this.checkOverrides(input.rateOverrides ?? [], catalog);
      const addOns = await checkCreationAddOns(tx, input.addOns ?? [], new Set(catalog.pricings.keys()));
      const charged = new Set([...catalog.pricings.keys(), ...addOns.map((a) => a.pricing.id)]);
      const commitments = checkCommitmentTerms(input, 'input', { currency: plan.currency, endDate }, charged);
      await this.rejectOverlap(tx, customer.id, startDate, endDate, catalog);

      const now = tx.now();
      const contract = tx.repo(ContractEntity).create({
        id: newId('ctr', now.getTime()),
        environmentId: tx.environmentId,
        customerId: customer.id,
        planId: plan.id,
        currency: plan.currency,
        status: 'ACTIVE',
        startDate,
        endDate,
        billingCycle,
        // Periods (and prorated fees) count from the start's UTC day; usage from its very instant (the items').
        billingAnchor: startOfUtcDay(startDate),
        billingAlignment,
        paymentTermsDays,
        autoPay: input.autoPay ?? plan.autoPay,
        autoRenew: false,
        dimensions,
        source,
        ...commitments,
        createdAt: now,
        updatedAt: now,
      });
      await tx.repo(ContractEntity).insert(contract);
      // Add-ons follow the plan's items on invoices.
      const firstAddOnPosition = catalog.items.reduce((max, i) => Math.max(max, i.position), 0) + 1;
      const items: Array<
        Pick<ContractItemEntity, 'planId' | 'pricingId' | 'position' | 'quantity' | 'isAddOn'>
      > = [
        ...catalog.items.map((item) => ({
          planId: plan.id,
          pricingId: item.pricingId,
          position: item.position,
          quantity: item.quantity,
          isAddOn: false,
        })),
        ...addOns.map((addOn, index) => ({
          planId: null,
          pricingId: addOn.pricing.id,
          position: firstAddOnPosition + index,
          quantity: addOn.quantity,
          isAddOn: true,
        })),
      ];
      if (items.length) {
        await tx.repo(ContractItemEntity).insert(
          items.map((item) =>
            tx.repo(ContractItemEntity).create({
              ...item,
              id: newId('cti', now.getTime()),
              environmentId: tx.environmentId,
              contractId: contract.id,
              // Items end with the contract implicitly; an explicit end marks a change (plan, seats).
              startsAt: startDate,
              endsAt: null,
              createdAt: now,
            }),
          ),
        );
      }
      await insertOneTimeCharges(tx, contract.id, oneTimeCharges);
      if (overrides.length) {
        await tx.repo(ContractRateOverrideEntity).insert(
          overrides.map((override) =>
            tx.repo(ContractRateOverrideEntity).create({
              id: newId('cro', now.getTime()),
              environmentId: tx.environmentId,
              contractId: contract.id,
              meterId: override.meter.id,
              position: override.index,
              dimensions: override.dimensions,
              dimensionKey: canonicalDimensionKey(override.dimensions),
              rate: override.rate,
              createdAt: now,
            }),
          ),
        );
      }
      const amendment = tx.repo(ContractAmendmentEntity).create({
        id: newId('cam', now.getTime()),
        environmentId: tx.environmentId,
        contractId: contract.id,
        kind: 'CREATED',
        source: AMENDMENT_SOURCE[source],
        actor: actorOf(tx.caller),
        details: {
          planId: plan.id,
          startDate: formatCalendarDate(startDate),
          endDate: endDate ? formatCalendarDate(endDate) : null,
          billingCycle,
          paymentTermsDays,
          autoPay: contract.autoPay,
          dimensions,
          rateOverrides: overrides.map((o) => ({
            meterCode: o.meter.code,
            dimensions: o.dimensions,
            rate: o.rate.toFixed(),
          })),
          ...(addOns.length
            ? {
                addOns: addOns.map((a) => ({
                  pricingId: a.pricing.id,
                  pricingName: a.pricing.name,
                  quantity: a.quantity.toFixed(),
                })),
              }
            : {}),
          ...(oneTimeCharges.length ? { oneTimeCharges: oneTimeCharges.map(describeOneTimeCharge) } : {}),
          ...describeCommitments(commitments),
        },
        effectiveAt: startDate,
        idempotencyKey: null,
        result: null,
        createdAt: now,
      });
      // TypeORM's insert typing cannot express JSON columns typed as records; the entity is complete.
      await tx.repo(ContractAmendmentEntity).insert(amendment as never);
      await this.schedule.ensureInvoices(tx, contract.id);
      // Credits: the grant (and its commitment invoice) commit or roll back with the contract.
      if (input.creditGrantCents !== undefined || input.creditSettings !== undefined) {
        await this.grantCredits(tx, contract, input);
      }
      await this.webhooks.record(tx, 'contract.created', contract.id);
      // Live draft invoices of the customer re-price once this commits.
      publishAfterCommit(tx, this.pubsub, liveTopics.contracts(tx.environmentId, customer.id), {
        customerId: customer.id,
        contractId: contract.id,
      });
      return contract;
    });
  }

  async findById(ctx: RequestContext, id: string): Promise<ContractEntity | null> {
    return ctx.repo(ContractEntity).findOne({ where: { id, environmentId: ctx.environmentId } });
  }

  async getByIdOrThrow(ctx: RequestContext, id: string, field?: string): Promise<ContractEntity> {
    const contract = await this.findById(ctx, id);
    if (!contract) throw notFound('Contract', id, field);
    return contract;
  }

  /** Newest first. `status` ACTIVE/ENDED is judged against the clock (see `statusOf`). */
  async list(ctx: RequestContext, args: ContractListArgs): Promise<Page<ContractEntity>> {
    const qb = ctx
      .repo(ContractEntity)
      .createQueryBuilder('c')
      .where('c.environment_id = :env', { env: ctx.environmentId });
    if (args.customerId) qb.andWhere('c.customer_id = :customer', { customer: args.customerId });
    // end_date is the inclusive last day: the contract has ended once today is after it.
    const today = startOfUtcDay(ctx.now());
    if (args.status === 'CANCELLED') qb.andWhere("c.status = 'CANCELLED'");
    if (args.status === 'ACTIVE') {
      qb.andWhere("c.status = 'ACTIVE' AND (c.end_date IS NULL OR c.end_date >= :today)", { today });
    }
    if (args.status === 'ENDED') {
      qb.andWhere("(c.status = 'ENDED' OR (c.status = 'ACTIVE' AND c.end_date < :today))", { today });
    }
    return pageById(qb, args, 'DESC');
  }

  /** The customer's contracts covering instant `at` (started, not ended, not cancelled), oldest first. */
  async listActiveAt(ctx: RequestContext, customerId: string, at: Date): Promise<ContractEntity[]> {
    return ctx
      .repo(ContractEntity)
      .createQueryBuilder('c')
      .where('c.environment_id = :env AND c.customer_id = :customer', {
        env: ctx.environmentId,
        customer: customerId,
      })
      .andWhere("c.status = 'ACTIVE' AND c.start_date <= :at", { at })
      .andWhere('(c.end_date IS NULL OR c.end_date >= :day)', { day: startOfUtcDay(at) })
      .orderBy('c.start_date', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
  }

  statusOf(contract: ContractEntity, now: Date): ContractStatusView {
    if (contract.status !== 'ACTIVE') return contract.status;
    const end = contractEndExclusive(contract.endDate);
    return end !== null && now.getTime() >= end.getTime() ? 'ENDED' : 'ACTIVE';
  }

  async listItems(ctx: RequestContext, contractId: string): Promise<ContractItemEntity[]> {
    return ctx.repo(ContractItemEntity).find({
      where: { contractId, environmentId: ctx.environmentId },
      order: { position: 'ASC', startsAt: 'ASC' },
    });
  }

  async listOverrides(ctx: RequestContext, contractId: string): Promise<ContractRateOverrideEntity[]> {
    return ctx.repo(ContractRateOverrideEntity).find({
      where: { contractId, environmentId: ctx.environmentId },
      order: { position: 'ASC' },
    });
  }

  private async loadPlanCatalog(tx: RequestContext, planId: string): Promise<PlanCatalog> {
    const plan = await tx
      .repo(PlanEntity)
      .findOne({ where: { id: planId, environmentId: tx.environmentId } });
    if (!plan) throw notFound('Plan', planId, 'input.planId');
    const items = await tx
      .repo(PlanItemEntity)
      .find({ where: { planId: plan.id, environmentId: tx.environmentId }, order: { position: 'ASC' } });
    const pricings = items.length
      ? await tx.repo(PricingEntity).find({ where: { id: In(items.map((i) => i.pricingId)) } })
      : [];
    const meterIds = pricings.map((p) => p.meterId).filter((id): id is string => id !== null);
    const meters = meterIds.length ? await tx.repo(MeterEntity).find({ where: { id: In(meterIds) } }) : [];
    return {
      plan,
      items,
      pricings: new Map(pricings.map((p) => [p.id, p])),
      metersByCode: new Map(meters.map((m) => [m.code, m])),
    };
  }

  /**
   * Contract dimensions fix values for this customer's usage. Each key must be a group key of some meter the
   * plan prices (a key no meter groups by could never change a rate: almost certainly a typo).
   */
  private checkContractDimensions(raw: unknown, catalog: PlanCatalog): Dimensions {
    const groupKeys = [...new Set([...catalog.metersByCode.values()].flatMap((m) => m.groupKeys))];
    const check = checkDimensions(raw, groupKeys);
    if (!check.ok) throw badInput('input.dimensions', check.message);
    return check.dimensions;
  }

  /**
   * Overrides: the meter must be priced by the plan with PER_UNIT (other models take their prices from
   * tiers or the pricing's own rate), keys among its group keys, and no two overrides of a meter may be
   * ambiguous (same specificity, both matching some usage) — the same rule as rate card entries.
   */
  private checkOverrides(
    inputs: readonly RateOverrideInput[],
    catalog: PlanCatalog,
  ): Array<{ meter: MeterEntity; dimensions: Dimensions; rate: Decimal; index: number }> {
    if (inputs.length > MAX_RATE_OVERRIDES) {
      throw badInput('input.rateOverrides', `must have at most ${MAX_RATE_OVERRIDES} entries`);
    }
    const pricingByMeter = new Map(
      [...catalog.pricings.values()].filter((p) => p.meterId).map((p) => [p.meterId as string, p]),
    );
    const checked = inputs.map((input, index) => {
      const at = `input.rateOverrides.${index}`;
      const meter = catalog.metersByCode.get(input.meterCode);
      if (!meter) {
        throw badInput(
          `${at}.meterCode`,
          `meter ${input.meterCode} is not priced by plan ${catalog.plan.id}`,
        );
      }
      const pricing = pricingByMeter.get(meter.id);
      if (pricing?.model !== 'PER_UNIT') {
        throw badInput(
          `${at}.meterCode`,
          `meter ${meter.code} is priced ${pricing?.model ?? 'without a model'}; rate overrides apply to PER_UNIT pricings`,
        );
      }
      const dims = checkDimensions(input.dimensions ?? {}, meter.groupKeys);
      if (!dims.ok) throw badInput(`${at}.dimensions`, dims.message);
      const rate = checkDecimal(input.rate, `${at}.rate`, RATE_RULE);
      return { meter, dimensions: dims.dimensions, rate, index };
    });
    const byMeter = new Map<string, typeof checked>();
    for (const o of checked) byMeter.set(o.meter.id, [...(byMeter.get(o.meter.id) ?? []), o]);
    for (const group of byMeter.values()) {
      // Overrides have no effective dates: they apply for the whole contract.
      const clash = findEntryClash(
        group.map((o) => ({ ...o, effectiveFrom: new Date(0), effectiveTo: null })),
      );
      if (clash) {
        const what = clash.kind === 'DUPLICATE' ? 'repeats' : 'is ambiguous with';
        throw badInput(
          `input.rateOverrides.${clash.second.index}`,
          `rateOverrides.${clash.second.index} ${describeOverride(clash.second)} ${what} ` +
            `rateOverrides.${clash.first.index} ${describeOverride(clash.first)}` +
            (clash.kind === 'AMBIGUOUS'
              ? ': both could match the same usage with the same number of keys; add an override for their combination'
              : ''),
        );
      }
    }
    return checked;
  }

  /**
   * CONFLICT when another (non-cancelled) contract of the customer overlaps this term and prices one of the
   * same meters: usage of that meter would have two contracts to bill on.
   */
  private async rejectOverlap(
    tx: RequestContext,
    customerId: string,
    startDate: Date,
    endDate: Date | null,
    catalog: PlanCatalog,
  ): Promise<void> {
    const meterIds = new Map([...catalog.metersByCode.values()].map((m) => [m.id, m.code]));
    if (!meterIds.size) return;
    const qb = tx
      .repo(ContractEntity)
      .createQueryBuilder('c')
      .innerJoin(ContractItemEntity, 'ci', 'ci.contract_id = c.id')
      .innerJoin(PricingEntity, 'p', 'p.id = ci.pricing_id')
      .select(['c.id AS contractId', 'p.meter_id AS meterId'])
      .where('c.environment_id = :env AND c.customer_id = :customerId', { env: tx.environmentId, customerId })
      .andWhere("c.status <> 'CANCELLED'")
      .andWhere('p.meter_id IN (:...meters)', { meters: [...meterIds.keys()] })
      // Inclusive last days: [s1, e1] and [s2, e2] overlap when s1 <= e2 and s2 <= e1 (starts by their day).
      .andWhere('(c.end_date IS NULL OR c.end_date >= :start)', { start: startOfUtcDay(startDate) });
    if (endDate) qb.andWhere('c.start_date < :afterEnd', { afterEnd: addDays(endDate, 1) });
    const clash = await qb.limit(1).getRawOne<{ contractId: string; meterId: string }>();
    if (clash) {
      throw conflict(
        `Customer ${customerId} already has contract ${clash.contractId} over an overlapping term that prices ` +
          `meter ${meterIds.get(clash.meterId)}; usage could not be billed on one contract`,
        'input.planId',
      );
    }
  }
}

function describeOverride(o: { meter: MeterEntity; dimensions: Dimensions }): string {
  return `${o.meter.code} ${describeEntry({ dimensions: o.dimensions, effectiveFrom: new Date(0), effectiveTo: null }).replace(/ from .*$/, '')}`;
}
