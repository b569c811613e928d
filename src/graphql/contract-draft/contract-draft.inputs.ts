import { ArrayMaxSize, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { isIsoDate } from '../../domain/contract-draft';
import { Decimal } from '../../domain/money';
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

/** A decimal amount above `min` (or at least `min` when `inclusive`). */
const IsDecimalAbove = (min: number, inclusive: boolean, message: string) =>
  ValidateBy({
    name: 'isDecimalAbove',
    validator: {
      validate: (value) =>
        Decimal.isDecimal(value) && (inclusive ? (value as Decimal).gte(min) : (value as Decimal).gt(min)),
      defaultMessage: () => message,
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
  @Field(() => DecimalScalar, { nullable: true }) quantity?: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true }) unitPrice?: Decimal | null;
}

@InputType('DraftUsagePricingInput')
export class DraftUsagePricingInput {
  @Field(() => ID) pricingId!: string;
  @Field(() => JSONObjectScalar, {
    nullable: true,
    description: 'Where the override applies; {} = all rates.',
  })
  dimensions?: Record<string, string> | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'Null keeps the catalog rates.' })
  overrideRate?: Decimal | null;
}

@InputType('DraftFlatFeeInput')
export class DraftFlatFeeInput {
  @Field(() => ID, { nullable: true }) pricingId?: string | null;
  @Field() @Matches(NOT_BLANK, { message: 'is required' }) @MaxLength(200) description!: string;
  @Field(() => DecimalScalar) quantity!: Decimal;
  @Field(() => DecimalScalar) unitPrice!: Decimal;
  @Field(() => String, { nullable: true })
  @IsCalendarDate()
  serviceDate?: string | null;
}

@InputType('DraftPrepaidCreditsInput')
export class DraftPrepaidCreditsInput {
  @Field(() => DecimalScalar)
  @IsDecimalAbove(0, false, 'must be positive')
  grantAmount!: Decimal;
  @Field(() => DecimalScalar)
  @IsDecimalAbove(0, true, 'must not be negative')
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
  @Field(() => DraftPlanInput, { nullable: true }) plan?: DraftPlanInput | null;
  @Field(() => [DraftUsagePricingInput], { nullable: true }) @ArrayMaxSize(100) usagePricings?:
    DraftUsagePricingInput[] | null;
  @Field(() => [DraftFlatFeeInput], { nullable: true })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  flatFees?: DraftFlatFeeInput[] | null;
  @Field(() => DraftPrepaidCreditsInput, { nullable: true })
  @ValidateNested()
  prepaidCredits?: DraftPrepaidCreditsInput | null;
  @Field(() => Boolean, { nullable: true, description: 'Drops the deal lines no product mapping matched.' })
  dismissUnmatchedLineItems?: boolean | null;
}
