import { ArrayMaxSize, Matches, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { DecimalScalar } from '../scalars';
import { BillingCycleEnum } from './plan.types';

@InputType('PlanItemInput')
export class PlanItemInput {
  @Field(() => ID, { description: 'A usage pricing or a flat fee.' }) pricingId!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Default 1; flat fees only may take more.' })
  quantity?: Decimal | null;
}

@InputType('CreatePlanInput')
export class CreatePlanInput {
  @Field() @MaxLength(200) name!: string;
  @Field(() => String, { nullable: true }) @MaxLength(1000) description?: string | null;

  @Field({ description: 'ISO 4217, three upper-case letters, e.g. USD.' })
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code in upper case, e.g. USD' })
  currency!: string;

  @Field(() => Int, { nullable: true, description: 'Default 0 (due on receipt).' })
  @Min(0)
  @Max(365)
  netTermsDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Default false.' }) autoPay?: boolean | null;
  @Field(() => BillingCycleEnum, { nullable: true, description: 'Default MONTHLY.' })
  billingCycle?: BillingCycleEnum | null;
  @Field(() => Boolean, { nullable: true, description: 'Default false.' }) isPublic?: boolean | null;

  @Field(() => [PlanItemInput], { description: 'At most one pricing per meter.' })
  @ArrayMaxSize(100)
  items!: PlanItemInput[];
}
