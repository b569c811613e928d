import {
  applyCredits,
  compareGrantsForDrawdown,
  CREDITABLE_LINE_KINDS,
  isGrantApplicable,
  type CreditDrawdown,
  type CreditGrantBalance,
  type CreditGrantType,
} from './invoice-math';
import { Decimal, toMinorUnits, ZERO } from './money';

/** The invoice a drawdown is planned for: its currency, period and rounded lines. */
export interface DrawdownPlanInput {
  currency: string;
  periodStart: Date;
  periodEnd: Date;
  lines: ReadonlyArray<{
    /** Stable key of the line within the invoice (its position). */
    key: string;
    kind: string;
    /** The line's rounded amount, in currency units. */
    amount: Decimal;
  }>;
  /** At most this much may be credited, in currency units (e.g. what the customer's balance left to pay). */
  maxCredit?: Decimal;
}

/** A stored grant as the plan needs it (the grant row satisfies this shape). */
export interface DrawdownGrant {
  id: string;
  type: CreditGrantType;
  status: string;
  currency: string;
  /** What is left to spend, in minor units. */
  remainingCents: Decimal;
  effectiveAt: Date;
  /** Null = never expires. */
  expiresAt: Date | null;
  createdAt: Date;
}

/** Kind given to lines credits must not touch (negative creditable lines, see `planDrawdown`). */
const NOT_CREDITABLE = 'NOT_CREDITABLE';

/**
 * What the customer's grants cover on one invoice. Pure: the ordering and the grant × line split are
 * `applyCredits` (invoice-math.ts); this adds the rules that need the stored grant:
 * - a grant is drawable only once effective before the period ends (and, via `isGrantApplicable`, only for
 *   invoices of its currency whose period starts before it expires);
 * - a negative creditable line (a proration credit) is never credited, and it lowers what credits may cover
 *   in total, so credits never turn an invoice into a refund: applied ≤ max(0, sum of creditable lines).
 */
export function planDrawdown(input: DrawdownPlanInput, grants: readonly DrawdownGrant[]): CreditDrawdown {
  const lines = input.lines.map((line) => ({
    id: line.key,
    kind: CREDITABLE_LINE_KINDS.includes(line.kind) && !line.amount.isNegative() ? line.kind : NOT_CREDITABLE,
    amount: line.amount,
  }));
  const creditableNet = input.lines
    .filter((line) => CREDITABLE_LINE_KINDS.includes(line.kind))
    .reduce((sum, line) => sum.plus(toMinorUnits(line.amount, input.currency)), ZERO);
  const limit = input.maxCredit ? toMinorUnits(input.maxCredit, input.currency) : creditableNet;
  let cap = Decimal.max(Decimal.min(creditableNet, limit), ZERO);

  const invoice = { currency: input.currency, periodStart: input.periodStart, lines };
  const candidates: CreditGrantBalance[] = grants
    .filter((grant) => grant.status === 'ACTIVE' && grant.effectiveAt.getTime() < input.periodEnd.getTime())
    .map((grant) => ({
      id: grant.id,
      type: grant.type,
      currency: grant.currency,
      remainingCents: grant.remainingCents,
      expiresAt: grant.expiresAt,
      createdAt: grant.createdAt,
    }))
    .filter((grant) => isGrantApplicable(grant, invoice))
    .sort(compareGrantsForDrawdown);
  // Offer each grant at most what the cap still allows, in drawdown order, so the cap binds the last grants.
  const offered = candidates.map((grant) => {
    const take = Decimal.min(grant.remainingCents, cap);
    cap = cap.minus(take);
    return { ...grant, remainingCents: take };
  });
  return applyCredits(invoice, offered);
}
