import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { Connection } from '../pagination';
import { BillingAlignmentEnum, BillingCycleEnum } from '../plan/plan.types';
import { DecimalScalar, JSONObjectScalar } from '../scalars';

export enum ContractStatusEnum {
  ACTIVE = 'ACTIVE',
  ENDED = 'ENDED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ContractStatusEnum, {
  name: 'ContractStatus',
  valuesConfig: {
    ACTIVE: { description: 'Not cancelled and not past its end date (it may start in the future).' },
    ENDED: { description: 'Its last day has passed.' },
    CANCELLED: { description: 'Cancelled before its end.' },
  },
});

@ObjectType('ContractRateOverride', {
  description: "A contract's own rate for a meter's dimension combination.",
})
export class ContractRateOverride {
  @Field(() => ID) id!: string;
  @Field() meterCode!: string;
  @Field(() => JSONObjectScalar, { description: '{} overrides every combination of the meter.' })
  dimensions!: Record<string, string>;
  @Field(() => DecimalScalar) rate!: Decimal;
}

@ObjectType('ContractItem', {
  description:
    'A pricing the contract charges over [startsAt, endsAt) (endsAt null: until the contract ends).',
})
export class ContractItem {
  @Field(() => ID) id!: string;
  @Field(() => DecimalScalar, { description: 'Seats for flat fees; 1 for usage pricings.' })
  quantity!: Decimal;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date, { nullable: true }) endsAt!: Date | null;
}

@ObjectType('ContractOneTimeCharge', {
  description:
    'A charge billed once, in full, as a ONE_TIME line on the period invoice holding its chargeDate (covered by credits like any fee).',
})
export class ContractOneTimeCharge {
  @Field(() => ID) id!: string;
  @Field() description!: string;
  @Field(() => DecimalScalar, { description: 'Unit price.' }) amount!: Decimal;
  @Field(() => DecimalScalar) quantity!: Decimal;
  @Field(() => Date) chargeDate!: Date;
}

@ObjectType('Contract', { description: "A customer's subscription to a plan, with its own terms and rates." })
export class Contract {
  @Field(() => ID) id!: string;
  @Field(() => ContractStatusEnum) status!: ContractStatusEnum;
  @Field({ description: "ISO 4217 code (the plan's)." }) currency!: string;
  @Field(() => Date, {
    description:
      'When service starts: 00:00 UTC of the first day covered, or the later instant it was created with.',
  })
  startDate!: Date;
  @Field(() => Date, {
    nullable: true,
    description:
      'The last day covered, inclusive (00:00 UTC of that day); null for an evergreen contract. Unlike an ' +
      "invoice's periodEnd (exclusive): the contract's last period ends at 00:00 UTC the day after.",
  })
  endDate!: Date | null;
  @Field({ description: 'No end date: the contract runs until cancelled.' }) evergreen!: boolean;
  @Field(() => BillingCycleEnum) billingCycle!: BillingCycleEnum;
  @Field(() => BillingAlignmentEnum) billingAlignment!: BillingAlignmentEnum;
  @Field(() => Int, { description: 'Due date = issue date + this many days.' }) paymentTermsDays!: number;
  @Field() autoPay!: boolean;
  @Field(() => JSONObjectScalar, {
    description: 'Fixed dimension values, e.g. {"customer_tier": "enterprise"}.',
  })
  dimensions!: Record<string, string>;
  @Field({ description: 'API, SELF_SERVE or SALESFORCE_DRAFT.' }) source!: string;
  @Field(() => Date) createdAt!: Date;
}

export const ContractConnection = Connection(Contract, 'Contract');
