/**
 * Invoice arithmetic: line rounding, subtotals, exact allocations, and credit drawdown.
 *
 * Decisions:
 * - A line keeps `preciseAmount` (unrounded, normalised to AMOUNT_SCALE = 12 decimals, the column's scale)
 *   and `amount` = `preciseAmount` rounded half-up to the currency's minor unit (`roundToMinorUnit`). We
 *   round the stored precise value, so `amount` can always be recomputed from what the invoice shows.
 * - The subtotal is the sum of rounded lines, never the rounding of a sum.
 * - Allocations (`allocateLargestRemainder`) work in integer minor units: every part is floored, then the
 *   leftover units go one each to the largest remainders (ties: earlier index). Parts add back exactly.
 * - Credits are integer minor units ("cents"). Drawdown order: soonest `expiresAt` first (no
 *   expiry last); on a tie PROMOTIONAL before PREPAID; then oldest `createdAt`; then lowest id. A grant
 *   applies only to an invoice of its currency whose period starts before the grant expires. Credits cover
 *   only `USAGE` and `FLAT_FEE` lines (not e.g. a commitment invoice's line).
 * - The total credited is split over eligible lines in proportion to their amounts (largest remainder),
 *   then each grant's deduction is split over those per-line targets, so the grant × line matrix adds up
 *   exactly both ways and no line is credited more than its amount.
 */
import { AMOUNT_SCALE, Decimal, ZERO, minorUnitDigits, roundToMinorUnit, toMinorUnits } from './money';
import { perUnitAmount } from './pricing-models';

/** An invoice line's money: unrounded and rounded. */
export interface LineAmount {
  /** Unrounded, at AMOUNT_SCALE decimals. */
  preciseAmount: Decimal;
  /** Rounded half-up to the currency's minor unit. */
  amount: Decimal;
}

/** Normalises an unrounded amount to AMOUNT_SCALE and rounds it once to the currency's minor unit. */
export function lineAmount(preciseAmount: Decimal, currency: string): LineAmount {
  const precise = preciseAmount.toDecimalPlaces(AMOUNT_SCALE, Decimal.ROUND_HALF_UP);
  return { preciseAmount: precise, amount: roundToMinorUnit(precise, currency) };
}

/** A PER_UNIT usage line: `quantity × rate / unitSize`, rounded once. */
export function usageLineAmount(
  quantity: Decimal,
  rate: Decimal,
  unitSize: Decimal,
  currency: string,
): LineAmount {
  return lineAmount(perUnitAmount(quantity, rate, unitSize), currency);
}

/** Sum of the lines' rounded amounts: an invoice's subtotal. */
export function sumAmounts(lines: readonly { amount: Decimal }[]): Decimal {
  return lines.reduce((sum, line) => sum.plus(line.amount), ZERO);
}

function assertInteger(value: Decimal, what: string): void {
  if (!value.isInteger())
    throw new Error(`${what} must be a whole number of minor units, got ${value.toFixed()}`);
}

/**
 * Splits an integer number of minor units in proportion to `weights` (non-negative). Parts are integers
 * that add up to `totalUnits` exactly. All-zero weights split evenly. A negative total is split as its
 * absolute value and negated.
 */
export function allocateMinorUnits(totalUnits: Decimal, weights: readonly Decimal[]): Decimal[] {
  assertInteger(totalUnits, 'total');
  if (weights.length === 0) {
    if (!totalUnits.isZero()) throw new Error('Cannot allocate a non-zero total over no weights');
    return [];
  }
  if (weights.some((w) => !w.isFinite() || w.isNegative())) throw new Error('weights must not be negative');
  if (totalUnits.isNegative())
    return allocateMinorUnits(totalUnits.neg(), weights).map((p) => p.neg().plus(0));
  const sum = weights.reduce((acc, w) => acc.plus(w), ZERO);
  const effective = sum.isZero() ? weights.map(() => new Decimal(1)) : weights;
  const weightSum = sum.isZero() ? new Decimal(weights.length) : sum;
  const shares = effective.map((w) => totalUnits.mul(w).div(weightSum));
  const parts = shares.map((share) => share.floor());
  // Whole minor units still to hand out, one each to the largest remainders (fewer than parts.length).
  let leftover = totalUnits.minus(parts.reduce((acc, p) => acc.plus(p), ZERO));
  const order = shares
    .map((share, index) => ({ index, remainder: share.minus(parts[index]) }))
    .sort((a, b) => b.remainder.comparedTo(a.remainder) || a.index - b.index);
  for (const { index } of order) {
    if (leftover.lte(0)) break;
    parts[index] = parts[index].plus(1);
    leftover = leftover.minus(1);
  }
  return parts;
}

