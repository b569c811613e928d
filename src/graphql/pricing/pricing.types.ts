import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { Connection } from '../pagination';
import { DecimalScalar } from '../scalars';

export enum PricingKindEnum {
  USAGE = 'USAGE',
  FLAT_FEE = 'FLAT_FEE',
}
registerEnumType(PricingKindEnum, {
  name: 'PricingKind',
  valuesConfig: {
    USAGE: { description: "Priced from a meter's usage (model, unitSize, rates)." },
    FLAT_FEE: { description: 'A fixed amount every billing period (flatAmount).' },
  },
});

export enum PricingModelEnum {
  PER_UNIT = 'PER_UNIT',
  GRADUATED = 'GRADUATED',
  VOLUME = 'VOLUME',
  PACKAGE = 'PACKAGE',
  TIERED_PACKAGE = 'TIERED_PACKAGE',
  PERCENTAGE = 'PERCENTAGE',
}
registerEnumType(PricingModelEnum, {
  name: 'PricingModel',
  valuesConfig: {
    PER_UNIT: { description: 'quantity / unitSize × rate.' },
    GRADUATED: { description: 'Each tier prices the units that fall in it.' },
    VOLUME: { description: 'The tier the total quantity reaches prices all units.' },
    PACKAGE: { description: 'Packages of unitSize units, rounded up, × rate per package.' },
    TIERED_PACKAGE: {
      description:
        "Graduated tiers of packages: each tier's units in started packages of its packageSize at its unitAmount.",
    },
    PERCENTAGE: {
      description:
        'A percentage of the amount a SUM meter adds up (percent, or graduated percentage tiers), plus ' +
        'feePerTransaction per event.',
    },
  },
});

export enum TierScopeEnum {
  TOTAL = 'TOTAL',
  PER_GROUP = 'PER_GROUP',
}
registerEnumType(TierScopeEnum, {
  name: 'TierScope',
  description: 'What the tiers (or packages, or percentage) of a pricing other than PER_UNIT apply to.',
  valuesConfig: {
    TOTAL: { description: "The item's total quantity across dimension combinations: one line." },
    PER_GROUP: {
      description:
        'Each dimension combination on its own (its own ladder and free units): one line per group.',
    },
  },
});

@ObjectType('PricingTier')
export class PricingTier {
  @Field(() => DecimalScalar, { nullable: true, description: 'Inclusive upper bound; null is open-ended.' })
  upTo!: Decimal | null;
  @Field(() => DecimalScalar) unitAmount!: Decimal;
  @Field(() => DecimalScalar) flatAmount!: Decimal;
  @Field(() => DecimalScalar, { nullable: true, description: 'TIERED_PACKAGE tiers: the package size.' })
  packageSize!: Decimal | null;
}

@ObjectType('Pricing', {
  description:
    "How a meter's usage is priced (kind USAGE), or a flat fee per billing period (kind FLAT_FEE).",
})
export class Pricing {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => PricingKindEnum) kind!: PricingKindEnum;
  @Field(() => PricingModelEnum, { nullable: true, description: 'Null for flat fees.' })
  model!: PricingModelEnum | null;
  @Field(() => DecimalScalar, {
    description: 'Rates are per this many units, e.g. 1000 for "per 1K tokens".',
  })
  unitSize!: Decimal;
  @Field(() => DecimalScalar, { nullable: true, description: 'Rate for usage no rate card entry matches.' })
  fallbackRate!: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'Amount per billing period (flat fees).' })
  flatAmount!: Decimal | null;
  @Field({
    description:
      "GRADUATED only: a period with zero usage bills the first tier's flat amount (else nothing).",
  })
  billFirstTierFlatAtZeroUsage!: boolean;
  @Field(() => DecimalScalar, { nullable: true, description: 'Per-period minimum of each line.' })
  minimumAmount!: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'Per-period cap of each line.' })
  maximumAmount!: Decimal | null;
  @Field(() => DecimalScalar, { description: 'Units free in each billing period (0 for none).' })
  freeUnits!: Decimal;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'PERCENTAGE: the percentage (null with tiers).',
  })
  percent!: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'PERCENTAGE: the fee per transaction.' })
  feePerTransaction!: Decimal | null;
  @Field(() => TierScopeEnum) tierScope!: TierScopeEnum;
  @Field(() => Date) createdAt!: Date;
}

export const PricingConnection = Connection(Pricing, 'Pricing');
