import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { type Money, MoneyScalar } from '../money';
import { Connection } from '../pagination';
import { BillingCycleEnum } from '../plan/plan.types';
import { DecimalScalar, JSONObjectScalar } from '../scalars';

export enum ContractDraftStatusEnum {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
  VOID = 'VOID',
}
registerEnumType(ContractDraftStatusEnum, {
  name: 'ContractDraftStatus',
  description: 'VOID: the deal is no longer won in Salesforce (or was deleted).',
});

export enum ContractDraftSourceEnum {
  SALESFORCE = 'SALESFORCE',
  MANUAL = 'MANUAL',
  DOCUMENT = 'DOCUMENT',
}
registerEnumType(ContractDraftSourceEnum, { name: 'ContractDraftSource' });

@ObjectType('DraftCustomer')
export class DraftCustomer {
  @Field(() => ID, { nullable: true, description: 'The existing customer the contract will belong to.' })
  matchedCustomerId!: string | null;
  @Field(() => String, { nullable: true }) salesforceAccountId!: string | null;
  @Field(() => String, { nullable: true, description: 'A new customer to create when none matched.' })
  proposedName!: string | null;
  @Field(() => String, { nullable: true }) proposedEmail!: string | null;
  @Field(() => String, { nullable: true }) proposedAddress!: string | null;
  @Field(() => String, { nullable: true }) proposedWebsite!: string | null;
}

@ObjectType('DraftPlan')
export class DraftPlan {
  @Field(() => ID) planId!: string;
  @Field(() => DecimalScalar, { nullable: true }) quantity!: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true }) unitPrice!: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true }) listPrice!: Decimal | null;
}

@ObjectType('DraftRateOverride', {
  description: 'A negotiated rate replacing the catalog rate for its dimensions.',
})
export class DraftRateOverride {
  @Field(() => ID) pricingId!: string;
  @Field(() => JSONObjectScalar, { description: '{} = every rate of the pricing.' }) dimensions!: Record<
    string,
    string
  >;
  @Field(() => DecimalScalar) rate!: Decimal;
  @Field(() => DecimalScalar, { nullable: true }) listRate!: Decimal | null;
}

@ObjectType('DraftDimensionalRate')
export class DraftDimensionalRate {
  @Field(() => JSONObjectScalar, { description: '{} is the catch-all.' }) dimensions!: Record<string, string>;
  @Field(() => DecimalScalar, { description: 'The rate this customer will be charged.' }) rate!: Decimal;
  @Field(() => DecimalScalar, { nullable: true, description: 'The rate card or fallback rate.' })
  catalogRate!: Decimal | null;
  @Field({ description: 'True when a draft override replaces the catalog rate.' }) overridden!: boolean;
}

@ObjectType('DraftPricing', { description: 'A matched usage pricing with all its dimensional rates.' })
export class DraftPricing {
  @Field(() => ID) pricingId!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) meterCode!: string | null;
  @Field({ description: 'Included through the plan (else through a product mapping or by hand).' })
  fromPlan!: boolean;
  @Field(() => DecimalScalar, { nullable: true }) fallbackRate!: Decimal | null;
  @Field(() => [DraftDimensionalRate]) rates!: DraftDimensionalRate[];
}

@ObjectType('DraftFlatFee')
export class DraftFlatFee {
  @Field(() => ID, { nullable: true }) pricingId!: string | null;
  @Field() description!: string;
  @Field(() => DecimalScalar) quantity!: Decimal;
  @Field(() => DecimalScalar) unitPrice!: Decimal;
  @Field(() => DecimalScalar, { nullable: true }) listPrice!: Decimal | null;
  @Field(() => String, { nullable: true }) serviceDate!: string | null;
}

@ObjectType('DraftPrepaidCredits')
export class DraftPrepaidCredits {
  @Field(() => MoneyScalar, {
    description:
      "Credit granted to the customer, in the draft's currency (2 decimal places while it has none).",
  })
  grantAmount!: Money;
  @Field(() => MoneyScalar, {
    description:
      "Invoiced for the credits (commitment invoice), in the draft's currency (2 decimal places while it has none).",
  })
  invoiceAmount!: Money;
  @Field(() => String, { nullable: true }) expiresOn!: string | null;
}

