import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../pagination';

@ObjectType('Customer')
export class Customer {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "The id the customer's own systems use; unique in the environment. Events may address the customer by it.",
  })
  externalId!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The linked Salesforce Account (15 or 18 characters).',
  })
  salesforceAccountId!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

export const CustomerConnection = Connection(Customer, 'Customer');
