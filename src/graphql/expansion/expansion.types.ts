import { Field, ID, ObjectType } from 'type-graphql';

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
  @Field({ description: 'OPEN until the won deal for it is confirmed (CONFIRMED).' }) status!: string;
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
}

@ObjectType('SalesforceExpansionSettings', {
  description: 'The stage and record type of the Opportunities Tally creates for expansion requests.',
})
export class SalesforceExpansionSettings {
  @Field() stageName!: string;
  @Field(() => String, { nullable: true, description: "Null: the integration user's default record type." })
  recordTypeId!: string | null;
}
