import { ArrayMaxSize, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { BillingCycleEnum } from '../plan/plan.types';
import { DecimalScalar, JSONObjectScalar } from '../scalars';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

@InputType('DraftProposedCustomerInput')
export class DraftProposedCustomerInput {
  @Field() @MaxLength(200) name!: string;
  @Field(() => String, { nullable: true }) @MaxLength(320) email?: string | null;
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
  @Field() @MaxLength(200) description!: string;
  @Field(() => DecimalScalar) quantity!: Decimal;
  @Field(() => DecimalScalar) unitPrice!: Decimal;
  @Field(() => String, { nullable: true })
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  serviceDate?: string | null;
}

@InputType('DraftPrepaidCreditsInput')
export class DraftPrepaidCreditsInput {
  @Field(() => DecimalScalar) grantAmount!: Decimal;
  @Field(() => DecimalScalar) invoiceAmount!: Decimal;
  @Field(() => String, { nullable: true })
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
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
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  contractStart?: string | null;
  @Field(() => String, { nullable: true })
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
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
