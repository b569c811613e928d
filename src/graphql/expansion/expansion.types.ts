import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DraftIssue } from '../contract-draft/contract-draft.types';

@ObjectType('ExpansionRequest', {
  description:
    'A self-serve customer asked to talk to sales about a contract; pushed to Salesforce as an Opportunity.',
})
export class ExpansionRequest {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'The self-serve contract the customer wants to expand.' })
  contractId!: string;
  @Field(() => ID) customerId!: string;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field({
    description:
      'OPEN until the won deal for it is confirmed (CONFIRMED), or its Opportunity is lost or deleted ' +
      '(CLOSED_LOST: the customer may ask again).',
  })
  status!: string;
  @Field(() => String, {
    nullable: true,
    description: "The Opportunity's Salesforce Id, once the outbox has pushed it.",
  })
  opportunityId!: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'The negotiated contract that replaced the self-serve one.',
  })
  newContractId!: string | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('DraftExpansion', {
  description:
    "The draft's deal is the Opportunity of a self-serve customer's expansion request: confirming it ends " +
    'that self-serve contract at the new start.',
})
export class DraftExpansion {
  @Field(() => ID) requestId!: string;
  @Field(() => ID, { description: 'The self-serve contract the confirmed contract replaces.' })
  contractId!: string;
  @Field(() => ID) customerId!: string;
  @Field() customerName!: string;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => [DraftIssue], {
    description:
      'What confirming would refuse about this expansion, naming draft fields (customer, contractStart); ' +
      'blocking ones must be fixed on the draft first.',
  })
  issues!: DraftIssue[];
}

@ObjectType('SalesforceExpansionSettings', {
  description: 'The stage and record type of the Opportunities Tally creates for expansion requests.',
})
export class SalesforceExpansionSettings {
  @Field() stageName!: string;
  @Field(() => String, { nullable: true, description: "Null: the integration user's default record type." })
  recordTypeId!: string | null;
}

export enum ContractionEffectiveEnum {
  END_OF_TERM = 'END_OF_TERM',
}
registerEnumType(ContractionEffectiveEnum, {
  name: 'ContractionEffective',
  description: 'END_OF_TERM: the day after the sales-led contract’s last day.',
});

@ObjectType('ScheduledContraction', {
  description:
    'A sales-led contract moving onto a self-serve plan at the end of its term. The self-serve contract ' +
    'exists from scheduling (starting at effectiveAt); cancelling the contraction cancels it outright.',
})
export class ScheduledContraction {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'The sales-led contract.' }) contractId!: string;
  @Field(() => ID, { description: 'The self-serve plan.' }) planId!: string;
  @Field(() => ID, { description: 'The self-serve contract that starts at effectiveAt.' })
  newContractId!: string;
  @Field(() => Date, { description: 'The sales-led contract’s end (exclusive): the self-serve start.' })
  effectiveAt!: Date;
  @Field({ description: 'SCHEDULED or CANCELLED.' }) status!: string;
  @Field(() => Date) createdAt!: Date;
}
