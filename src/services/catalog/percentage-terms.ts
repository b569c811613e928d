import { badInput } from '../../domain/errors';
import { Decimal } from '../../domain/money';
import type { PricingModel, StoredTier } from '../../entities/pricing.entity';
import { checkDecimal, RATE_RULE } from '../common';

/** What a PERCENTAGE pricing stores besides its tiers; null on every other model. */
export interface PercentageColumns {
  percent: Decimal | null;
  feePerTransaction: Decimal | null;
}

const HUNDRED = new Decimal(100);

/**
 * PERCENTAGE terms: exactly one of `percent` (0–100) and graduated `tiers` (each unitAmount a percentage,
 * 0–100), an optional fee per transaction, unit size 1, and a SUM meter (the percentage is of a summed
 * amount; its hourly roll-ups carry the event count the fee needs). Other models take none of these.
 */
export function checkPercentageTerms(input: {
  model: PricingModel;
  percent?: Decimal | null;
  feePerTransaction?: Decimal | null;
  unitSize: Decimal;
  tiers: readonly StoredTier[] | null;
  meterAggregation: string;
}): PercentageColumns {
  const given = (value: Decimal | null | undefined): value is Decimal =>
    value !== null && value !== undefined;
  if (input.model !== 'PERCENTAGE') {
    if (given(input.percent)) throw badInput('input.percent', 'applies to PERCENTAGE pricing only');
    if (given(input.feePerTransaction))
      throw badInput('input.feePerTransaction', 'applies to PERCENTAGE pricing only');
    return { percent: null, feePerTransaction: null };
  }
  if (input.meterAggregation !== 'SUM') {
    throw badInput(
      'input.meterCode',
      'PERCENTAGE pricing needs a SUM meter (a percentage of a summed amount)',
    );
  }
  if (!input.unitSize.eq(1)) throw badInput('input.unitSize', 'must be 1 for PERCENTAGE pricing');
  if (given(input.percent) === (input.tiers !== null)) {
    throw badInput(
      'input.percent',
      'PERCENTAGE pricing takes either a percent or graduated tiers (one of them)',
    );
  }
  const percent = given(input.percent) ? checkPercent(input.percent, 'input.percent') : null;
  input.tiers?.forEach((tier, i) =>
    checkPercent(new Decimal(tier.unitAmount), `input.tiers.${i}.unitAmount`),
  );
  const feePerTransaction = given(input.feePerTransaction)
    ? checkDecimal(input.feePerTransaction, 'input.feePerTransaction', RATE_RULE)
    : null;
  return { percent, feePerTransaction };
}

function checkPercent(value: Decimal, field: string): Decimal {
  const percent = checkDecimal(value, field, RATE_RULE);
  if (percent.gt(HUNDRED)) throw badInput(field, 'must be a percentage from 0 to 100');
  return percent;
}
