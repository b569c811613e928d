/**
 * TIERED_PACKAGE pricing: a graduated ladder whose tiers sell units in packages of their own size, e.g.
 * blocks of 100 at 2.95 up to 1,000 units (10 blocks), then blocks of 1,000 at 5.95.
 *
 * Decisions:
 * - Graduated: the units that fall in a tier are counted in that tier's packages, and every started
 *   package is paid in full at the tier's `unitAmount` (the price per package), plus the tier's flat
 *   amount once the tier is reached. 2,350 units on the ladder above: 10 blocks × 2.95 + ⌈1,350 / 1,000⌉
 *   = 2 blocks × 5.95.
 * - A bounded tier's width (`upTo` minus the previous `upTo`) is a whole number of its packages, so only
 *   the last tier reached can hold a started package (checked by {@link tieredPackageProblem}).
 */
import { Decimal, ZERO } from './money';
import { validateTiers, type Tier, type TierCharge, type TieredAmount } from './pricing-models';

/** A problem with a TIERED_PACKAGE ladder, or null: tiers valid and each with a whole number of packages. */
export function tieredPackageProblem(tiers: readonly Tier[]): string | null {
  const problem = validateTiers(tiers);
  if (problem !== null) return problem;
  let previous: Decimal = ZERO;
  for (const [i, tier] of tiers.entries()) {
    const size = tier.packageSize;
    if (!size || !size.isFinite() || size.lte(0)) return `Tier ${i + 1}: packageSize must be positive`;
    if (tier.upTo !== null) {
      if (!tier.upTo.minus(previous).mod(size).isZero()) {
        return `Tier ${i + 1}: its ${tier.upTo.minus(previous).toFixed()} units must be a whole number of packages of ${size.toFixed()}`;
      }
      previous = tier.upTo;
    }
  }
  return null;
}

/** TIERED_PACKAGE: each tier's units in started packages of its size at its price, plus reached flats. */
export function tieredPackageAmount(quantity: Decimal, tiers: readonly Tier[]): TieredAmount {
  if (!quantity.isFinite() || quantity.isNegative()) {
    throw new Error(`quantity must be a non-negative number, got ${quantity.toFixed()}`);
  }
  const problem = tieredPackageProblem(tiers);
  if (problem !== null) throw new Error(problem);
  const charges: TierCharge[] = [];
  let lower: Decimal = ZERO;
  for (const [i, tier] of tiers.entries()) {
    if (!quantity.gt(lower)) break;
    const top = tier.upTo === null ? quantity : Decimal.min(quantity, tier.upTo);
    const units = top.minus(lower);
    const packages = units.div(tier.packageSize!).ceil();
    charges.push({
      tierIndex: i,
      quantity: units,
      unitAmount: tier.unitAmount,
      flatAmount: tier.flatAmount,
      amount: packages.mul(tier.unitAmount).plus(tier.flatAmount),
    });
    if (tier.upTo === null) break;
    lower = tier.upTo;
  }
  return { amount: charges.reduce((sum, c) => sum.plus(c.amount), ZERO), charges };
}
