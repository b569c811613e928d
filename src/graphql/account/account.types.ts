import { Field, ID, ObjectType } from 'type-graphql';
import type { InvoiceEntity } from '../../entities/invoice.entity';
import type { PaymentEntity } from '../../entities/payment.entity';
import { Invoice } from '../invoice/invoice.types';
import { type Money, MoneyScalar } from '../money';

@ObjectType('AccountContact')
export class AccountContact {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
}

@ObjectType('AccountContacts', { description: 'Who the customer talks to, for in-app account screens.' })
export class AccountContacts {
  @Field(() => ID) customerId!: string;
  @Field(() => AccountContact, { nullable: true }) accountManager!: AccountContact | null;
  @Field(() => AccountContact, { nullable: true }) supportContact!: AccountContact | null;
  @Field(() => Date, { nullable: true }) updatedAt!: Date | null;
}

@ObjectType('Payment', { description: 'A payment toward a finalized invoice.' })
export class Payment {
  @Field(() => ID) id!: string;
  @Field(() => ID) invoiceId!: string;
  @Field({ description: 'The payment provider, e.g. manual (the built-in one, which records payments).' })
  provider!: string;
  @Field() reference!: string;
  @Field({ description: 'SUCCEEDED, PENDING or FAILED.' }) status!: string;
  @Field() currency!: string;
  @Field(() => MoneyScalar) amount!: Money;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('PaymentResult')
export class PaymentResult {
  @Field(() => Payment) payment!: PaymentEntity;
  @Field(() => Invoice) invoice!: InvoiceEntity;
  @Field({ description: 'True when the reference had been recorded: the first payment, nothing more paid.' })
  replayed!: boolean;
}
