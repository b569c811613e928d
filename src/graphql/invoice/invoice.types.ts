import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import type { InvoiceLineView } from '../../services/invoicing';
import { type Money, money, MoneyScalar, preciseMoney } from '../money';
import { Connection } from '../pagination';
import { DecimalScalar, JSONObjectScalar } from '../scalars';

export enum InvoiceStatusEnum {
  DRAFT = 'DRAFT',
  FINALIZED = 'FINALIZED',
  PAID = 'PAID',
  VOID = 'VOID',
}
registerEnumType(InvoiceStatusEnum, {
  name: 'InvoiceStatus',
  valuesConfig: {
    DRAFT: { description: 'Pre-generated for its period; amounts are computed live from usage.' },
    FINALIZED: { description: 'Numbered and frozen: it never changes again.' },
    PAID: { description: 'Finalized and paid.' },
    VOID: { description: 'Cancelled; it is owed no more.' },
  },
});

export enum RateSourceEnum {
  OVERRIDE = 'OVERRIDE',
  RATE_CARD = 'RATE_CARD',
  FALLBACK = 'FALLBACK',
}
registerEnumType(RateSourceEnum, {
  name: 'RateSource',
  valuesConfig: {
    OVERRIDE: { description: "The contract's rate override." },
    RATE_CARD: { description: 'The rate card entry in effect for the usage.' },
    FALLBACK: { description: "The pricing's fallback rate (no override or entry matched)." },
  },
});

export enum InvoiceLineKindEnum {
  USAGE = 'USAGE',
  FLAT_FEE = 'FLAT_FEE',
  ONE_TIME = 'ONE_TIME',
  COMMITMENT = 'COMMITMENT',
  MINIMUM_TRUE_UP = 'MINIMUM_TRUE_UP',
}
registerEnumType(InvoiceLineKindEnum, {
  name: 'InvoiceLineKind',
  valuesConfig: {
    USAGE: { description: 'Usage of a meter, per dimension combination and rate version.' },
    FLAT_FEE: { description: 'A recurring fee of the contract, prorated by days for partial periods.' },
    ONE_TIME: {
      description: "A contract's one-time charge, billed in full on the period holding its charge date.",
    },
    COMMITMENT: { description: 'Prepaid credits invoiced (commitment invoices only).' },
    MINIMUM_TRUE_UP: {
      description:
        "The shortfall of the contract's minimum commitment, on the invoice closing its period, year or term " +
        '(never covered by credits).',
    },
  },
});

export enum LineBoundEnum {
  MINIMUM = 'MINIMUM',
  MAXIMUM = 'MAXIMUM',
}
registerEnumType(LineBoundEnum, {
  name: 'LineBound',
  valuesConfig: {
    MINIMUM: { description: "Raised to its pricing's (prorated) per-period minimumAmount." },
    MAXIMUM: { description: "Lowered to its pricing's (prorated) per-period maximumAmount." },
  },
});

@ObjectType('InvoiceLine', {
  description:
    'One charge: a pricing × dimension combination × rate version, a (prorated) flat fee, or a one-time charge.',
})
export class InvoiceLine {
  @Field(() => ID, {
    nullable: true,
    description: 'The frozen line (what a credit note names); null while the invoice is a draft.',
  })
  id!: string | null;
  @Field(() => Int) position!: number;
  @Field(() => InvoiceLineKindEnum) kind!: InvoiceLineKindEnum;
  @Field({ description: 'e.g. "AI Calls - US / resolved" or "Platform fee (16 of 92 days)".' })
  description!: string;
  @Field(() => String, { nullable: true }) meterCode!: string | null;
  @Field(() => JSONObjectScalar, {
    nullable: true,
    description: 'The dimension values priced (contract dimensions applied); null for flat fees and tiers.',
  })
  dimensions!: Record<string, string> | null;
  @Field(() => DecimalScalar, { description: 'Usage quantity, or seats for a flat fee.' }) quantity!: Decimal;
  @Field(() => DecimalScalar, { nullable: true, description: 'Per unitSize units; the fee for a flat fee.' })
  rate!: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true }) unitSize!: Decimal | null;
  @Field(() => RateSourceEnum, { nullable: true, description: 'Where the rate came from (usage lines).' })
  rateSource!: RateSourceEnum | null;
  @Field(() => MoneyScalar, {
    description: 'Unrounded: always 12 decimal places, whatever the currency (e.g. "2.000000000000").',
  })
  preciseAmount!: Money;
  @Field(() => MoneyScalar, { description: "preciseAmount rounded half-up to the currency's minor unit." })
  amount!: Money;
  @Field(() => MoneyScalar) creditsApplied!: Money;
  @Field(() => LineBoundEnum, {
    nullable: true,
    description: "The pricing bound that set this line's amount; null when none applied.",
  })
  bound!: LineBoundEnum | null;
  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'What the line came to before its bound applied (null without a bound).',
  })
  unboundedAmount!: Money | null;
  @Field(() => Date) serviceFrom!: Date;
  @Field(() => Date, { description: 'Exclusive.' }) serviceTo!: Date;
}