/**
 * Splits `total` (already rounded to the currency's minor unit) in proportion to `weights`, by largest
 * remainder: the parts are rounded amounts that add back to `total` exactly.
 */
export function allocateLargestRemainder(
  total: Decimal,
  weights: readonly Decimal[],
  currency: string,
): Decimal[] {
  const scale = new Decimal(10).pow(minorUnitDigits(currency));
  return allocateMinorUnits(total.mul(scale), weights).map((units) => units.div(scale));
}

// ---------------------------------------------------------------------------------------------------------
// Credits

export type CreditGrantType = 'PROMOTIONAL' | 'PREPAID';

/** A grant's state as drawdown sees it. */
export interface CreditGrantBalance {
  id: string;
  type: CreditGrantType;
  currency: string;
  /** What is left to spend, in minor units (integer). */
  remainingCents: Decimal;
  /** Null = never expires. */
  expiresAt: Date | null;
  createdAt: Date;
}

/**
 * Line kinds credits may cover: every charge except the commitment itself (prepaid credits paying for their
 * own purchase would be circular). One-time charges (onboarding, setup) are covered like recurring fees.
 */
export const CREDITABLE_LINE_KINDS: readonly string[] = ['USAGE', 'FLAT_FEE', 'ONE_TIME'];

/** An invoice line as drawdown sees it. `amount` is the rounded line amount in currency units. */
export interface CreditableLine {
  id: string;
  kind: string;
  amount: Decimal;
}

export interface CreditableInvoice {
  currency: string;
  periodStart: Date;
  lines: readonly CreditableLine[];
}

export interface GrantDeduction {
  grantId: string;
  /** Deducted from this grant for this invoice, in minor units. */
  appliedCents: Decimal;
  /** The grant's balance after this invoice. */
  remainingCents: Decimal;
  /** The deduction per invoice line (only lines with a non-zero share; they sum to `appliedCents`). */
  lines: { lineId: string; cents: Decimal }[];
}

export interface LineCredit {
  lineId: string;
  amountCents: Decimal;
  creditedCents: Decimal;
  dueCents: Decimal;
}

export interface CreditDrawdown {
  /** Grants in drawdown order, only those that applied something. */
  grants: GrantDeduction[];
  /** Every invoice line, in input order (ineligible lines get zero credit). */
  lines: LineCredit[];
  totalCents: Decimal;
  /** Sum of USAGE and FLAT_FEE lines. */
  eligibleCents: Decimal;
  appliedCents: Decimal;
  /** `totalCents − appliedCents`. */
  amountDueCents: Decimal;
}

const GRANT_TYPE_ORDER: Record<CreditGrantType, number> = { PROMOTIONAL: 0, PREPAID: 1 };

