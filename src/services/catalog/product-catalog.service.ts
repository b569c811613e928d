import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import type { Decimal } from '../../domain/money';
import { MeterEntity } from '../../entities/meter.entity';
import { PlanItemEntity } from '../../entities/plan-item.entity';
import { PlanEntity, type BillingCycle } from '../../entities/plan.entity';
import {
  PricingEntity,
  type PricingKind,
  type PricingModel,
  type StoredTier,
  type TierScope,
} from '../../entities/pricing.entity';
import { RateCardEntryEntity } from '../../entities/rate-card-entry.entity';

export interface CatalogRate {
  dimensions: Record<string, string>;
  rate: Decimal;
  effectiveFrom: Date;
  effectiveTo: Date | null;
}

export interface CatalogItem {
  pricingId: string;
  name: string;
  kind: PricingKind;
  model: PricingModel | null;
  /** Seats included (flat fees); 1 for usage. */
  quantity: Decimal;
  flatAmount: Decimal | null;
  unitSize: Decimal;
  /** The rate for usage no dimensional rate matches. */
  fallbackRate: Decimal | null;
  tiers: StoredTier[];
  /** Units free each period; PERCENTAGE terms; what the tiers apply to (see PricingEntity). */
  freeUnits: Decimal;
  percent: Decimal | null;
  feePerTransaction: Decimal | null;
  tierScope: TierScope;
  meter: { code: string; displayName: string; groupKeys: string[] } | null;
  /** Dimensional rates in effect now or later, in the card's order. */
  rates: CatalogRate[];
}

export interface CatalogPlan {
  id: string;
  name: string;
  description: string | null;
  currency: string;
  billingCycle: BillingCycle;
  netTermsDays: number;
  items: CatalogItem[];
}

/**
 * The public product catalog: plans marked `is_public`, each with its prices, tiers and dimensional rates,
 * in a shape a pricing page renders directly. Five indexed queries whatever the catalog's size.
 */
export class ProductCatalogService {
  async list(ctx: RequestContext): Promise<CatalogPlan[]> {
    const env = ctx.environmentId;
    const plans = await ctx
      .repo(PlanEntity)
      .find({ where: { environmentId: env, isPublic: true }, order: { id: 'ASC' } });
    if (!plans.length) return [];
    const items = await ctx.repo(PlanItemEntity).find({
      where: { environmentId: env, planId: In(plans.map((p) => p.id)) },
      order: { position: 'ASC' },
    });
    const pricingIds = [...new Set(items.map((i) => i.pricingId))];
    const pricings = pricingIds.length
      ? await ctx.repo(PricingEntity).find({ where: { environmentId: env, id: In(pricingIds) } })
      : [];
    const meterIds = [...new Set(pricings.map((p) => p.meterId).filter((id): id is string => id !== null))];
    const cardIds = [...new Set(pricings.map((p) => p.rateCardId).filter((id): id is string => id !== null))];
    const now = ctx.now();
    const [meters, entries] = await Promise.all([
      meterIds.length ? ctx.repo(MeterEntity).find({ where: { environmentId: env, id: In(meterIds) } }) : [],
      cardIds.length
        ? ctx
            .repo(RateCardEntryEntity)
            .createQueryBuilder('e')
            .where('e.environment_id = :env AND e.rate_card_id IN (:...cards)', { env, cards: cardIds })
            .andWhere('(e.effective_to IS NULL OR e.effective_to > :now)', { now })
            .orderBy('e.rate_card_id')
            .addOrderBy('e.position')
            .addOrderBy('e.effective_from')
            .getMany()
        : [],
    ]);
    const pricingById = new Map(pricings.map((p) => [p.id, p]));
    const meterById = new Map(meters.map((m) => [m.id, m]));
    const ratesByCard = new Map<string, CatalogRate[]>();
    for (const e of entries) {
      ratesByCard.set(e.rateCardId, [
        ...(ratesByCard.get(e.rateCardId) ?? []),
        {
          dimensions: e.dimensions,
          rate: e.rate,
          effectiveFrom: e.effectiveFrom,
          effectiveTo: e.effectiveTo,
        },
      ]);
    }
    return plans.map((plan) => ({
      id: plan.id,
      name: plan.name,
      description: plan.description,
      currency: plan.currency,
      billingCycle: plan.billingCycle,
      netTermsDays: plan.netTermsDays,
      items: items
        .filter((i) => i.planId === plan.id)
        .map((item) => {
          const pricing = pricingById.get(item.pricingId)!;
          const meter = pricing.meterId ? meterById.get(pricing.meterId) : undefined;
          return {
            pricingId: pricing.id,
            name: pricing.name,
            kind: pricing.kind,
            model: pricing.model,
            quantity: item.quantity,
            flatAmount: pricing.flatAmount,
            unitSize: pricing.unitSize,
            fallbackRate: pricing.fallbackRate,
            tiers: pricing.tiers ?? [],
            freeUnits: pricing.freeUnits,
            percent: pricing.percent,
            feePerTransaction: pricing.feePerTransaction,
            tierScope: pricing.tierScope,
            meter: meter
              ? { code: meter.code, displayName: meter.displayName, groupKeys: meter.groupKeys }
              : null,
            rates: (pricing.rateCardId && ratesByCard.get(pricing.rateCardId)) || [],
          };
        }),
    }));
  }
}