@ObjectType('DraftUnmatchedLineItem', { description: 'A deal line no product mapping matched.' })
export class DraftUnmatchedLineItem {
  @Field(() => String, { nullable: true }) lineItemId!: string | null;
  @Field(() => String, { nullable: true }) productCode!: string | null;
  @Field(() => String, { nullable: true }) productName!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) quantity!: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true }) unitPrice!: Decimal | null;
}

@ObjectType('DraftIssue', {
  description:
    'Something missing or unmatched, or worth knowing before confirming (how each fee will be billed); ' +
    'blocking issues prevent confirmation.',
})
export class DraftIssue {
  @Field() code!: string;
  @Field() field!: string;
  @Field() message!: string;
  @Field() blocking!: boolean;
}

@ObjectType('DraftChange', { description: 'One term changed by the last Salesforce sync.' })
export class DraftChange {
  @Field() field!: string;
  @Field(() => String, { nullable: true }) before!: string | null;
  @Field(() => String, { nullable: true }) after!: string | null;
}

@ObjectType('ContractDraft', {
  description: 'Contract Extraction: a deal’s terms for ops to review, edit, and confirm or reject.',
})
export class ContractDraft {
  @Field(() => ID) id!: string;
  @Field(() => ContractDraftSourceEnum) source!: ContractDraftSourceEnum;
  @Field(() => ContractDraftStatusEnum) status!: ContractDraftStatusEnum;
  @Field(() => String, { nullable: true }) opportunityId!: string | null;
  @Field(() => String, { nullable: true }) opportunityName!: string | null;
  @Field(() => String, { nullable: true }) closeDate!: string | null;
  @Field(() => MoneyScalar, {
    nullable: true,
    description: "The deal's amount, in the draft's currency (2 decimal places while it has none).",
  })
  amount!: Money | null;
  @Field({ description: 'A change to the deal of an already confirmed draft, to review separately.' })
  isReviewItem!: boolean;
  @Field(() => ID, { nullable: true }) parentDraftId!: string | null;
  @Field(() => DraftCustomer) customer!: DraftCustomer;
  @Field(() => String, { nullable: true }) currency!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) contractStart!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'YYYY-MM-DD, the last day covered (inclusive); null = evergreen.',
  })
  contractEnd!: string | null;
  @Field({ description: 'No end date: the contract will run until cancelled.' }) evergreen!: boolean;
  @Field(() => Int, {
    nullable: true,
    description: "As the source states it; null = the plan's (an issue says which terms come from the plan).",
  })
  paymentTermsDays!: number | null;
  @Field(() => BillingCycleEnum, {
    nullable: true,
    description: "As the source states it; null = the plan's.",
  })
  billingCycle!: BillingCycleEnum | null;
  @Field(() => Boolean, { nullable: true, description: "As the source states it; null = the plan's." })
  autoPay!: boolean | null;
  @Field(() => DraftPlan, { nullable: true }) plan!: DraftPlan | null;
  @Field(() => [DraftRateOverride]) rateOverrides!: DraftRateOverride[];
  @Field(() => [DraftFlatFee]) flatFees!: DraftFlatFee[];
  @Field(() => DraftPrepaidCredits, { nullable: true }) prepaidCredits!: DraftPrepaidCredits | null;
  @Field(() => [DraftUnmatchedLineItem]) unmatchedLineItems!: DraftUnmatchedLineItem[];
  @Field(() => [DraftIssue]) issues!: DraftIssue[];
  @Field(() => [DraftChange], { description: 'What the last Salesforce sync changed.' })
  changes!: DraftChange[];
  @Field(() => String, { nullable: true }) rejectReason!: string | null;
  @Field(() => ID, { nullable: true }) confirmedContractId!: string | null;
  @Field(() => ID, { nullable: true }) confirmedCustomerId!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

export const ContractDraftConnection = Connection(ContractDraft, 'ContractDraft');
