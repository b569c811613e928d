import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { Connection } from '../pagination';
import { DecimalScalar } from '../scalars';

export enum BillingCycleEnum {
  WEEKLY = 'WEEKLY',
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
  SEMIANNUAL = 'SEMIANNUAL',
  ANNUAL = 'ANNUAL',
}
registerEnumType(BillingCycleEnum, {
  name: 'BillingCycle',
  valuesConfig: {
    WEEKLY: { description: 'Periods of 7 days from the start date.' },
    SEMIANNUAL: { description: 'Periods of 6 months from the start date.' },
  },
});

export enum BillingAlignmentEnum {
  ANNIVERSARY = 'ANNIVERSARY',
  CALENDAR = 'CALENDAR',
}
registerEnumType(BillingAlignmentEnum, {
  name: 'BillingAlignment',
  valuesConfig: {
    ANNIVERSARY: { description: 'Periods count from the start date (Mar 17 → Apr 17 → …).' },
    CALENDAR: {
      description:
        'Periods follow the calendar (months from the 1st, quarters, half-years, years; weeks from Monday) ' +
        'after a first stub from the start date, prorated over its calendar period.',
    },
  },
});

@ObjectType('PlanItem', { description: 'A pricing bundled into a plan.' })
export class PlanItem {
  @Field(() => ID) id!: string;
  @Field(() => DecimalScalar, { description: 'Multiplies a flat fee (e.g. seats); 1 for usage pricings.' })
  quantity!: Decimal;
}

@ObjectType('Plan', { description: 'A bundle of usage pricings and flat fees with default billing terms.' })
export class Plan {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field({ description: 'ISO 4217 code, e.g. USD.' }) currency!: string;
  @Field(() => Int, { description: 'Days from invoice to due date; 0 is due on receipt.' })
  netTermsDays!: number;
  @Field() autoPay!: boolean;
  @Field(() => BillingCycleEnum, { description: 'Default cycle; contracts may override it.' })
  billingCycle!: BillingCycleEnum;
  @Field({ description: 'Offered in the self-serve catalog.' }) isPublic!: boolean;
  @Field(() => Date) createdAt!: Date;
}

export const PlanConnection = Connection(Plan, 'Plan');
