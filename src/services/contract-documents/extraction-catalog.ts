import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import type { CatalogUsagePricing, ExtractionCatalog } from '../../domain/contract-extraction-types';
import { EnvironmentEntity } from '../../entities/environment.entity';
import { MeterEntity } from '../../entities/meter.entity';
import { OrganizationEntity } from '../../entities/organization.entity';
import { PlanItemEntity } from '../../entities/plan-item.entity';
import { PlanEntity } from '../../entities/plan.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import { RateCardEntryEntity } from '../../entities/rate-card-entry.entity';

/**
 * What the extractor matches a document against: the environment's plans, its usage pricings with their
 * current rate cards (to tell negotiated rates from list rates), and this organization's name.
 */
export async function loadExtractionCatalog(ctx: RequestContext): Promise<ExtractionCatalog> {
  const env = ctx.environmentId;
  const environment = await ctx.repo(EnvironmentEntity).findOne({ where: { id: env } });
  const [plans, items, pricings, organization] = await Promise.all([
    ctx.repo(PlanEntity).find({ where: { environmentId: env }, order: { id: 'ASC' } }),
    ctx.repo(PlanItemEntity).find({ where: { environmentId: env }, order: { position: 'ASC' } }),
    ctx.repo(PricingEntity).find({ where: { environmentId: env, kind: 'USAGE' }, order: { id: 'ASC' } }),
    environment ? ctx.repo(OrganizationEntity).findOne({ where: { id: environment.organizationId } }) : null,
  ]);
  const meterIds = [...new Set(pricings.map((p) => p.meterId).filter((id): id is string => !!id))];
  const cardIds = [...new Set(pricings.map((p) => p.rateCardId).filter((id): id is string => !!id))];
  const [meters, entries] = await Promise.all([
    meterIds.length ? ctx.repo(MeterEntity).find({ where: { id: In(meterIds), environmentId: env } }) : [],
    cardIds.length
      ? ctx.repo(RateCardEntryEntity).find({
          where: { rateCardId: In(cardIds), environmentId: env },
          order: { position: 'ASC' },
        })
      : [],
  ]);
  const now = ctx.now();
  const usagePricings: CatalogUsagePricing[] = [];
  for (const pricing of pricings) {
    const meter = meters.find((m) => m.id === pricing.meterId);
    if (!meter) continue;
    const current = entries.filter(
      (e) =>
        e.rateCardId === pricing.rateCardId &&
        e.effectiveFrom <= now &&
        (!e.effectiveTo || e.effectiveTo > now),
    );
    const dimensionValues: Record<string, string[]> = {};
    for (const entry of current)
      for (const [key, value] of Object.entries(entry.dimensions))
        if (!(dimensionValues[key] ??= []).includes(value)) dimensionValues[key].push(value);
    usagePricings.push({
      pricingId: pricing.id,
      meterCode: meter.code,
      meterName: meter.displayName,
      dimensionValues,
      rates: current.map((e) => ({ dimensions: e.dimensions, rate: e.rate.toFixed() })),
      fallbackRate: pricing.fallbackRate ? pricing.fallbackRate.toFixed() : null,
    });
  }
  return {
    plans: plans.map((plan) => ({
      planId: plan.id,
      name: plan.name,
      currency: plan.currency,
      pricingIds: items.filter((i) => i.planId === plan.id).map((i) => i.pricingId),
    })),
    usagePricings,
    vendorNames: organization ? [organization.name] : [],
  };
}
