import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import type { ContractAmendmentEntity } from '../../entities/contract-amendment.entity';
import type { ContractEntity } from '../../entities/contract.entity';
import type { CustomerEntity } from '../../entities/customer.entity';
import { Contract } from '../contract/contract.types';
import { CreditGrant } from '../credit/credit.types';
import { Customer } from '../customer/customer.types';
import { BillingCycleEnum } from '../plan/plan.types';
import { PricingKindEnum, PricingModelEnum, TierScopeEnum } from '../pricing/pricing.types';
import { DecimalScalar, JSONObjectScalar } from '../scalars';

export enum ChangeTimingEnum {
  IMMEDIATE = 'IMMEDIATE',
  END_OF_PERIOD = 'END_OF_PERIOD',
  ON_DATE = 'ON_DATE',
}
registerEnumType(ChangeTimingEnum, {
  name: 'ChangeTiming',
  valuesConfig: {
    IMMEDIATE: { description: "Now (or the contract's start when it has not started yet)." },
    END_OF_PERIOD: { description: 'At the end of the current billing period (the next period boundary).' },
    ON_DATE: {
      description:
        'At `date`. For cancelContract, `date` is the last day covered (inclusive, like Contract.endDate).',
    },
  },
});

@ObjectType('CatalogMeter')
export class CatalogMeter {
  @Field() code!: string;
  @Field() displayName!: string;
  @Field(() => [String], { description: 'The dimensions rates may depend on, in order.' })
  groupKeys!: string[];
}

@ObjectType('CatalogTier')
export class CatalogTier {
  @Field(() => DecimalScalar, { nullable: true, description: 'Inclusive upper bound; null is open-ended.' })
  upTo!: Decimal | null;
  @Field(() => DecimalScalar) unitAmount!: Decimal;
  @Field(() => DecimalScalar) flatAmount!: Decimal;
  @Field(() => DecimalScalar, { nullable: true, description: 'TIERED_PACKAGE tiers: the package size.' })
  packageSize!: Decimal | null;
}

@ObjectType('CatalogRate', {
  description: 'A dimensional rate, e.g. {"region": "EU"} → 0.0003 per unitSize.',
})
export class CatalogRate {
  @Field(() => JSONObjectScalar, { description: '{} is the catch-all rate.' }) dimensions!: Record<
    string,
    string
  >;
  @Field(() => DecimalScalar) rate!: Decimal;
  @Field(() => Date) effectiveFrom!: Date;
  @Field(() => Date, { nullable: true }) effectiveTo!: Date | null;
}

@ObjectType('CatalogItem', { description: 'One price of a plan: a flat fee or a usage price on a meter.' })
export class CatalogItem {
  @Field(() => ID, { description: 'The pricing id (addAddOn / changeQuantity take it).' }) pricingId!: string;
  @Field() name!: string;
  @Field(() => PricingKindEnum) kind!: PricingKindEnum;
  @Field(() => PricingModelEnum, { nullable: true }) model!: PricingModelEnum | null;
  @Field(() => DecimalScalar, { description: 'Seats included (flat fees); 1 for usage.' }) quantity!: Decimal;
  @Field(() => DecimalScalar, { nullable: true, description: 'Per billing period (flat fees).' })
  flatAmount!: Decimal | null;
  @Field(() => DecimalScalar, { description: 'Rates are per this many units.' }) unitSize!: Decimal;
  @Field(() => DecimalScalar, { nullable: true, description: 'The rate when no dimensional rate matches.' })
  fallbackRate!: Decimal | null;
  @Field(() => [CatalogTier], {
    description: 'GRADUATED / VOLUME / TIERED_PACKAGE tiers; PERCENTAGE tiers are percentages.',
  })
  tiers!: CatalogTier[];
  @Field(() => DecimalScalar, { description: 'Units free in each billing period (0 for none).' })
  freeUnits!: Decimal;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'PERCENTAGE: the percentage (null with tiers).',
  })
  percent!: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'PERCENTAGE: the fee per transaction.' })
  feePerTransaction!: Decimal | null;
  @Field(() => TierScopeEnum, { description: 'What the tiers apply to: the total, or each group.' })
  tierScope!: TierScopeEnum;
  @Field(() => CatalogMeter, { nullable: true }) meter!: CatalogMeter | null;
  @Field(() => [CatalogRate], { description: 'Dimensional rates in effect now or later.' })
  rates!: CatalogRate[];
}

@ObjectType('CatalogPlan', { description: 'A public plan as a pricing page shows it.' })
export class CatalogPlan {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field() currency!: string;
  @Field(() => BillingCycleEnum) billingCycle!: BillingCycleEnum;
  @Field(() => Int) netTermsDays!: number;
  @Field(() => [CatalogItem]) items!: CatalogItem[];
}

@ObjectType('ContractAmendment', { description: "One entry of a contract's history." })
export class ContractAmendment {
  @Field(() => ID) id!: string;
  @Field({
    description:
      'CREATED, PLAN_CHANGED, ADD_ON_ADDED, ADD_ON_REMOVED, QUANTITY_CHANGED, BILLING_CYCLE_CHANGED, CANCELLED, ' +
      'AUTO_RENEW_ENABLED, AUTO_RENEW_DISABLED, RENEWED, RENEWAL_NOTICE_CHANGED, EXPANSION_REQUESTED, EXPANDED (ended for the negotiated ' +
      'contract of an expansion), CONTRACTION_SCHEDULED, CONTRACTION_CANCELLED',
  })
  kind!: string;
  @Field({ description: 'API (an API key), SELF_SERVE (a customer token), SALESFORCE_DRAFT or SYSTEM.' })
  source!: string;
  @Field({ description: 'Who: the API key id, the customer id of a portal token, or system:<worker>.' })
  actor!: string;
  @Field(() => Date, { description: 'When the change takes (or took) effect.' }) effectiveAt!: Date;
  @Field(() => JSONObjectScalar, { description: 'What changed (plans, quantities, dates…).' })
  details!: Record<string, unknown>;
  @Field(() => Date, { description: 'When it was recorded.' }) createdAt!: Date;
}

@ObjectType('ContractChangeResult')
export class ContractChangeResult {
  @Field(() => Contract) contract!: ContractEntity;
  @Field(() => ContractAmendment) amendment!: ContractAmendmentEntity;
  @Field({ description: 'True when the idempotency key had been used: the first result, nothing changed.' })
  replayed!: boolean;
}

@ObjectType('ContractCancellation')
export class ContractCancellation {
  @Field(() => Date) requestedAt!: Date;
  @Field(() => Date, {
    nullable: true,
    description: 'The last day covered; null when cancelled before it started.',
  })
  lastDay!: Date | null;
  @Field() source!: string;
}

@ObjectType('SignUpResult')
export class SignUpResult {
  @Field(() => Customer) customer!: CustomerEntity;
  @Field(() => Contract) contract!: ContractEntity;
  @Field(() => CreditGrant, { nullable: true }) promotionalCreditGrant!: CreditGrant | null;
  @Field({ description: 'True when the idempotency key had been used: the first result, nothing created.' })
  replayed!: boolean;
}
