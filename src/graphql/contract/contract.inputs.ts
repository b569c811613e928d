import { ArrayMaxSize, IsInt, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { CreditSettingsInput } from '../credit/credit.inputs';
import { CommitmentScopeEnum } from './contract.types';
import { BillingAlignmentEnum, BillingCycleEnum } from '../plan/plan.types';
import { DecimalScalar, JSONObjectScalar } from '../scalars';

@InputType('RateOverrideInput')
export class RateOverrideInput {
  @Field({ description: 'A meter priced PER_UNIT by the plan.' }) @MaxLength(100) meterCode!: string;
  @Field(() => JSONObjectScalar, {
    description:
      'Values of some of the meter\'s group keys, e.g. {"model": "gpt-4"}; {} for every combination.',
  })
  dimensions!: Record<string, unknown>;
  @Field(() => DecimalScalar, { description: ">= 0, at most 12 decimal places, per the pricing's unitSize." })
  rate!: Decimal;
}

@InputType('OneTimeChargeInput')
export class OneTimeChargeInput {
  @Field({ description: 'Shown as the invoice line, e.g. "Onboarding fee".' })
  @MaxLength(500)
  description!: string;
  @Field(() => DecimalScalar, {
    description:
      "Unit price in the contract's currency: >= 0, at most 12 decimal places (like a flat fee's amount); the " +
      "line charges amount × quantity rounded half-up to the currency's minor unit.",
  })
  amount!: Decimal;
  @Field(() => DecimalScalar, { nullable: true, description: '> 0; default 1.' }) quantity?: Decimal | null;
  @Field(() => Date, {
    nullable: true,
    description:
      "When the charge is due: it is billed in full on the invoice of the period holding this instant. Default: the contract's start; must fall within the term.",
  })
  chargeDate?: Date | null;
}

@InputType('MinimumCommitmentInput')
export class MinimumCommitmentInput {
  @Field(() => DecimalScalar, {
    description:
      "Minimum spend per scope in the contract's currency (> 0, at most its minor digits), prorated by days " +
      'for a period or year cut short; the shortfall is billed as a MINIMUM_TRUE_UP line.',
  })
  amount!: Decimal;
  @Field(() => CommitmentScopeEnum) scope!: CommitmentScopeEnum;
  @Field(() => [ID], {
    nullable: true,
    description:
      "Only these pricings' lines count towards the minimum. Absent: every usage, fee and one-time line.",
  })
  @ArrayMaxSize(100)
  pricingIds?: string[] | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether spend paid by credits counts towards the minimum. Default false.',
  })
  creditsCount?: boolean | null;
}

@InputType('RolloverInput')
export class RolloverInput {
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Share of unused prepaid credits moved to the new term at renewal: 0 to 1, 4 decimals.',
  })
  fraction?: Decimal | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: "At most this much (contract's currency) moved to the new term at renewal.",
  })
  cap?: Decimal | null;
}

@InputType('CreateContractInput')
export class CreateContractInput {
  @Field(() => ID) customerId!: string;
  @Field(() => ID) planId!: string;
  @Field(() => Date, {
    description:
      'When service starts: usually 00:00 UTC of the first day; a later time of day is honoured to the second ' +
      '(usage before it is not billed), while billing periods and fees count from its UTC day.',
  })
  startDate!: Date;
  @Field(() => Date, {
    nullable: true,
    description: 'The last day covered, inclusive (not an exclusive end). Absent: evergreen.',
  })
  endDate?: Date | null;
  @Field(() => BillingCycleEnum, { nullable: true, description: "Default: the plan's." })
  billingCycle?: BillingCycleEnum | null;
  @Field(() => BillingAlignmentEnum, {
    nullable: true,
    description: 'Default ANNIVERSARY. CALENDAR: periods follow the calendar after a prorated first stub.',
  })
  billingAlignment?: BillingAlignmentEnum | null;
  @Field(() => Int, { nullable: true, description: "Default: the plan's net terms." })
  @IsInt()
  @Min(0)
  @Max(365)
  paymentTermsDays?: number | null;
  @Field(() => Boolean, { nullable: true, description: "Default: the plan's." }) autoPay?: boolean | null;
  @Field(() => [RateOverrideInput], { nullable: true }) @ArrayMaxSize(500) rateOverrides?:
    RateOverrideInput[] | null;
  @Field(() => JSONObjectScalar, {
    nullable: true,
    description: 'Fixed dimension values for this customer; they win over the values events carry.',
  })
  dimensions?: Record<string, unknown> | null;
  // Credits, the seeds' shape; granted in the same transaction as the contract.
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "Prepaid credits available from the contract's start, in whole cents (12000000 = $120,000.00).",
  })
  creditGrantCents?: Decimal | null;
  @Field(() => CreditSettingsInput, { nullable: true, description: 'Needs creditGrantCents.' })
  creditSettings?: CreditSettingsInput | null;
  @Field(() => [OneTimeChargeInput], {
    nullable: true,
    description: 'Charges billed once, in full (never prorated), e.g. an onboarding fee. At most 100.',
  })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  oneTimeCharges?: OneTimeChargeInput[] | null;
  @Field(() => MinimumCommitmentInput, { nullable: true })
  @ValidateNested()
  minimumCommitment?: MinimumCommitmentInput | null;
  @Field(() => RolloverInput, { nullable: true }) rollover?: RolloverInput | null;
}

@InputType('SetContractCommitmentsInput')
export class SetContractCommitmentsInput {
  @Field(() => ID) contractId!: string;
  @Field({ description: 'Repeating a key returns the first result and changes nothing.' })
  @MaxLength(200)
  idempotencyKey!: string;
  @Field(() => MinimumCommitmentInput, {
    nullable: true,
    description: 'Absent: the contract has no minimum.',
  })
  @ValidateNested()
  minimumCommitment?: MinimumCommitmentInput | null;
  @Field(() => RolloverInput, { nullable: true, description: 'Absent: nothing rolls over at renewal.' })
  rollover?: RolloverInput | null;
}
