import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { Decimal } from '../../domain/money';
import {
  PricingEntity,
  type PricingModel,
  type StoredTier,
  type TierScope,
} from '../../entities/pricing.entity';
import { checkDecimal, POSITIVE_QUANTITY_RULE, RATE_RULE, requiredText, type DecimalRule } from '../common';
import type { MeterService } from './meter.service';
import { pageById, type Page, type PageArgs } from '../common';
import { checkPercentageTerms } from './percentage-terms';
import type { RateCardService } from './rate-card.service';

export const PRICING_MODELS: readonly PricingModel[] = [
  'PER_UNIT',
  'GRADUATED',
  'VOLUME',
  'PACKAGE',
  'TIERED_PACKAGE',
  'PERCENTAGE',
];
const TIERED_MODELS: readonly PricingModel[] = ['GRADUATED', 'VOLUME', 'TIERED_PACKAGE'];
const TIER_SCOPES: readonly TierScope[] = ['TOTAL', 'PER_GROUP'];
/** Models whose tiers are optional: PERCENTAGE takes a percent or graduated percentage tiers. */
const OPTIONALLY_TIERED_MODELS: readonly PricingModel[] = ['PERCENTAGE'];
export const MAX_TIERS = 50;
/** Free units: a quantity (DECIMAL(38,9)) that may be zero. */
const FREE_UNITS_RULE: DecimalRule = { ...POSITIVE_QUANTITY_RULE, min: 'zero' };

export interface PricingTierInput {
  /** Upper bound of the tier in usage units (inclusive); null for the last, open-ended tier. */
  upTo?: Decimal | null;
  unitAmount: Decimal;
  flatAmount?: Decimal | null;
  /** TIERED_PACKAGE only (required there): the tier's units are sold in packages of this size. */
  packageSize?: Decimal | null;
}

/**
 * A usage pricing on a meter. PER_UNIT: quantity / unitSize × rate. PACKAGE: ⌈quantity / unitSize⌉ × rate
 * (the package size is `unitSize`, the price per package is the rate). GRADUATED/VOLUME use `tiers`,
 * TIERED_PACKAGE tiers with a `packageSize` each, PERCENTAGE a `percent` or percentage tiers (see
 * percentage-terms.ts). The rate comes from the rate card entry matching the usage's dimensions, else
 * `fallbackRate`.
 */
export interface CreatePricingInput {
  name: string;
  meterCode: string;
  model: PricingModel;
  unitSize?: Decimal | null;
  fallbackRate: Decimal;
  rateCardId?: string | null;
  tiers?: readonly PricingTierInput[] | null;
  /** GRADUATED only: zero usage bills the first tier's flat amount. Default false (zero usage costs nothing). */
  billFirstTierFlatAtZeroUsage?: boolean | null;
  /** Per-period minimum of each invoice line of the pricing (prorated like flat fees); absent = none. */
  minimumAmount?: Decimal | null;
  /** Per-period cap of each invoice line of the pricing (prorated like flat fees); absent = none. */
  maximumAmount?: Decimal | null;
  /** Units free in each billing period before the model prices the rest. Default 0. */
  freeUnits?: Decimal | null;
  /** PERCENTAGE only: the percentage of the summed amount (2.9 = 2.9 %), unless tiers grade it. */
  percent?: Decimal | null;
  /** PERCENTAGE only: a fixed fee per transaction (event). */
  feePerTransaction?: Decimal | null;
  /** Not PER_UNIT: TOTAL (default) prices the total on one line; PER_GROUP each dimension combination. */
  tierScope?: TierScope | null;
}

/** A fixed amount charged every billing period (multiplied by the plan item's quantity). */
export interface CreateFlatFeeInput {
  name: string;
  amount: Decimal;
}

/** A usage pricing's optional per-period line bounds: amounts like rates, and a minimum not above the cap. */
function checkLineBounds(input: CreatePricingInput): Pick<PricingEntity, 'minimumAmount' | 'maximumAmount'> {
  const bound = (value: Decimal | null | undefined, field: string) =>
    value === null || value === undefined ? null : checkDecimal(value, field, RATE_RULE);
  const minimumAmount = bound(input.minimumAmount, 'input.minimumAmount');
  const maximumAmount = bound(input.maximumAmount, 'input.maximumAmount');
  if (minimumAmount && maximumAmount && minimumAmount.gt(maximumAmount)) {
    throw badInput('input.minimumAmount', `must not exceed maximumAmount (${maximumAmount.toFixed()})`);
  }
  return { minimumAmount, maximumAmount };
}

