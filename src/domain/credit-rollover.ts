/**
 * Rollover of unused prepaid credits at renewal.
 *
 * Decisions:
 * - A contract may roll over a `fraction` (0–1) and/or at most a `cap` (contract currency) of what is left of
 *   its prepaid grants when their term ends and the contract continues; the rest expires as breakage.
 * - Whole minor units: the fraction's share is rounded down (a rollover never creates a cent), then the cap
 *   applies to everything rolled out of that term (several grants ending together share one cap).
 * - No fraction means all of it (up to the cap); no cap means no limit.
 */
import { Decimal, ZERO, toMinorUnits } from './money';

export interface RolloverTerms {
  fraction: Decimal | null;
  cap: Decimal | null;
}

/** Cents to roll out of a grant with `remainingCents` left, `alreadyRolledCents` of the term already rolled. */
export function rolloverCents(
  terms: RolloverTerms,
  remainingCents: Decimal,
  alreadyRolledCents: Decimal,
  currency: string,
): Decimal {
  if (!remainingCents.gt(0)) return ZERO;
  const share = terms.fraction ? remainingCents.mul(terms.fraction).floor() : remainingCents;
  if (!terms.cap) return share;
  const room = toMinorUnits(terms.cap, currency).minus(alreadyRolledCents);
  return Decimal.max(ZERO, Decimal.min(share, room));
}
