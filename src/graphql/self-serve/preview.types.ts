import { Field, ID, ObjectType } from 'type-graphql';
import type { PreviewedInvoice } from '../../services/previews';
import { InvoiceLine, InvoiceStatusEnum, toInvoiceLine } from '../invoice/invoice.types';
import { type Money, money, MoneyScalar } from '../money';

@ObjectType('InvoicePreview', {
  description:
    'An invoice as a previewed change would leave it: the same periods, lines and amounts the invoice shows ' +
    'once the change is applied at the same instant.',
})
export class InvoicePreview {
  @Field(() => ID, {
    nullable: true,
    description: 'The invoice this is (it exists already); null for an invoice the change would create.',
  })
  invoiceId!: string | null;
  @Field(() => InvoiceStatusEnum) status!: InvoiceStatusEnum;
  @Field() currency!: string;
  @Field(() => Date, { description: 'Inclusive.' }) periodStart!: Date;
  @Field(() => Date, { description: 'Exclusive.' }) periodEnd!: Date;
  @Field(() => [InvoiceLine]) lines!: InvoiceLine[];
  @Field(() => MoneyScalar) subtotal!: Money;
  @Field(() => MoneyScalar) creditsApplied!: Money;
  @Field(() => MoneyScalar) total!: Money;
  @Field(() => MoneyScalar) amountDue!: Money;
}

export function toInvoicePreview({ view, existingId }: PreviewedInvoice): InvoicePreview {
  const { invoice } = view;
  return {
    invoiceId: existingId,
    status: invoice.status as InvoiceStatusEnum,
    currency: invoice.currency,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    lines: view.lines.map((line) => toInvoiceLine(line, invoice.currency)),
    subtotal: money(view.subtotal, invoice.currency),
    creditsApplied: money(view.creditsApplied, invoice.currency),
    total: money(view.total, invoice.currency),
    amountDue: money(view.amountDue, invoice.currency),
  };
}

@ObjectType('ContractChangePreview', {
  description:
    'What a contract change would bill, computed by running it and rolling it back: nothing is written.',
})
export class ContractChangePreview {
  @Field(() => ID) contractId!: string;
  @Field() currency!: string;
  @Field({ description: 'The amendment the change would record: PLAN_CHANGED, CANCELLED…' }) kind!: string;
  @Field(() => Date, { description: 'When the change would take effect.' }) effectiveAt!: Date;
  @Field(() => [InvoicePreview], {
    description:
      'After the change: from the invoice running now (with the prorated parts on each side of the change) ' +
      'through the first invoice starting at or after it (the next regular invoice on the new terms).',
  })
  invoices!: InvoicePreview[];
  @Field(() => [InvoicePreview], {
    description:
      'Without the change, by the same rule: from the invoice running now through the first one starting at ' +
      'or after the change (a cancellation lists the invoices it would void).',
  })
  invoicesBefore!: InvoicePreview[];
  @Field(() => MoneyScalar, { description: 'Sum of the totals of `invoices`.' }) totalAfter!: Money;
  @Field(() => MoneyScalar, { description: 'Sum of the totals of `invoicesBefore`.' }) totalBefore!: Money;
  @Field(() => MoneyScalar, {
    description: 'totalAfter − totalBefore: positive is charged more, negative is the credit for the change.',
  })
  difference!: Money;
}

@ObjectType('SignUpPreview', { description: 'What a sign-up would bill; nothing is written.' })
export class SignUpPreview {
  @Field() currency!: string;
  @Field(() => [InvoicePreview], { description: 'The first invoice and the next regular one.' })
  invoices!: InvoicePreview[];
}
