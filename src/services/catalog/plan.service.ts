import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { Decimal } from '../../domain/money';
import { PlanItemEntity } from '../../entities/plan-item.entity';
import { PlanEntity, type BillingCycle } from '../../entities/plan.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import { checkDecimal, optionalText, POSITIVE_QUANTITY_RULE, requiredText } from '../common';
import { pageById, type Page, type PageArgs } from '../common';

export const BILLING_CYCLES: readonly BillingCycle[] = [
  'WEEKLY',
  'MONTHLY',
  'QUARTERLY',
  'SEMIANNUAL',
  'ANNUAL',
];
export const MAX_PLAN_ITEMS = 100;
export const MAX_NET_TERMS_DAYS = 365;

/** ISO 4217 codes the runtime knows (Node's ICU data), e.g. USD, EUR, JPY. */
const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export interface PlanItemInput {
  pricingId: string;
  /** Multiplies a flat fee (e.g. seats); usage pricings take 1. Default 1. */
  quantity?: Decimal | null;
}

export interface CreatePlanInput {
  name: string;
  description?: string | null;
  currency: string;
  /** Days between invoice and due date; 0 is "due on receipt". */
  netTermsDays?: number | null;
  autoPay?: boolean | null;
  billingCycle?: BillingCycle | null;
  /** Public plans are offered in the self-serve catalog. */
  isPublic?: boolean | null;
  items: readonly PlanItemInput[];
}

export class PlanService {
  async create(ctx: RequestContext, input: CreatePlanInput): Promise<PlanEntity> {
    const name = requiredText(input.name, 'input.name', 200);
    const description = optionalText(input.description, 'input.description', 1000);
    const currency = (input.currency ?? '').trim();
    if (!/^[A-Z]{3}$/.test(currency) || !ISO_CURRENCIES.has(currency)) {
      throw badInput('input.currency', 'must be an ISO 4217 currency code in upper case, e.g. USD');
    }
    const netTermsDays = input.netTermsDays ?? 0;
    if (!Number.isInteger(netTermsDays) || netTermsDays < 0 || netTermsDays > MAX_NET_TERMS_DAYS) {
      throw badInput('input.netTermsDays', `must be a whole number of days from 0 to ${MAX_NET_TERMS_DAYS}`);
    }
    const billingCycle = input.billingCycle ?? 'MONTHLY';
    if (!BILLING_CYCLES.includes(billingCycle)) {
      throw badInput('input.billingCycle', `must be one of ${BILLING_CYCLES.join(', ')}`);
    }
    if (!input.items.length) throw badInput('input.items', 'a plan needs at least one pricing item');
    if (input.items.length > MAX_PLAN_ITEMS) {
      throw badInput('input.items', `must have at most ${MAX_PLAN_ITEMS} items`);
    }

    return withTransaction(ctx, async (tx) => {
      const items = await this.checkItems(tx, input.items);
      const plan = tx.repo(PlanEntity).create({
        id: newId('plan'),
        environmentId: tx.environmentId,
        name,
        description,
        currency,
        netTermsDays,
        autoPay: input.autoPay ?? false,
        billingCycle,
        isPublic: input.isPublic ?? false,
        createdAt: tx.now(),
      });
      await tx.repo(PlanEntity).insert(plan);
      await tx.repo(PlanItemEntity).insert(
        items.map((item, position) =>
          tx.repo(PlanItemEntity).create({
            id: newId('pli'),
            environmentId: tx.environmentId,
            planId: plan.id,
            pricingId: item.pricing.id,
            position,
            quantity: item.quantity,
          }),
        ),
      );
      return plan;
    });
  }

  async findById(ctx: RequestContext, id: string): Promise<PlanEntity | null> {
    return ctx.repo(PlanEntity).findOne({ where: { id, environmentId: ctx.environmentId } });
  }

  async getByIdOrThrow(ctx: RequestContext, id: string): Promise<PlanEntity> {
    const plan = await this.findById(ctx, id);
    if (!plan) throw notFound('Plan', id);
    return plan;
  }

  async list(ctx: RequestContext, page: PageArgs): Promise<Page<PlanEntity>> {
    const qb = ctx
      .repo(PlanEntity)
      .createQueryBuilder('p')
      .where('p.environment_id = :env', { env: ctx.environmentId });
    return pageById(qb, page);
  }

  async listItems(ctx: RequestContext, planId: string): Promise<PlanItemEntity[]> {
    return ctx
      .repo(PlanItemEntity)
      .find({ where: { planId, environmentId: ctx.environmentId }, order: { position: 'ASC' } });
  }

  /** Loads the pricings (one query), then checks each item: known, not repeated, one pricing per meter. */
  private async checkItems(
    tx: RequestContext,
    items: readonly PlanItemInput[],
  ): Promise<Array<{ pricing: PricingEntity; quantity: Decimal }>> {
    const ids = [...new Set(items.map((item) => item.pricingId))];
    const pricings = await tx
      .repo(PricingEntity)
      .find({ where: { id: In(ids), environmentId: tx.environmentId } });
    const byId = new Map(pricings.map((p) => [p.id, p]));
    const seenPricing = new Map<string, number>();
    const seenMeter = new Map<string, number>();
    return items.map((item, i) => {
      const at = `input.items.${i}`;
      const pricing = byId.get(item.pricingId);
      if (!pricing) {
        throw notFound('Pricing', item.pricingId, `${at}.pricingId`);
      }
      const repeated = seenPricing.get(pricing.id);
      if (repeated !== undefined) {
        throw badInput(`${at}.pricingId`, `pricing ${pricing.id} is already input.items.${repeated}`);
      }
      seenPricing.set(pricing.id, i);
      if (pricing.meterId) {
        const sameMeter = seenMeter.get(pricing.meterId);
        if (sameMeter !== undefined) {
          throw badInput(
            `${at}.pricingId`,
            `a plan may price a meter once: input.items.${sameMeter} already prices the meter of pricing ${pricing.id}`,
          );
        }
        seenMeter.set(pricing.meterId, i);
      }
      const quantity = checkDecimal(
        item.quantity ?? new Decimal(1),
        `${at}.quantity`,
        POSITIVE_QUANTITY_RULE,
      );
      if (pricing.kind === 'USAGE' && !quantity.equals(1)) {
        throw badInput(`${at}.quantity`, 'applies to flat fees only; usage pricings take quantity 1');
      }
      return { pricing, quantity };
    });
  }
}