/** Drawdown order: soonest expiry (none = last), PROMOTIONAL before PREPAID, oldest, lowest id. */
export function compareGrantsForDrawdown(a: CreditGrantBalance, b: CreditGrantBalance): number {
  const ea = a.expiresAt?.getTime() ?? Infinity;
  const eb = b.expiresAt?.getTime() ?? Infinity;
  if (ea !== eb) return ea < eb ? -1 : 1;
  const byType = GRANT_TYPE_ORDER[a.type] - GRANT_TYPE_ORDER[b.type];
  if (byType !== 0) return byType;
  const byAge = a.createdAt.getTime() - b.createdAt.getTime();
  if (byAge !== 0) return byAge;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A grant applies to an invoice of its currency whose period starts before the grant expires. */
export function isGrantApplicable(
  grant: CreditGrantBalance,
  invoice: Pick<CreditableInvoice, 'currency' | 'periodStart'>,
): boolean {
  return (
    grant.currency === invoice.currency &&
    (grant.expiresAt === null || invoice.periodStart.getTime() < grant.expiresAt.getTime())
  );
}

/**
 * What the customer's grants cover on one invoice, and what remains due. Pure: the caller writes the ledger
 * (one DEDUCTION per grant × line) and locks the grants it passed in. To draw several invoices in turn,
 * feed each one's `remainingCents` into the next call.
 */
export function applyCredits(
  invoice: CreditableInvoice,
  grants: readonly CreditGrantBalance[],
): CreditDrawdown {
  const lineCents = invoice.lines.map((line) => {
    const cents = toMinorUnits(line.amount, invoice.currency);
    assertInteger(cents, `line ${line.id} amount`);
    return cents;
  });
  const eligible = invoice.lines.map((line, i) => {
    if (!CREDITABLE_LINE_KINDS.includes(line.kind)) return false;
    if (lineCents[i].isNegative()) throw new Error(`line ${line.id}: a creditable line cannot be negative`);
    return true;
  });
  const totalCents = lineCents.reduce((sum, c) => sum.plus(c), ZERO);
  const eligibleCents = lineCents.reduce((sum, c, i) => (eligible[i] ? sum.plus(c) : sum), ZERO);

  // 1. How much each grant gives, in drawdown order.
  const ordered = grants
    .filter((grant) => {
      assertInteger(grant.remainingCents, `grant ${grant.id} remaining`);
      if (grant.remainingCents.isNegative()) throw new Error(`grant ${grant.id} has a negative balance`);
      return grant.remainingCents.gt(0) && isGrantApplicable(grant, invoice);
    })
    .sort(compareGrantsForDrawdown);
  let uncovered = eligibleCents;
  const takes: { grant: CreditGrantBalance; cents: Decimal }[] = [];
  for (const grant of ordered) {
    if (uncovered.lte(0)) break;
    const cents = Decimal.min(grant.remainingCents, uncovered);
    takes.push({ grant, cents });
    uncovered = uncovered.minus(cents);
  }
  const appliedCents = eligibleCents.minus(uncovered);

  // 2. The applied total per line (proportional, capped by each line's amount).
  const eligibleIndexes = lineCents.map((_, i) => i).filter((i) => eligible[i]);
  const targets = allocateMinorUnits(
    appliedCents,
    eligibleIndexes.map((i) => lineCents[i]),
  );
  const credited = lineCents.map(() => ZERO);
  eligibleIndexes.forEach((lineIndex, k) => (credited[lineIndex] = targets[k]));

  // 3. Each grant's share of each line: split the grant over what the lines still have to receive.
  const open = eligibleIndexes.map((i) => credited[i]);
  const deductions: GrantDeduction[] = takes.map(({ grant, cents }) => {
    const parts = allocateMinorUnits(cents, open);
    const lines: { lineId: string; cents: Decimal }[] = [];
    parts.forEach((part, k) => {
      open[k] = open[k].minus(part);
      if (!part.isZero()) lines.push({ lineId: invoice.lines[eligibleIndexes[k]].id, cents: part });
    });
    return {
      grantId: grant.id,
      appliedCents: cents,
      remainingCents: grant.remainingCents.minus(cents),
      lines,
    };
  });

  return {
    grants: deductions,
    lines: invoice.lines.map((line, i) => ({
      lineId: line.id,
      amountCents: lineCents[i],
      creditedCents: credited[i],
      dueCents: lineCents[i].minus(credited[i]),
    })),
    totalCents,
    eligibleCents,
    appliedCents,
    amountDueCents: totalCents.minus(appliedCents),
  };
}
