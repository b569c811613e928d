import { ArrayMaxSize, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { DecimalScalar } from '../scalars';
import { PricingModelEnum, TierScopeEnum } from './pricing.types';

@InputType('PricingTierInput')
export class PricingTierInput {
  @Field(() => DecimalScalar, { nullable: true, description: 'Ascending; null only for the last tier.' })
  upTo?: Decimal | null;
  @Field(() => DecimalScalar) unitAmount!: Decimal;
  @Field(() => DecimalScalar, { nullable: true, description: 'Default 0.' }) flatAmount?: Decimal | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "TIERED_PACKAGE only (required there): the tier's units are sold in packages of this size, each " +
      'started package at unitAmount; a bounded tier holds a whole number of packages.',
  })
  packageSize?: Decimal | null;
}

@InputType('CreatePricingInput')
export class CreatePricingInput {
  @Field() @MaxLength(200) name!: string;
  @Field() meterCode!: string;
  @Field(() => PricingModelEnum) model!: PricingModelEnum;
  @Field(() => DecimalScalar, { nullable: true, description: 'Default 1; must be > 0.' })
  unitSize?: Decimal | null;
  @Field(() => DecimalScalar, { description: 'Rate for usage no rate card entry matches.' })
  fallbackRate!: Decimal;
  @Field(() => ID, { nullable: true, description: 'A rate card on the same meter.' })
  rateCardId?: string | null;
  @Field(() => [PricingTierInput], {
    nullable: true,
    description: 'Required for GRADUATED, VOLUME and TIERED_PACKAGE.',
  })
  @ArrayMaxSize(50)
  tiers?: PricingTierInput[] | null;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      "GRADUATED only: a period with zero usage bills the first tier's flat amount. Default false: zero usage " +
      'reaches no tier and costs nothing.',
  })
  billFirstTierFlatAtZeroUsage?: boolean | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'Per-period spending minimum of each invoice line of this pricing (>= 0), prorated by days like flat ' +
      'fees; an item without usage is billed the minimum. Absent: none.',
  })
  minimumAmount?: Decimal | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'Per-period cap of each invoice line of this pricing (>= minimumAmount), prorated by days. Absent: none.',
  })
  maximumAmount?: Decimal | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'Units free in each billing period (default 0): they come off the quantity before the model prices the ' +
      'rest, e.g. 12 units with 5 free in packages of 10 is one package.',
  })
  freeUnits?: Decimal | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'PERCENTAGE only: the percentage of the summed amount (2.9 = 2.9 %), 0–100. Give either percent or tiers ' +
      "(graduated percentages: each tier's unitAmount is the percentage of the volume in it).",
  })
  percent?: Decimal | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'PERCENTAGE only: a fixed fee per transaction (per event behind the summed amount).',
  })
  feePerTransaction?: Decimal | null;
  @Field(() => TierScopeEnum, {
    nullable: true,
    description:
      'Not PER_UNIT: TOTAL (default) prices the total across dimension combinations on one line; PER_GROUP ' +
      'gives each combination its own ladder (and free units) and line.',
  })
  tierScope?: TierScopeEnum | null;
}

@InputType('CreateFlatFeeInput')
export class CreateFlatFeeInput {
  @Field() @MaxLength(200) name!: string;
  @Field(() => DecimalScalar, { description: 'Charged every billing period.' }) amount!: Decimal;
}