export class PricingService {
  constructor(
    private readonly meters: MeterService,
    private readonly rateCards: RateCardService,
  ) {}

  async createUsage(ctx: RequestContext, input: CreatePricingInput): Promise<PricingEntity> {
    const name = requiredText(input.name, 'input.name', 200);
    if (!PRICING_MODELS.includes(input.model)) {
      throw badInput('input.model', `must be one of ${PRICING_MODELS.join(', ')}`);
    }
    const unitSize = checkDecimal(input.unitSize ?? new Decimal(1), 'input.unitSize', POSITIVE_QUANTITY_RULE);
    if (input.model === 'TIERED_PACKAGE' && !unitSize.eq(1))
      throw badInput(
        'input.unitSize',
        'must be 1 for TIERED_PACKAGE pricing (each tier has its packageSize)',
      );
    const fallbackRate = checkDecimal(input.fallbackRate, 'input.fallbackRate', RATE_RULE);
    const tiers = this.checkTiers(input.model, input.tiers ?? null);
    const tierScope = input.tierScope ?? 'TOTAL';
    if (!TIER_SCOPES.includes(tierScope))
      throw badInput('input.tierScope', `must be one of ${TIER_SCOPES.join(', ')}`);
    if (tierScope === 'PER_GROUP' && input.model === 'PER_UNIT')
      throw badInput('input.tierScope', 'PER_UNIT pricing is already one line per dimension combination');
    const freeUnits = checkDecimal(input.freeUnits ?? new Decimal(0), 'input.freeUnits', FREE_UNITS_RULE);
    const billFirstTierFlatAtZeroUsage = input.billFirstTierFlatAtZeroUsage ?? false;
    if (billFirstTierFlatAtZeroUsage && input.model !== 'GRADUATED')
      throw badInput('input.billFirstTierFlatAtZeroUsage', 'applies to GRADUATED pricing only');
    const bounds = checkLineBounds(input);

    return withTransaction(ctx, async (tx) => {
      const meter = await this.meters.getByCodeOrThrow(tx, input.meterCode, 'input.meterCode');
      const percentage = checkPercentageTerms({
        ...input,
        unitSize,
        tiers,
        meterAggregation: meter.aggregation,
      });
      let rateCardId: string | null = null;
      if (input.rateCardId) {
        const card = await this.rateCards.findById(tx, input.rateCardId);
        if (!card) {
          throw notFound('Rate card', input.rateCardId, 'input.rateCardId');
        }
        if (card.meterId !== meter.id) {
          throw badInput('input.rateCardId', `rate card ${card.id} is not on meter ${meter.code}`);
        }
        rateCardId = card.id;
      }
      const pricing = tx.repo(PricingEntity).create({
        id: newId('prc'),
        environmentId: tx.environmentId,
        name,
        kind: 'USAGE',
        meterId: meter.id,
        model: input.model,
        unitSize,
        fallbackRate,
        rateCardId,
        tiers,
        flatAmount: null,
        billFirstTierFlatAtZeroUsage,
        ...bounds,
        freeUnits,
        ...percentage,
        tierScope,
        createdAt: tx.now(),
      });
      await tx.repo(PricingEntity).insert(pricing);
      return pricing;
    });
  }

  async createFlatFee(ctx: RequestContext, input: CreateFlatFeeInput): Promise<PricingEntity> {
    const name = requiredText(input.name, 'input.name', 200);
    const amount = checkDecimal(input.amount, 'input.amount', RATE_RULE);
    return withTransaction(ctx, async (tx) => {
      const pricing = tx.repo(PricingEntity).create({
        id: newId('prc'),
        environmentId: tx.environmentId,
        name,
        kind: 'FLAT_FEE',
        meterId: null,
        model: null,
        // The column is NOT NULL; a flat fee is "one unit per period".
        unitSize: new Decimal(1),
        fallbackRate: null,
        rateCardId: null,
        tiers: null,
        flatAmount: amount,
        billFirstTierFlatAtZeroUsage: false,
        freeUnits: new Decimal(0),
        percent: null,
        feePerTransaction: null,
        tierScope: 'TOTAL',
        createdAt: tx.now(),
      });
      await tx.repo(PricingEntity).insert(pricing);
      return pricing;
    });
  }

