/**
 * Pricing models: the (unrounded) amount owed for a quantity.
 *
 * - PER_UNIT:   quantity × rate / unitSize  ("$0.03 per 1K tokens": rate 0.03, unitSize 1000). Fractional
 *               units are billed fractionally.
 * - PACKAGE:    ceil(quantity / unitSize) × rate: every started package is paid in full; zero → zero.
 * - GRADUATED:  each unit is priced in the tier it falls in, plus the flat amount of every tier reached.
 * - VOLUME:     every unit is priced at the tier the total falls in, plus that tier's flat amount.
 *
 * Decisions:
 * - Tiers: `upTo` is the inclusive upper bound of the cumulative quantity (tier 1 `upTo: 1000` covers
 *   quantities up to and including 1000); the last tier is open-ended (`upTo: null`). `unitAmount` is the
 *   price per `unitSize` units (default 1), like PER_UNIT's rate.
 * - A tier is "reached" when the quantity exceeds the previous tier's `upTo`; a quantity exactly at an edge
 *   stays in the lower tier. Zero quantity reaches no tier and costs zero in every model (no flat amount
 *   for no usage), unless a GRADUATED pricing chooses to bill its first tier's flat amount at zero usage
 *   (`billFirstTierFlatAtZeroUsage`, see graduated-zero-usage.ts).
 * - PER_UNIT and PACKAGE are the dimensional models: their rate comes from rate resolution (override >
 *   rate card > fallback), so they are priced per invoice line, i.e. per dimension combination and rate
 *   version (a PACKAGE line counts its own started packages: packages at different prices cannot be pooled).
 * - GRADUATED and VOLUME apply to the pricing's TOTAL quantity for the period, across all dimension
 *   combinations (or to each combination's, with the pricing's `tierScope: PER_GROUP`); the rate card and
 *   overrides are not used (the prices live in the tiers). For
 *   per-dimension lines of a tiered pricing, split the rounded total with `allocateLargestRemainder`
 *   (invoice-math.ts) weighted by each combination's quantity.
 * - Quantities must be non-negative; results are unrounded (round once on the invoice line).
 * - TIERED_PACKAGE (tiered-package.ts) is GRADUATED with packages of a size per tier; like GRADUATED and
 *   VOLUME it prices the total with its tiers. PERCENTAGE (percentage-pricing.ts) takes a percentage of a
 *   summed amount. `priceQuantity` prices the core models only.
 */
import { Decimal, ZERO } from './money';

/** The models this file prices; the others build on it in their own modules (see below). */
export type CorePricingModel = 'PER_UNIT' | 'GRADUATED' | 'VOLUME' | 'PACKAGE';
export type PricingModel = CorePricingModel | 'TIERED_PACKAGE' | 'PERCENTAGE';

export interface Tier {
  /** Inclusive upper bound of the cumulative quantity; null for the last, open-ended tier. */
  upTo: Decimal | null;
  /** Price per `unitSize` units inside this tier. */
  unitAmount: Decimal;
  /** Charged once when the tier is reached (GRADUATED) or is the one the total falls in (VOLUME). */
  flatAmount: Decimal;
  /** TIERED_PACKAGE only: the units in this tier are sold in packages of this size (tiered-package.ts). */
  packageSize?: Decimal | null;
}

/** How much of a tiered amount came from one tier: for explaining a line. */
export interface TierCharge {
  tierIndex: number;
  /** Units priced in this tier. */
  quantity: Decimal;
  unitAmount: Decimal;
  flatAmount: Decimal;
  /** quantity × unitAmount / unitSize + flatAmount, unrounded. */
  amount: Decimal;
}

export interface TieredAmount {
  amount: Decimal;
  charges: TierCharge[];
}

const ONE = new Decimal(1);

function assertQuantity(quantity: Decimal): void {
  if (!quantity.isFinite() || quantity.isNegative()) {
    throw new Error(`quantity must be a non-negative number, got ${quantity.toFixed()}`);
  }
}

function assertUnitSize(unitSize: Decimal): void {
  if (!unitSize.isFinite() || unitSize.lte(0))
    throw new Error(`unitSize must be positive, got ${unitSize.toFixed()}`);
}

function assertTiers(tiers: readonly Tier[]): void {
  const problem = validateTiers(tiers);
  if (problem !== null) throw new Error(problem);
}

/**
 * A problem with a tier list, or null when it is valid: at least one tier; `upTo` positive and strictly
 * increasing; only the last tier open-ended (and it must be); amounts non-negative.
 */
export function validateTiers(tiers: readonly Tier[]): string | null {
  if (tiers.length === 0) return 'At least one tier is required';
  let previous: Decimal = ZERO;
  for (let i = 0; i < tiers.length; i++) {
    const tier = tiers[i];
    const last = i === tiers.length - 1;
    if (tier.upTo === null) {
      if (!last) return `Tier ${i + 1}: only the last tier may be open-ended (upTo null)`;
    } else {
      if (last) return `Tier ${i + 1}: the last tier must be open-ended (upTo null)`;
      if (!tier.upTo.isFinite() || tier.upTo.lte(previous)) {
        return `Tier ${i + 1}: upTo must be greater than ${previous.toFixed()}, got ${tier.upTo.toFixed()}`;
      }
      previous = tier.upTo;
    }
    if (!tier.unitAmount.isFinite() || tier.unitAmount.isNegative()) {
      return `Tier ${i + 1}: unitAmount must not be negative`;
    }
    if (!tier.flatAmount.isFinite() || tier.flatAmount.isNegative()) {
      return `Tier ${i + 1}: flatAmount must not be negative`;
    }
  }
  return null;
}

