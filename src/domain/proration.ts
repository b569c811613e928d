/**
 * Proration of flat fees by days.
 *
 * Decisions:
 * - A flat fee is prorated by whole UTC days: `amount × coveredDays / daysInFullPeriod`. The denominator is
 *   the full cycle (`nominalEnd − start`), so a partial last period of 16 days in a 92-day quarter bills
 *   16/92 of the fee, and a full period bills exactly the amount (no division happens at all).
 * - Range boundaries are truncated to the UTC day: a change at 14:00 on the 10th bills the 10th to the side
 *   that starts on the 10th. So the two sides of a mid-period change always add up to the period's days.
 * - The result is unrounded; round once on the invoice line (see invoice-math.ts).
 */
import { Decimal } from './money';
import type { BillingPeriod } from './periods';
import { daysBetween, startOfUtcDay } from './periods';

/**
 * `amount × coveredDays / periodDays`, unrounded. Returns `amount` itself when the whole period is covered.
 * Throws unless `0 ≤ coveredDays ≤ periodDays` and `periodDays > 0`.
 */
export function prorate(
  amount: Decimal,
  coveredDays: number | Decimal,
  periodDays: number | Decimal,
): Decimal {
  const covered = new Decimal(coveredDays);
  const total = new Decimal(periodDays);
  if (total.lte(0)) throw new Error(`periodDays must be positive, got ${total.toFixed()}`);
  if (covered.isNegative() || covered.gt(total)) {
    throw new Error(`coveredDays must be between 0 and ${total.toFixed()}, got ${covered.toFixed()}`);
  }
  if (covered.eq(total)) return amount;
  return amount.mul(covered).div(total);
}

/** Whole UTC days of `[from, to)` that fall inside `[start, end)`; boundaries are truncated to the day. */
export function overlapDays(interval: { start: Date; end: Date }, from: Date, to: Date): number {
  const lo = Math.max(startOfUtcDay(interval.start).getTime(), startOfUtcDay(from).getTime());
  const hi = Math.min(startOfUtcDay(interval.end).getTime(), startOfUtcDay(to).getTime());
  return hi > lo ? daysBetween(new Date(lo), new Date(hi)) : 0;
}

/** A prorated flat fee, with the figures that explain it on an invoice line. */
export interface ProratedFee {
  /** Unrounded amount. */
  amount: Decimal;
  coveredDays: number;
  /** Days in the full cycle (the denominator). */
  periodDays: number;
  /** True when the fee was not reduced. */
  full: boolean;
}

/**
 * The flat fee owed for a billing period, optionally restricted to `[range.from, range.to)` (e.g. the part
 * of a period before or after a plan change). Coverage is the days of the range within `[period.start,
 * period.end)`; the denominator is the full cycle, so a partial last period (or a calendar billing's first
 * stub) is prorated automatically.
 */
export function prorateFlatFee(
  amount: Decimal,
  period: BillingPeriod,
  range?: { from: Date; to: Date },
): ProratedFee {
  // A calendar-aligned first stub (17th → month end) is a share of its whole calendar period.
  const periodDays = daysBetween(period.nominalStart ?? period.start, period.nominalEnd);
  const coveredDays = range
    ? overlapDays(period, range.from, range.to)
    : daysBetween(period.start, period.end);
  return {
    amount: prorate(amount, coveredDays, periodDays),
    coveredDays,
    periodDays,
    full: coveredDays === periodDays,
  };
}