  async findById(ctx: RequestContext, id: string): Promise<PricingEntity | null> {
    return ctx.repo(PricingEntity).findOne({ where: { id, environmentId: ctx.environmentId } });
  }

  async getByIdOrThrow(ctx: RequestContext, id: string): Promise<PricingEntity> {
    const pricing = await this.findById(ctx, id);
    if (!pricing) throw notFound('Pricing', id);
    return pricing;
  }

  async list(ctx: RequestContext, page: PageArgs): Promise<Page<PricingEntity>> {
    const qb = ctx
      .repo(PricingEntity)
      .createQueryBuilder('p')
      .where('p.environment_id = :env', { env: ctx.environmentId });
    return pageById(qb, page);
  }

  /**
   * Tiers for GRADUATED/VOLUME/TIERED_PACKAGE: ascending `upTo`, every one but the last bounded, the last
   * open-ended. Other models take no tiers (PACKAGE's package size is `unitSize`).
   */
  private checkTiers(model: PricingModel, tiers: readonly PricingTierInput[] | null): StoredTier[] | null {
    if (OPTIONALLY_TIERED_MODELS.includes(model) && !tiers?.length) return null;
    if (!TIERED_MODELS.includes(model) && !OPTIONALLY_TIERED_MODELS.includes(model)) {
      if (tiers && tiers.length) throw badInput('input.tiers', `must be empty for ${model} pricing`);
      return null;
    }
    if (!tiers || !tiers.length) throw badInput('input.tiers', `are required for ${model} pricing`);
    if (tiers.length > MAX_TIERS) throw badInput('input.tiers', `must have at most ${MAX_TIERS} tiers`);
    let previous = new Decimal(0);
    return tiers.map((tier, i) => {
      const at = `input.tiers.${i}`;
      const lower = previous;
      const last = i === tiers.length - 1;
      let upTo: Decimal | null = null;
      if (tier.upTo === null || tier.upTo === undefined) {
        if (!last) throw badInput(`${at}.upTo`, 'only the last tier may be open-ended (upTo null)');
      } else {
        if (last) throw badInput(`${at}.upTo`, 'the last tier must be open-ended (upTo null)');
        upTo = checkDecimal(tier.upTo, `${at}.upTo`, POSITIVE_QUANTITY_RULE);
        if (!upTo.greaterThan(previous)) {
          throw badInput(
            `${at}.upTo`,
            `must be greater than the previous tier's upTo (${previous.toFixed()})`,
          );
        }
        previous = upTo;
      }
      const unitAmount = checkDecimal(tier.unitAmount, `${at}.unitAmount`, RATE_RULE);
      const flatAmount = checkDecimal(tier.flatAmount ?? new Decimal(0), `${at}.flatAmount`, RATE_RULE);
      const packageSize = this.checkPackageSize(model, tier, at, lower, upTo);
      return {
        upTo: upTo?.toFixed() ?? null,
        unitAmount: unitAmount.toFixed(),
        flatAmount: flatAmount.toFixed(),
        ...(packageSize ? { packageSize: packageSize.toFixed() } : {}),
      };
    });
  }

  /**
   * TIERED_PACKAGE tiers need a package size, and a bounded tier must hold a whole number of its packages
   * (so only the last tier reached can have a started package); other models take none.
   */
  private checkPackageSize(
    model: PricingModel,
    tier: PricingTierInput,
    at: string,
    lower: Decimal,
    upTo: Decimal | null,
  ): Decimal | null {
    if (model !== 'TIERED_PACKAGE') {
      if (tier.packageSize !== null && tier.packageSize !== undefined)
        throw badInput(`${at}.packageSize`, 'applies to TIERED_PACKAGE pricing only');
      return null;
    }
    const size = checkDecimal(tier.packageSize, `${at}.packageSize`, POSITIVE_QUANTITY_RULE);
    if (upTo !== null && !upTo.minus(lower).mod(size).isZero()) {
      throw badInput(
        `${at}.upTo`,
        `must leave a whole number of packages of ${size.toFixed()} after ${lower.toFixed()}`,
      );
    }
    return size;
  }
}
