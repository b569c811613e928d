/**
 * Minimum commitments: a contract may commit to a minimum spend per billing period, per contract year, or over
 * its whole term; the invoice that closes the window bills the shortfall as a MINIMUM_TRUE_UP line.
 *
 * Decisions:
 * - Windows. PERIOD: each billing period. CONTRACT_YEAR: twelve months from the contract's start day (the
 *   last year ends with the contract); its true-up goes on the invoice of the period holding the year's last
 *   day. TERM: the whole fixed term (evergreen contracts have none); its true-up goes on the last invoice.
 * - Proration, as flat fees prorate (proration.ts): by whole UTC days covered over the days of the full
 *   window. A first period cut short by the contract's end covers fewer days than its cycle, so a 10.00
 *   monthly minimum over 25 of 28 days is 10.00 × 25/28 = 8.928… → 8.93. A TERM minimum is never prorated.
 * - The prorated minimum is rounded once to the currency's minor unit, then compared with the spend; the
 *   true-up is `minimum − spend` when positive, else no line.
 * - Spend is the rounded amount of the USAGE, FLAT_FEE and ONE_TIME lines in the window (only the lines of
 *   `pricingIds` when the contract names pricings; one-time charges belong to no pricing then), less the
 *   credits applied to them unless `creditsCount` says credits count. True-up lines never count, and are
 *   never covered by credits (credits lowering the spend would raise the true-up they pay for).
 */
import { lineAmount } from './invoice-math';
import type { PricedLine } from './invoice-pricing-input';
import { Decimal, ZERO, formatAmount, roundToMinorUnit } from './money';
import type { BillingPeriod } from './periods';
import { addMonthsClamped, contractEndExclusive, daysBetween, startOfUtcDay } from './periods';
import { prorate } from './proration';

export type CommitmentScope = 'PERIOD' | 'CONTRACT_YEAR' | 'TERM';
export const COMMITMENT_SCOPES: readonly CommitmentScope[] = ['PERIOD', 'CONTRACT_YEAR', 'TERM'];

export interface MinimumCommitmentTerms {
  amount: Decimal;
  scope: CommitmentScope;
  /** Null: every usage, fee and one-time line counts. */
  pricingIds: readonly string[] | null;
  creditsCount: boolean;
}

/** The stretch a minimum is measured over, `[start, end)`, and its proration figures. */
export interface CommitmentWindow {
  start: Date;
  end: Date;
  coveredDays: number;
  /** Days of the full window (the denominator); equals `coveredDays` when nothing is cut short. */
  fullDays: number;
}

/** Line kinds whose amounts are spend (a commitment invoice and a true-up are not). */
export const SPEND_LINE_KINDS: readonly string[] = ['USAGE', 'FLAT_FEE', 'ONE_TIME'];

/**
 * The window an invoice's period closes, or null when the true-up of the scope goes on a later invoice.
 * `contract.startDate` is the first day covered, `endDate` the inclusive last day (null: evergreen).
 */
export function closedWindow(
  scope: CommitmentScope,
  contract: { startDate: Date; endDate: Date | null },
  period: BillingPeriod,
): CommitmentWindow | null {
  const contractEnd = contractEndExclusive(contract.endDate);
  if (scope === 'PERIOD') {
    return {
      start: period.start,
      end: period.end,
      coveredDays: daysBetween(period.start, period.end),
      fullDays: daysBetween(period.start, period.nominalEnd),
    };
  }
  if (scope === 'TERM') {
    if (!contractEnd || period.end.getTime() !== contractEnd.getTime()) return null;
    const start = startOfUtcDay(contract.startDate);
    const days = daysBetween(start, contractEnd);
    return { start, end: contractEnd, coveredDays: days, fullDays: days };
  }
  // CONTRACT_YEAR: the year holding the period's last day closes when this period reaches its end.
  const start = startOfUtcDay(contract.startDate);
  const lastDay = new Date(period.end.getTime() - 1);
  let year = Math.max(0, lastDay.getUTCFullYear() - start.getUTCFullYear() - 1);
  while (addMonthsClamped(start, 12 * (year + 1)).getTime() <= lastDay.getTime()) year++;
  const yearStart = addMonthsClamped(start, 12 * year);
  const nominalEnd = addMonthsClamped(start, 12 * (year + 1));
  const end = contractEnd && contractEnd.getTime() < nominalEnd.getTime() ? contractEnd : nominalEnd;
  if (period.end.getTime() < end.getTime()) return null;
  return {
    start: yearStart,
    end,
    coveredDays: daysBetween(yearStart, end),
    fullDays: daysBetween(yearStart, nominalEnd),
  };
}

/** A line as spend sees it: its rounded amount and the credits applied to it. */
export interface SpendLine {
  kind: string;
  pricingId: string | null;
  amount: Decimal;
  creditsApplied: Decimal;
}

/** What the lines spend towards the minimum. */
export function committedSpend(terms: MinimumCommitmentTerms, lines: readonly SpendLine[]): Decimal {
  return lines.reduce((sum, line) => {
    if (!SPEND_LINE_KINDS.includes(line.kind)) return sum;
    if (terms.pricingIds && (!line.pricingId || !terms.pricingIds.includes(line.pricingId))) return sum;
    return sum.plus(terms.creditsCount ? line.amount : line.amount.minus(line.creditsApplied));
  }, ZERO);
}

/** The minimum owed over a window: prorated by days, rounded once to the currency's minor unit. */
export function windowMinimum(
  terms: MinimumCommitmentTerms,
  window: CommitmentWindow,
  currency: string,
): Decimal {
  return roundToMinorUnit(prorate(terms.amount, window.coveredDays, window.fullDays), currency);
}

/** The true-up line for a window, or null when the spend meets the minimum. */
export function minimumTrueUp(
  terms: MinimumCommitmentTerms,
  window: CommitmentWindow,
  spend: Decimal,
  currency: string,
): PricedLine | null {
  const minimum = windowMinimum(terms, window, currency);
  const shortfall = minimum.minus(spend);
  if (!shortfall.gt(0)) return null;
  const fmt = (value: Decimal) => formatAmount(value, currency);
  const prorated =
    window.coveredDays === window.fullDays
      ? fmt(minimum)
      : `${fmt(terms.amount)} × ${window.coveredDays}/${window.fullDays} days = ${fmt(minimum)}`;
  return {
    kind: 'MINIMUM_TRUE_UP',
    pricingId: null,
    meterCode: null,
    description: `Minimum commitment true-up (${SCOPE_LABEL[terms.scope]} minimum ${prorated}, spent ${fmt(spend)})`,
    dimensions: null,
    quantity: new Decimal(1),
    rate: shortfall,
    unitSize: null,
    rateSource: null,
    ...lineAmount(shortfall, currency),
    serviceFrom: window.start,
    serviceTo: window.end,
  };
}

const SCOPE_LABEL: Record<CommitmentScope, string> = {
  PERIOD: 'period',
  CONTRACT_YEAR: 'contract-year',
  TERM: 'term',
};