/** A priced line for the wire: its amounts written with the invoice's currency. */
export function toInvoiceLine(line: InvoiceLineView, currency: string): InvoiceLine {
  return {
    ...line,
    id: line.id ?? null,
    kind: line.kind as InvoiceLineKindEnum,
    rateSource: line.rateSource as RateSourceEnum | null,
    preciseAmount: preciseMoney(line.preciseAmount),
    amount: money(line.amount, currency),
    creditsApplied: money(line.creditsApplied, currency),
    bound: (line.bound ?? null) as LineBoundEnum | null,
    unboundedAmount: line.unboundedAmount ? money(line.unboundedAmount, currency) : null,
  };
}

@ObjectType('Invoice', { description: 'The invoice of one billing period of a contract.' })
export class Invoice {
  @Field(() => ID) id!: string;
  @Field(() => String, {
    nullable: true,
    description: 'INV-000001, gap-free per environment; set at finalization.',
  })
  number!: string | null;
  @Field(() => InvoiceStatusEnum) status!: InvoiceStatusEnum;
  @Field() currency!: string;
  @Field(() => Date, { description: 'Inclusive: the first instant of the period.' }) periodStart!: Date;
  @Field(() => Date, {
    description:
      "Exclusive: the first instant after the period. Unlike a contract's endDate (the last day covered, " +
      'inclusive), so the last period of a contract ending on the 15th has periodEnd 00:00 UTC on the 16th; ' +
      'the console and the PDF show the last day covered (the 15th).',
  })
  periodEnd!: Date;
  @Field(() => MoneyScalar, { description: 'Sum of the rounded lines.' }) subtotal!: Money;
  @Field(() => MoneyScalar) creditsApplied!: Money;
  @Field(() => MoneyScalar, {
    nullable: true,
    description:
      "The customer's prepaid and promotional credit balance in the invoice's currency after this invoice's " +
      'credits. DRAFT: recomputed live as usage arrives, the balance creditBalance reports now minus this ' +
      "draft's creditsApplied (other drafts' previews are not subtracted). Finalized (and PAID, or VOID after " +
      'finalization): the balance right after its drawdown, frozen at finalization; a later void gives the ' +
      "credits back to the customer's balance but does not change this value. Null for an invoice that never " +
      'went through a drawdown (a voided draft, a commitment invoice, an invoice finalized before this field ' +
      'existed).',
  })
  creditBalanceRemaining!: Money | null;
  @Field(() => MoneyScalar, { description: 'What the invoice charges: the sum of its rounded lines.' })
  total!: Money;
  @Field(() => MoneyScalar, { description: 'total − balanceApplied − creditsApplied − amountPaid.' })
  amountDue!: Money;
  @Field(() => MoneyScalar) amountPaid!: Money;
  @Field(() => Date, { nullable: true }) issuedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: "issuedAt + the contract's paymentTermsDays." })
  dueDate!: Date | null;
  @Field(() => Date, { nullable: true }) voidedAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
}

export const InvoiceConnection = Connection(Invoice, 'Invoice');