/** PER_UNIT: `quantity × rate / unitSize`, unrounded. */
export function perUnitAmount(quantity: Decimal, rate: Decimal, unitSize: Decimal = ONE): Decimal {
  assertQuantity(quantity);
  assertUnitSize(unitSize);
  return quantity.mul(rate).div(unitSize);
}

/** Number of started packages: `ceil(quantity / unitSize)`; zero for zero. */
export function packageCount(quantity: Decimal, unitSize: Decimal): Decimal {
  assertQuantity(quantity);
  assertUnitSize(unitSize);
  return quantity.div(unitSize).ceil();
}

/** PACKAGE: `ceil(quantity / unitSize) × rate`. */
export function packageAmount(quantity: Decimal, rate: Decimal, unitSize: Decimal): Decimal {
  return packageCount(quantity, unitSize).mul(rate);
}

function tierCharge(index: number, tier: Tier, quantity: Decimal, unitSize: Decimal): TierCharge {
  return {
    tierIndex: index,
    quantity,
    unitAmount: tier.unitAmount,
    flatAmount: tier.flatAmount,
    amount: quantity.mul(tier.unitAmount).div(unitSize).plus(tier.flatAmount),
  };
}

/** GRADUATED: each unit in its own tier, plus each reached tier's flat amount; with a per-tier breakdown. */
export function graduatedAmount(
  quantity: Decimal,
  tiers: readonly Tier[],
  unitSize: Decimal = ONE,
): TieredAmount {
  assertQuantity(quantity);
  assertUnitSize(unitSize);
  assertTiers(tiers);
  const charges: TierCharge[] = [];
  let lower: Decimal = ZERO;
  for (let i = 0; i < tiers.length && quantity.gt(lower); i++) {
    const upper = tiers[i].upTo;
    const top = upper === null ? quantity : Decimal.min(quantity, upper);
    charges.push(tierCharge(i, tiers[i], top.minus(lower), unitSize));
    if (upper === null) break;
    lower = upper;
  }
  return { amount: charges.reduce((sum, c) => sum.plus(c.amount), ZERO), charges };
}

/** Index of the tier a total quantity falls in (the first with `quantity ≤ upTo`). */
export function volumeTierIndex(quantity: Decimal, tiers: readonly Tier[]): number {
  assertTiers(tiers);
  const index = tiers.findIndex((tier) => tier.upTo === null || quantity.lte(tier.upTo));
  return index;
}

/** VOLUME: all units at the tier the total falls in, plus that tier's flat amount; zero for zero. */
export function volumeAmount(
  quantity: Decimal,
  tiers: readonly Tier[],
  unitSize: Decimal = ONE,
): TieredAmount {
  assertQuantity(quantity);
  assertUnitSize(unitSize);
  if (quantity.isZero()) {
    assertTiers(tiers);
    return { amount: ZERO, charges: [] };
  }
  const index = volumeTierIndex(quantity, tiers);
  const charge = tierCharge(index, tiers[index], quantity, unitSize);
  return { amount: charge.amount, charges: [charge] };
}

/** What a usage pricing needs to price a quantity. `rate` is required for PER_UNIT and PACKAGE. */
export interface PricingTerms {
  model: CorePricingModel;
  unitSize?: Decimal;
  rate?: Decimal | null;
  tiers?: readonly Tier[] | null;
}

/** Unrounded amount for `quantity` under any model. Throws when the terms lack what the model needs. */
export function priceQuantity(quantity: Decimal, terms: PricingTerms): Decimal {
  const unitSize = terms.unitSize ?? ONE;
  switch (terms.model) {
    case 'PER_UNIT':
    case 'PACKAGE': {
      if (terms.rate === undefined || terms.rate === null)
        throw new Error(`${terms.model} pricing needs a rate`);
      return terms.model === 'PER_UNIT'
        ? perUnitAmount(quantity, terms.rate, unitSize)
        : packageAmount(quantity, terms.rate, unitSize);
    }
    case 'GRADUATED':
    case 'VOLUME': {
      if (!terms.tiers) throw new Error(`${terms.model} pricing needs tiers`);
      return terms.model === 'GRADUATED'
        ? graduatedAmount(quantity, terms.tiers, unitSize).amount
        : volumeAmount(quantity, terms.tiers, unitSize).amount;
    }
    default: {
      const never: never = terms.model;
      throw new Error(`Unknown pricing model: ${String(never)}`);
    }
  }
}

/** Parses stored tiers (decimal strings, as in the `pricings.tiers` JSON column) into {@link Tier}s. */
export function tiersFromStored(stored: readonly StoredTierShape[]): Tier[] {
  return stored.map((tier) => ({
    upTo: tier.upTo === null ? null : new Decimal(tier.upTo),
    unitAmount: new Decimal(tier.unitAmount),
    flatAmount: new Decimal(tier.flatAmount),
    ...(tier.packageSize ? { packageSize: new Decimal(tier.packageSize) } : {}),
  }));
}

/** A tier as the `pricings.tiers` JSON column holds it (packageSize only on TIERED_PACKAGE tiers). */
interface StoredTierShape {
  upTo: string | null;
  unitAmount: string;
  flatAmount: string;
  packageSize?: string | null;
}

/** Tiers as stored: fixed-point strings, never exponent notation. */
export function tiersToStored(tiers: readonly Tier[]): StoredTierShape[] {
  return tiers.map((tier) => ({
    upTo: tier.upTo === null ? null : tier.upTo.toFixed(),
    unitAmount: tier.unitAmount.toFixed(),
    flatAmount: tier.flatAmount.toFixed(),
    ...(tier.packageSize ? { packageSize: tier.packageSize.toFixed() } : {}),
  }));
}
