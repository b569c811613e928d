import { Field, ID, InputType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { BillingCycleEnum } from '../plan/plan.types';
import { DecimalScalar } from '../scalars';
import { SignUpCustomerInput, PromotionalCreditsInput } from './self-serve.inputs';
import { ChangeTimingEnum } from './self-serve.types';

// One input per change kind, mirroring the arguments (and defaults) of the mutation that applies it.

@InputType('PlanChangeInput', { description: 'changePlan’s arguments.' })
export class PlanChangeInput {
  @Field(() => ID) planId!: string;
  @Field(() => ChangeTimingEnum, { defaultValue: ChangeTimingEnum.IMMEDIATE }) timing!: ChangeTimingEnum;
  @Field(() => Date, { nullable: true }) date?: Date | null;
}

@InputType('AddOnChangeInput', { description: 'addAddOn’s arguments.' })
export class AddOnChangeInput {
  @Field(() => ID) pricingId!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Seats (flat fees); default 1.' })
  quantity?: Decimal | null;
  @Field(() => ChangeTimingEnum, { defaultValue: ChangeTimingEnum.IMMEDIATE }) timing!: ChangeTimingEnum;
  @Field(() => Date, { nullable: true }) date?: Date | null;
}

@InputType('AddOnRemovalInput', { description: 'removeAddOn’s arguments.' })
export class AddOnRemovalInput {
  @Field(() => ID) pricingId!: string;
  @Field(() => ChangeTimingEnum, { defaultValue: ChangeTimingEnum.IMMEDIATE }) timing!: ChangeTimingEnum;
  @Field(() => Date, { nullable: true }) date?: Date | null;
}

@InputType('QuantityChangeInput', { description: 'changeQuantity’s arguments.' })
export class QuantityChangeInput {
  @Field(() => ID) pricingId!: string;
  @Field(() => DecimalScalar) quantity!: Decimal;
  @Field(() => ChangeTimingEnum, { defaultValue: ChangeTimingEnum.IMMEDIATE }) timing!: ChangeTimingEnum;
  @Field(() => Date, { nullable: true }) date?: Date | null;
}

@InputType('BillingCycleChangeInput', { description: 'changeBillingCycle’s arguments.' })
export class BillingCycleChangeInput {
  @Field(() => BillingCycleEnum) billingCycle!: BillingCycleEnum;
}

@InputType('CancellationInput', { description: 'cancelContract’s arguments.' })
export class CancellationInput {
  @Field(() => ChangeTimingEnum, { defaultValue: ChangeTimingEnum.END_OF_PERIOD }) timing!: ChangeTimingEnum;
  @Field(() => Date, { nullable: true, description: 'ON_DATE: the last day covered.' }) date?: Date | null;
}

@InputType('ContractChangeInput', {
  description: 'The change to preview: exactly one field, named after the mutation that would apply it.',
})
export class ContractChangeInput {
  @Field(() => PlanChangeInput, { nullable: true }) changePlan?: PlanChangeInput | null;
  @Field(() => AddOnChangeInput, { nullable: true }) addAddOn?: AddOnChangeInput | null;
  @Field(() => AddOnRemovalInput, { nullable: true }) removeAddOn?: AddOnRemovalInput | null;
  @Field(() => QuantityChangeInput, { nullable: true }) changeQuantity?: QuantityChangeInput | null;
  @Field(() => BillingCycleChangeInput, { nullable: true })
  changeBillingCycle?: BillingCycleChangeInput | null;
  @Field(() => CancellationInput, { nullable: true }) cancelContract?: CancellationInput | null;
}

@InputType('SignUpPreviewInput', { description: 'signUp’s input without the idempotency key.' })
export class SignUpPreviewInput {
  @Field(() => SignUpCustomerInput) customer!: SignUpCustomerInput;
  @Field(() => ID) planId!: string;
  @Field(() => Date, { nullable: true }) startDate?: Date | null;
  @Field(() => BillingCycleEnum, { nullable: true }) billingCycle?: BillingCycleEnum | null;
  @Field(() => PromotionalCreditsInput, { nullable: true })
  promotionalCredits?: PromotionalCreditsInput | null;
}
