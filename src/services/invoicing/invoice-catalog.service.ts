import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import { ContractItemEntity } from '../../entities/contract-item.entity';
import { ContractOneTimeChargeEntity } from '../../entities/contract-one-time-charge.entity';
import { ContractRateOverrideEntity } from '../../entities/contract-rate-override.entity';
import { MeterEntity } from '../../entities/meter.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import { RateCardEntryEntity } from '../../entities/rate-card-entry.entity';
import type { PricingOverride, PricingRateCardEntry } from '../../domain/invoice-pricing-input';

/** What the pricing core needs about a contract besides usage: items and the catalog behind them. */
export interface ContractPricingInputs {
  items: ContractItemEntity[];
  pricings: Map<string, PricingEntity>;
  /** Meters of the contract's usage pricings, by id. */
  meters: Map<string, MeterEntity>;
  rateCardEntries: Map<string, PricingRateCardEntry[]>;
  overrides: PricingOverride[];
  /** Every one-time charge of the contract (the core bills those dated inside the invoice's period). */
  oneTimeCharges: ContractOneTimeChargeEntity[];
}

/**
 * Loads a contract's pricing inputs in six small indexed queries. Memoised per request context (and
 * transaction), so pricing and the finalizer's checks share one load.
 */
export class InvoiceCatalogService {
  private readonly memo = new WeakMap<RequestContext, Map<string, Promise<ContractPricingInputs>>>();

  load(ctx: RequestContext, contractId: string): Promise<ContractPricingInputs> {
    let perContract = this.memo.get(ctx);
    if (!perContract) this.memo.set(ctx, (perContract = new Map()));
    let inputs = perContract.get(contractId);
    if (!inputs) {
      inputs = this.read(ctx, contractId);
      perContract.set(contractId, inputs);
      // A failed load must not be remembered.
      inputs.catch(() => perContract!.delete(contractId));
    }
    return inputs;
  }

  private async read(ctx: RequestContext, contractId: string): Promise<ContractPricingInputs> {
    const env = ctx.environmentId;
    const [items, overrides, oneTimeCharges] = await Promise.all([
      ctx.repo(ContractItemEntity).find({
        where: { contractId, environmentId: env },
        order: { position: 'ASC', startsAt: 'ASC' },
      }),
      ctx.repo(ContractRateOverrideEntity).find({
        where: { contractId, environmentId: env },
        order: { position: 'ASC' },
      }),
      ctx.repo(ContractOneTimeChargeEntity).find({
        where: { contractId, environmentId: env },
        order: { position: 'ASC' },
      }),
    ]);
    const pricingIds = [...new Set(items.map((i) => i.pricingId))];
    const pricings = pricingIds.length
      ? await ctx.repo(PricingEntity).find({ where: { id: In(pricingIds), environmentId: env } })
      : [];
    const meterIds = [...new Set(pricings.map((p) => p.meterId).filter((id): id is string => id !== null))];
    const cardIds = [...new Set(pricings.map((p) => p.rateCardId).filter((id): id is string => id !== null))];
    const [meters, entries] = await Promise.all([
      meterIds.length ? ctx.repo(MeterEntity).find({ where: { id: In(meterIds), environmentId: env } }) : [],
      cardIds.length
        ? ctx.repo(RateCardEntryEntity).find({
            where: { rateCardId: In(cardIds), environmentId: env },
            order: { position: 'ASC' },
          })
        : [],
    ]);
    const rateCardEntries = new Map<string, PricingRateCardEntry[]>();
    for (const entry of entries) {
      rateCardEntries.set(entry.rateCardId, [...(rateCardEntries.get(entry.rateCardId) ?? []), entry]);
    }
    return {
      items,
      pricings: new Map(pricings.map((p) => [p.id, p])),
      meters: new Map(meters.map((m) => [m.id, m])),
      rateCardEntries,
      overrides: overrides.map((o) => ({
        id: o.id,
        meterId: o.meterId,
        dimensions: o.dimensions,
        rate: o.rate,
      })),
      oneTimeCharges,
    };
  }
}
