/**
 * PERCENTAGE pricing: a rate as a percentage of an amount carried on the events (payment volume, say),
 * which a SUM meter adds up, plus an optional fixed fee per transaction (per event).
 *
 * Decisions:
 * - `percent` is in percent (2.9 means 2.9 %). Graduated percentages are tiers whose `unitAmount` is the
 *   percentage applied to the part of the volume that falls in the tier (plus the tier's flat amount once
 *   reached), exactly like GRADUATED with a unit size of 100.
 * - The fee per transaction is charged per event behind the volume, free units notwithstanding (free
 *   units waive volume, not transactions).
 * - Per-transaction minimums and maximums would need every event's own amount; the draft invoice prices
 *   hourly aggregates (sum and count per hour), so they are not offered.
 */
import { Decimal, ZERO } from './money';
import { graduatedAmount, type Tier } from './pricing-models';

const HUNDRED = new Decimal(100);

export interface PercentageTerms {
  /** The one percentage, or null when `tiers` grade it. */
  percent: Decimal | null;
  /** Graduated percentages (unitAmount in percent), or null for a single `percent`. */
  tiers: readonly Tier[] | null;
  /** Charged per transaction (event); null or zero for none. */
  feePerTransaction: Decimal | null;
}

/** The unrounded charge for `volume` over `transactions` events. */
export function percentageAmount(volume: Decimal, transactions: Decimal, terms: PercentageTerms): Decimal {
  if (!volume.isFinite() || volume.isNegative()) {
    throw new Error(`volume must be a non-negative number, got ${volume.toFixed()}`);
  }
  let share: Decimal;
  if (terms.tiers) share = graduatedAmount(volume, terms.tiers, HUNDRED).amount;
  else if (terms.percent) share = volume.mul(terms.percent).div(HUNDRED);
  else throw new Error('PERCENTAGE pricing needs a percent or tiers');
  return share.plus(transactions.mul(terms.feePerTransaction ?? ZERO));
}

/** How a percentage line explains itself: ` (2.9% + 0.3 × 40 transactions)`. */
export function percentageNote(terms: PercentageTerms, transactions: Decimal): string {
  const rate = terms.tiers ? 'graduated %' : `${terms.percent!.toFixed()}%`;
  const fee =
    terms.feePerTransaction && !terms.feePerTransaction.isZero()
      ? ` + ${terms.feePerTransaction.toFixed()} × ${transactions.toFixed()} transactions`
      : '';
  return ` (${rate}${fee})`;
}
