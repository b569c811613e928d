import { IsEmail, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { DecimalScalar } from '../scalars';

@InputType('AccountContactInput')
export class AccountContactInput {
  @Field() @MaxLength(200) name!: string;
  @Field(() => String, { nullable: true }) @IsEmail({}, { message: 'must be a valid email address' }) email?:
    string | null;
  @Field(() => String, { nullable: true }) @MaxLength(40) phone?: string | null;
}

@InputType('UpdateAccountContactsInput', {
  description: 'Fields left out stay as they are; null clears a contact.',
})
export class UpdateAccountContactsInput {
  @Field(() => AccountContactInput, { nullable: true }) accountManager?: AccountContactInput | null;
  @Field(() => AccountContactInput, { nullable: true }) supportContact?: AccountContactInput | null;
}

@InputType('PayInvoiceInput')
export class PayInvoiceInput {
  @Field(() => DecimalScalar, {
    description: 'In the invoice currency; partial payments allowed, overpayment not.',
  })
  amount!: Decimal;
  @Field({ description: 'Your reference for the payment; repeating it returns the first payment.' })
  @MaxLength(200)
  reference!: string;
}
