import type { RequestContext } from '../../context';
import { badInput } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { Decimal } from '../../domain/money';
import { contractEndExclusive, formatCalendarDate, startOfUtcDay } from '../../domain/periods';
import { ContractOneTimeChargeEntity } from '../../entities/contract-one-time-charge.entity';
import { checkDecimal, POSITIVE_QUANTITY_RULE, RATE_RULE, requiredText } from '../common';

/** More than this on one contract is a data-entry mistake, not a deal. */
export const MAX_ONE_TIME_CHARGES = 100;

export interface OneTimeChargeInput {
  description: string;
  /** Unit price, >= 0, at most 12 decimal places (like a flat fee's amount); the line rounds once. */
  amount: Decimal;
  /** Default 1. */
  quantity?: Decimal | null;
  /** Default: the contract's start. Must fall within the term. */
  chargeDate?: Date | null;
}

export interface CheckedOneTimeCharge {
  position: number;
  description: string;
  amount: Decimal;
  quantity: Decimal;
  chargeDate: Date;
}

/**
 * Checks a new contract's one-time charges against its term (UTC days, `endDate` inclusive), naming the
 * offending field. A charge dated outside the term would land on no invoice: refused, never dropped.
 */
export function checkOneTimeCharges(
  inputs: readonly OneTimeChargeInput[],
  term: { startDate: Date; endDate: Date | null },
): CheckedOneTimeCharge[] {
  if (inputs.length > MAX_ONE_TIME_CHARGES) {
    throw badInput('input.oneTimeCharges', `must have at most ${MAX_ONE_TIME_CHARGES} entries`);
  }
  const end = contractEndExclusive(term.endDate);
  return inputs.map((input, index) => {
    const at = `input.oneTimeCharges.${index}`;
    const description = requiredText(input.description, `${at}.description`, 500);
    const amount = checkDecimal(input.amount, `${at}.amount`, RATE_RULE);
    const quantity =
      input.quantity === null || input.quantity === undefined
        ? new Decimal(1)
        : checkDecimal(input.quantity, `${at}.quantity`, POSITIVE_QUANTITY_RULE);
    const chargeDate = input.chargeDate ?? term.startDate;
    if (!(chargeDate instanceof Date) || Number.isNaN(chargeDate.getTime())) {
      throw badInput(`${at}.chargeDate`, 'must be a date-time');
    }
    if (
      chargeDate.getTime() < startOfUtcDay(term.startDate).getTime() ||
      (end !== null && chargeDate.getTime() >= end.getTime())
    ) {
      const last = term.endDate ? formatCalendarDate(term.endDate) : 'evergreen';
      throw badInput(
        `${at}.chargeDate`,
        `must fall within the contract term (${formatCalendarDate(term.startDate)} to ${last}); got ${chargeDate.toISOString()}`,
      );
    }
    return { position: index, description, amount, quantity, chargeDate };
  });
}

export async function insertOneTimeCharges(
  tx: RequestContext,
  contractId: string,
  charges: readonly CheckedOneTimeCharge[],
): Promise<void> {
  if (!charges.length) return;
  const now = tx.now();
  const repo = tx.repo(ContractOneTimeChargeEntity);
  await repo.insert(
    charges.map((charge) =>
      repo.create({
        ...charge,
        id: newId('otc', now.getTime()),
        environmentId: tx.environmentId,
        contractId,
        createdAt: now,
      }),
    ),
  );
}

/** How a charge reads in the contract's CREATED amendment (decimals as fixed-point strings). */
export function describeOneTimeCharge(charge: CheckedOneTimeCharge): Record<string, string> {
  return {
    description: charge.description,
    amount: charge.amount.toFixed(),
    quantity: charge.quantity.toFixed(),
    chargeDate: charge.chargeDate.toISOString(),
  };
}
