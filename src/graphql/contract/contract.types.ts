import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { type Money, MoneyScalar } from '../money';
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

export enum CommitmentScopeEnum {
  PERIOD = 'PERIOD',
  CONTRACT_YEAR = 'CONTRACT_YEAR',
  TERM = 'TERM',
}
registerEnumType(CommitmentScopeEnum, {
  name: 'CommitmentScope',
  valuesConfig: {
    PERIOD: { description: "Each billing period; the true-up is on that period's invoice." },
    CONTRACT_YEAR: {
      description:
        "Each twelve months from the start; the true-up is on the invoice of the year's last period.",
    },
    TERM: { description: 'The whole fixed term (postpaid); the true-up is on the last invoice.' },
  },
});

@ObjectType('ContractMinimumCommitment', { description: 'A minimum spend the contract bills a true-up for.' })
export class ContractMinimumCommitment {
  @Field(() => MoneyScalar, { description: "In the contract's currency, with its minor digits." })
  amount!: Money;
  @Field(() => CommitmentScopeEnum) scope!: CommitmentScopeEnum;
  @Field(() => [ID], { nullable: true, description: 'Null: every usage, fee and one-time line counts.' })
  pricingIds!: string[] | null;
  @Field({ description: 'Whether spend paid by credits counts towards the minimum.' }) creditsCount!: boolean;
}

@ObjectType('ContractRollover', {
  description: 'What of the unused prepaid credits moves to a renewed term.',
})
export class ContractRollover {
  @Field(() => DecimalScalar, { nullable: true, description: '0 to 1; null: no fraction (only the cap).' })
  fraction!: Decimal | null;
  @Field(() => MoneyScalar, { nullable: true, description: "In the contract's currency; null: no cap." })
  cap!: Money | null;
}

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
