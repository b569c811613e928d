import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { AccountHistoryEntry } from '../../services/account-history';
import { type Money, money, MoneyScalar } from '../money';
import { Connection } from '../pagination';
import { JSONObjectScalar } from '../scalars';

export enum AccountHistoryKindEnum {
  SIGN_UP = 'SIGN_UP',
  CONTRACT = 'CONTRACT',
  CONTRACT_DRAFT = 'CONTRACT_DRAFT',
  INVOICE = 'INVOICE',
  PAYMENT = 'PAYMENT',
  CREDIT = 'CREDIT',
}
registerEnumType(AccountHistoryKindEnum, {
  name: 'AccountHistoryKind',
  valuesConfig: {
    SIGN_UP: { description: 'The customer was created (sign-up or by an operator).' },
    CONTRACT: { description: "A contract's creation and amendments (the contract history)." },
    CONTRACT_DRAFT: {
      description: 'A contract draft (Salesforce deal, document) confirmed into this customer.',
    },
    INVOICE: { description: 'An invoice issued (finalized) or voided.' },
    PAYMENT: { description: 'A payment recorded against an invoice.' },
    CREDIT: { description: 'A credit grant (prepaid, promotional…) or a credit note.' },
  },
});

@ObjectType('AccountHistoryEntry', { description: "One event of a customer's account history." })
export class AccountHistoryEntryType {
  @Field(() => ID, { description: 'Unique in the feed.' }) id!: string;
  @Field(() => AccountHistoryKindEnum) kind!: AccountHistoryKindEnum;
  @Field({
    description:
      'What happened: CUSTOMER_CREATED; an amendment kind (CREATED, PLAN_CHANGED, CANCELLED…); ' +
      'DRAFT_<status>; INVOICE_FINALIZED, INVOICE_VOIDED; PAYMENT_<status>; CREDIT_<grant type>, ' +
      'CREDIT_NOTE_ISSUED.',
  })
  event!: string;
  @Field(() => Date) at!: Date;
  @Field(() => ID, { description: 'The contract, draft, invoice, payment or credit grant it is about.' })
  refId!: string;
  @Field(() => ID, { nullable: true }) contractId!: string | null;
  @Field(() => ID, { nullable: true }) invoiceId!: string | null;
  @Field(() => String, { nullable: true }) currency!: string | null;
  @Field(() => MoneyScalar, { nullable: true, description: 'Invoice total, payment or credit amount.' })
  amount!: Money | null;
  @Field() summary!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Who, when recorded (API key id, customer id, system).',
  })
  actor!: string | null;
  @Field(() => JSONObjectScalar, { nullable: true, description: "An amendment's details." })
  details!: Record<string, unknown> | null;
  /** Not a field: lets the portal guard check that every entry is the token's own customer's. */
  customerId!: string;
}

export const AccountHistoryConnection = Connection(AccountHistoryEntryType, 'AccountHistory');

export function toHistoryEntry(entry: AccountHistoryEntry): AccountHistoryEntryType {
  return {
    ...entry,
    kind: entry.kind as AccountHistoryKindEnum,
    amount: entry.amount && entry.currency ? money(entry.amount, entry.currency) : null,
  };
}
