import { IsEmail, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { BillingCycleEnum } from '../plan/plan.types';
import { DecimalScalar } from '../scalars';

@InputType('SignUpCustomerInput')
export class SignUpCustomerInput {
  @Field() @MaxLength(200) name!: string;
  @Field(() => String, {
    nullable: true,
    description: "Your system's id for the customer (events may use it).",
  })
  @MaxLength(200)
  externalId?: string | null;
  @Field(() => String, { nullable: true })
  @IsEmail({}, { message: 'must be a valid email address' })
  email?: string | null;
}

@InputType('PromotionalCreditsInput')
export class PromotionalCreditsInput {
  @Field(() => DecimalScalar, { description: 'Whole minor units (cents), e.g. 5000 for $50.00.' })
  amountCents!: Decimal;
  @Field(() => String, { nullable: true }) @MaxLength(500) description?: string | null;
  @Field(() => Date, { nullable: true, description: 'Null = until the contract ends.' })
  expiresAt?: Date | null;
}

@InputType('SignUpInput')
export class SignUpInput {
  @Field(() => SignUpCustomerInput) customer!: SignUpCustomerInput;
  @Field(() => ID, { description: 'A public plan (see productCatalog).' }) planId!: string;
  @Field(() => Date, { nullable: true, description: 'The first day covered; default today (UTC).' })
  startDate?: Date | null;
  @Field(() => BillingCycleEnum, { nullable: true, description: "Default: the plan's." })
  billingCycle?: BillingCycleEnum | null;
  @Field(() => PromotionalCreditsInput, { nullable: true })
  promotionalCredits?: PromotionalCreditsInput | null;
  @Field({ description: 'Repeating a key returns the first sign-up and creates nothing.' })
  @MaxLength(200)
  idempotencyKey!: string;
}
