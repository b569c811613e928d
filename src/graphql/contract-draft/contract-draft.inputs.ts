import { ArrayMaxSize, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { isIsoDate } from '../../domain/contract-draft';
import type { Decimal } from '../../domain/money';
import { CREDIT_AMOUNT_RULE, POSITIVE_QUANTITY_RULE, RATE_RULE } from '../../services/common';
import { DimensionValues, FitsDecimal } from '../input-rules';
import { BillingCycleEnum } from '../plan/plan.types';
import { DecimalScalar, JSONObjectScalar } from '../scalars';

/** A real calendar day written YYYY-MM-DD (so 2025-02-30 is refused, not rolled over). */
const IsCalendarDate = () =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value) => typeof value === 'string' && isIsoDate(value),
      defaultMessage: () => 'must be a date YYYY-MM-DD',
    },
  });

/** Some text besides spaces. */
const NOT_BLANK = /\S/;

@InputType('DraftProposedCustomerInput')
export class DraftProposedCustomerInput {
  @Field()
  @Matches(NOT_BLANK, { message: 'must be 1 to 200 characters' })
  @MaxLength(200, { message: 'must be 1 to 200 characters' })
  name!: string;
  @Field(() => String, { nullable: true })
  @MaxLength(320)
  @Matches(/^([^@\s]+@[^@\s]+)?$/, { message: 'is not an email address' })
  email?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(1000) address?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(500) website?: string | null;
}

@InputType('DraftPlanInput')
export class DraftPlanInput {
  @Field(() => ID) planId!: string;
  @Field(() => DecimalScalar, { nullable: true, description: '> 0, at most 9 decimal places.' })
  @FitsDecimal(POSITIVE_QUANTITY_RULE)
  quantity?: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true, description: '>= 0, at most 12 decimal places.' })
  @FitsDecimal(RATE_RULE)
  unitPrice?: Decimal | null;
}

@InputType('DraftUsagePricingInput')
export class DraftUsagePricingInput {
  @Field(() => ID) pricingId!: string;
  @Field(() => JSONObjectScalar, {
    nullable: true,
    description: 'Where the override applies; {} = all rates.',
  })
  @DimensionValues()
  dimensions?: Record<string, string> | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Null keeps the catalog rates; >= 0, at most 12 decimal places.',
  })
  @FitsDecimal(RATE_RULE)
  overrideRate?: Decimal | null;
}

@InputType('DraftFlatFeeInput')
export class DraftFlatFeeInput {
  @Field(() => ID, { nullable: true }) pricingId?: string | null;
  @Field() @Matches(NOT_BLANK, { message: 'is required' }) @MaxLength(200) description!: string;
  @Field(() => DecimalScalar, { description: '> 0, at most 9 decimal places.' })
  @FitsDecimal(POSITIVE_QUANTITY_RULE)
  quantity!: Decimal;
  @Field(() => DecimalScalar, { description: '>= 0, at most 12 decimal places.' })
  @FitsDecimal(RATE_RULE)
  unitPrice!: Decimal;
  @Field(() => String, { nullable: true })
  @IsCalendarDate()
  serviceDate?: string | null;
}

@InputType('DraftPrepaidCreditsInput')
export class DraftPrepaidCreditsInput {
  @Field(() => DecimalScalar, {
    description: '> 0, at most 3 decimal places and 12 digits before the point.',
  })
  @FitsDecimal(CREDIT_AMOUNT_RULE)
  grantAmount!: Decimal;
  @Field(() => DecimalScalar, {
    description: '>= 0, at most 3 decimal places and 12 digits before the point.',
  })
  @FitsDecimal({ ...CREDIT_AMOUNT_RULE, min: 'zero' })
  invoiceAmount!: Decimal;
  @Field(() => String, { nullable: true })
  @IsCalendarDate()
  expiresOn?: string | null;
}

/** Every term of a draft. On update, an omitted field is unchanged and null clears it. */
@InputType('ContractDraftInput')
export class ContractDraftInput {
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => DraftProposedCustomerInput, { nullable: true })
  @ValidateNested()
  proposedCustomer?: DraftProposedCustomerInput | null;
  @Field(() => String, { nullable: true })
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code' })
  currency?: string | null;
  @Field(() => String, { nullable: true })
  @IsCalendarDate()
  contractStart?: string | null;
  @Field(() => String, { nullable: true })
  @IsCalendarDate()
  contractEnd?: string | null;
  @Field(() => Int, { nullable: true }) @Min(0) @Max(365) paymentTermsDays?: number | null;
  @Field(() => BillingCycleEnum, { nullable: true }) billingCycle?: BillingCycleEnum | null;
  @Field(() => DraftPlanInput, { nullable: true }) @ValidateNested() plan?: DraftPlanInput | null;
  @Field(() => [DraftUsagePricingInput], { nullable: true })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  usagePricings?: DraftUsagePricingInput[] | null;
  @Field(() => [DraftFlatFeeInput], { nullable: true })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  flatFees?: DraftFlatFeeInput[] | null;
  @Field(() => DraftPrepaidCreditsInput, { nullable: true })
  @ValidateNested()
  prepaidCredits?: DraftPrepaidCreditsInput | null;
  @Field(() => Boolean, { nullable: true, description: 'Drops the deal lines no product mapping matched.' })
  dismissUnmatchedLineItems?: boolean | null;
  // Terms left null are the plan's (paymentTermsDays and billingCycle too); an end date left null = evergreen.
  @Field(() => Boolean, { nullable: true, description: "Null = the plan's auto-pay." })
  autoPay?: boolean | null;
}
