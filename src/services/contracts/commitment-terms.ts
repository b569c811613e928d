import { badInput } from '../../domain/errors';
import { COMMITMENT_SCOPES, type CommitmentScope } from '../../domain/minimum-commitment';
import { minorUnitDigits, type Decimal } from '../../domain/money';
import type { ContractEntity } from '../../entities/contract.entity';
import { checkDecimal } from '../common';

/** A contract's minimum spend (see domain/minimum-commitment.ts). */
export interface MinimumCommitmentInput {
  amount: Decimal;
  scope: CommitmentScope;
  /** Only these pricings' lines count; absent or null = every usage, fee and one-time line. */
  pricingIds?: readonly string[] | null;
  /** Whether spend paid by credits counts; default false. */
  creditsCount?: boolean | null;
}

/** What rolls over at renewal: a fraction (0–1) of unused prepaid credits, and/or at most `cap`. */
export interface RolloverInput {
  fraction?: Decimal | null;
  cap?: Decimal | null;
}

export const MAX_COMMITMENT_PRICINGS = 100;

type CommitmentFields = Pick<
  ContractEntity,
  | 'minimumCommitmentAmount'
  | 'minimumCommitmentScope'
  | 'minimumCommitmentPricingIds'
  | 'minimumCommitmentCreditsCount'
>;
type RolloverFields = Pick<ContractEntity, 'rolloverFraction' | 'rolloverCap'>;

export const NO_COMMITMENT: CommitmentFields = {
  minimumCommitmentAmount: null,
  minimumCommitmentScope: null,
  minimumCommitmentPricingIds: null,
  minimumCommitmentCreditsCount: false,
};
export const NO_ROLLOVER: RolloverFields = { rolloverFraction: null, rolloverCap: null };

/** Money of the contract's currency that fits DECIMAL(20,4): its minor digits, 16 before the point. */
function moneyRule(currency: string, min: 'zero' | 'positive') {
  return { min, scale: minorUnitDigits(currency), integerDigits: 16 };
}

/**
 * Checks a minimum commitment against the contract it goes on: a positive amount in the contract's currency,
 * a known scope (TERM needs a fixed term), and pricings the contract charges. `field` prefixes error paths.
 */
export function checkMinimumCommitment(
  input: MinimumCommitmentInput | null | undefined,
  field: string,
  contract: { currency: string; endDate: Date | null },
  chargedPricingIds: ReadonlySet<string>,
): CommitmentFields {
  if (!input) return NO_COMMITMENT;
  const amount = checkDecimal(input.amount, `${field}.amount`, moneyRule(contract.currency, 'positive'));
  if (!COMMITMENT_SCOPES.includes(input.scope)) {
    throw badInput(`${field}.scope`, `must be one of ${COMMITMENT_SCOPES.join(', ')}`);
  }
  if (input.scope === 'TERM' && contract.endDate === null) {
    throw badInput(`${field}.scope`, 'TERM needs a fixed term: an evergreen contract has no last invoice');
  }
  let pricingIds: string[] | null = null;
  if (input.pricingIds) {
    if (input.pricingIds.length === 0)
      throw badInput(`${field}.pricingIds`, 'must not be empty (omit it for all)');
    if (input.pricingIds.length > MAX_COMMITMENT_PRICINGS) {
      throw badInput(`${field}.pricingIds`, `must list at most ${MAX_COMMITMENT_PRICINGS} pricings`);
    }
    pricingIds = [...new Set(input.pricingIds)];
    pricingIds.forEach((id, index) => {
      if (!chargedPricingIds.has(id)) {
        throw badInput(`${field}.pricingIds.${index}`, `pricing ${id} is not charged by the contract`);
      }
    });
  }
  return {
    minimumCommitmentAmount: amount,
    minimumCommitmentScope: input.scope,
    minimumCommitmentPricingIds: pricingIds,
    minimumCommitmentCreditsCount: input.creditsCount ?? false,
  };
}

/** Checks rollover terms: a fraction from 0 to 1 (4 decimals) and/or a cap in the contract's currency. */
export function checkRollover(
  input: RolloverInput | null | undefined,
  field: string,
  currency: string,
): RolloverFields {
  if (!input) return NO_ROLLOVER;
  if (
    (input.fraction === null || input.fraction === undefined) &&
    (input.cap === null || input.cap === undefined)
  ) {
    throw badInput(field, 'needs a fraction, a cap, or both');
  }
  let rolloverFraction: Decimal | null = null;
  if (input.fraction !== null && input.fraction !== undefined) {
    rolloverFraction = checkDecimal(input.fraction, `${field}.fraction`, {
      min: 'zero',
      scale: 4,
      integerDigits: 1,
    });
    if (rolloverFraction.gt(1)) throw badInput(`${field}.fraction`, 'must be between 0 and 1');
  }
  const rolloverCap =
    input.cap === null || input.cap === undefined
      ? null
      : checkDecimal(input.cap, `${field}.cap`, moneyRule(currency, 'zero'));
  return { rolloverFraction, rolloverCap };
}

/** Minimum spend per period, contract year or term, and rollover at renewal, as contracts take them. */
export interface CommitmentTermsInput {
  minimumCommitment?: MinimumCommitmentInput | null;
  rollover?: RolloverInput | null;
}

/** Both terms checked (`prefix` leads the error paths: `input.minimumCommitment.amount`, …). */
export function checkCommitmentTerms(
  input: CommitmentTermsInput,
  prefix: string,
  contract: { currency: string; endDate: Date | null },
  chargedPricingIds: ReadonlySet<string>,
): CommitmentFields & RolloverFields {
  return {
    ...checkMinimumCommitment(
      input.minimumCommitment,
      `${prefix}.minimumCommitment`,
      contract,
      chargedPricingIds,
    ),
    ...checkRollover(input.rollover, `${prefix}.rollover`, contract.currency),
  };
}

/** The commitment terms as an amendment or creation record shows them. */
export function describeCommitments(contract: CommitmentFields & RolloverFields): Record<string, unknown> {
  return {
    minimumCommitment: contract.minimumCommitmentAmount
      ? {
          amount: contract.minimumCommitmentAmount.toFixed(),
          scope: contract.minimumCommitmentScope,
          pricingIds: contract.minimumCommitmentPricingIds,
          creditsCount: contract.minimumCommitmentCreditsCount,
        }
      : null,
    rollover:
      contract.rolloverFraction || contract.rolloverCap
        ? {
            fraction: contract.rolloverFraction?.toFixed() ?? null,
            cap: contract.rolloverCap?.toFixed() ?? null,
          }
        : null,
  };
}
