import { ArrayMaxSize, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { type Money, MoneyScalar } from '../money';
import { Connection } from '../pagination';
import { DecimalScalar } from '../scalars';

export enum CreditNoteRefundEnum {
  BALANCE = 'BALANCE',
  REFUND = 'REFUND',
  NONE = 'NONE',
}
registerEnumType(CreditNoteRefundEnum, {
  name: 'CreditNoteRefund',
  valuesConfig: {
    BALANCE: {
      description: "Credited to the customer's balance, which pays later invoices before prepaid credits.",
    },
    REFUND: { description: 'Paid back to the customer outside Tally (recorded only).' },
    NONE: { description: 'A correction that returns no money.' },
  },
});

@ObjectType('CreditNoteLine', { description: 'What a credit note credits of one invoice line.' })
export class CreditNoteLine {
  @Field(() => ID) id!: string;
  @Field(() => ID) invoiceLineId!: string;
  @Field(() => Int) position!: number;
  @Field() description!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Set when credited by quantity.' })
  quantity!: Decimal | null;
  @Field(() => MoneyScalar) amount!: Money;
}

@ObjectType('CreditNote', {
  description:
    'A correction of a finalized invoice, by line: CN-000001, gap-free per environment; PDF at /v1/credit-notes/<id>.pdf.',
})
export class CreditNote {
  @Field(() => ID) id!: string;
  @Field() number!: string;
  @Field() currency!: string;
  @Field() reason!: string;
  @Field(() => CreditNoteRefundEnum) refund!: CreditNoteRefundEnum;
  @Field(() => Date) createdAt!: Date;
}

export const CreditNoteConnection = Connection(CreditNote, 'CreditNote');

@ObjectType('CustomerBalance', {
  description:
    'Money owed back to the customer in one currency (credit notes refunded to BALANCE, less what invoices used).',
})
export class CustomerBalance {
  @Field() currency!: string;
  @Field(() => MoneyScalar) amount!: Money;
}

@InputType('CreditNoteLineInput')
export class CreditNoteLineInput {
  @Field(() => ID) invoiceLineId!: string;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: "Amount to credit (> 0, the currency's minor digits at most). Give amount or quantity.",
  })
  amount?: Decimal | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "Part of the line's quantity to credit: line amount × quantity / line quantity, rounded half-up.",
  })
  quantity?: Decimal | null;
}

@InputType('CreateCreditNoteInput')
export class CreateCreditNoteInput {
  @Field(() => ID, { description: 'A FINALIZED or PAID invoice.' }) invoiceId!: string;
  @Field(() => [CreditNoteLineInput], {
    description: '1 to 500 lines, each credited at most once per note and never above what is left of it.',
  })
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  lines!: CreditNoteLineInput[];
  @Field() @MaxLength(500) reason!: string;
  @Field(() => CreditNoteRefundEnum) refund!: CreditNoteRefundEnum;
  @Field(() => String, {
    nullable: true,
    description: 'Repeating a key returns the first credit note and credits nothing more.',
  })
  @MaxLength(200)
  idempotencyKey?: string | null;
}
