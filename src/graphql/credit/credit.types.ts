import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { type Decimal, fromMinorUnits } from '../../domain/money';
import type { CreditGrantEntity } from '../../entities/credit-grant.entity';
import type { CreditLedgerEntryEntity } from '../../entities/credit-ledger-entry.entity';
import type { CurrencyBalance, CustomerCreditBalance, GrantBalance } from '../../services/credits';
import { type Money, money, MoneyScalar } from '../money';
import { Connection } from '../pagination';
import { JSONObjectScalar } from '../scalars';

export enum CreditGrantTypeEnum {
  PROMOTIONAL = 'PROMOTIONAL',
  PREPAID = 'PREPAID',
}
registerEnumType(CreditGrantTypeEnum, {
  name: 'CreditGrantType',
  description: 'PROMOTIONAL credits are free; PREPAID credits are paid for (a commitment or a top-up).',
});

export enum CreditGrantStatusEnum {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  VOIDED = 'VOIDED',
}
registerEnumType(CreditGrantStatusEnum, { name: 'CreditGrantStatus' });

export enum CreditLedgerEntryKindEnum {
  GRANT = 'GRANT',
  DEDUCTION = 'DEDUCTION',
  REVERSAL = 'REVERSAL',
  EXPIRY = 'EXPIRY',
  VOID = 'VOID',
  ROLLOVER = 'ROLLOVER',
}
registerEnumType(CreditLedgerEntryKindEnum, {
  name: 'CreditLedgerEntryKind',
  valuesConfig: {
    GRANT: { description: 'Credits granted (positive).' },
    DEDUCTION: { description: 'Drawn by one line of a finalized invoice (negative).' },
    REVERSAL: {
      description:
        'Gives one DEDUCTION back when its invoice is voided (positive). On a grant that has expired or was ' +
        'voided since, an EXPIRY or VOID entry of the same amount follows at once: lapsed credits stay lapsed.',
    },
    EXPIRY: { description: 'The remainder written off at expiry: breakage (negative).' },
    VOID: { description: 'The remainder written off when the grant was voided (negative).' },
    ROLLOVER: {
      description:
        "Moved at renewal into a new grant expiring with the contract's new term, per its rollover terms (negative).",
    },
  },
});

/** Cents as stored → the currency's units with its minor digits, as every amount on the API is written. */
function fromCents(cents: Decimal, currency: string): Money {
  return money(fromMinorUnits(cents.toFixed(), currency), currency);
}

@ObjectType('CreditGrant', { description: 'Credits given to a customer, drawn down by its invoices.' })
export class CreditGrant {
  @Field(() => ID) id!: string;
  @Field(() => ID) customerId!: string;
  @Field(() => ID, { nullable: true }) contractId!: string | null;
  @Field(() => CreditGrantTypeEnum) type!: CreditGrantTypeEnum;
  @Field(() => CreditGrantStatusEnum) status!: CreditGrantStatusEnum;
  @Field() currency!: string;
  @Field(() => MoneyScalar, { description: 'Credits granted, in the currency (e.g. "120000.00").' })
  amount!: Money;
  @Field() description!: string;
  @Field(() => Date, { description: 'Drawable by invoices whose period ends after this instant.' })
  effectiveAt!: Date;
  @Field(() => Date, {
    nullable: true,
    description: 'Drawable by invoices whose period starts before this instant; null = never expires.',
  })
  expiresAt!: Date | null;
  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'What the customer is invoiced for the credits.',
  })
  invoiceAmount!: Money | null;
  @Field(() => ID, { nullable: true, description: 'The COMMITMENT invoice issued for the credits.' })
  commitmentInvoiceId!: string | null;
  @Field(() => String, { nullable: true }) idempotencyKey!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the grant expired or was voided.' })
  closedAt!: Date | null;
}

export function toCreditGrant(grant: CreditGrantEntity): CreditGrant {
  return {
    id: grant.id,
    customerId: grant.customerId,
    contractId: grant.contractId,
    type: grant.type as CreditGrantTypeEnum,
    status: grant.status as CreditGrantStatusEnum,
    currency: grant.currency,
    amount: fromCents(grant.amountCents, grant.currency),
    description: grant.description,
    effectiveAt: grant.effectiveAt,
    expiresAt: grant.expiresAt,
    invoiceAmount: grant.invoiceAmountCents ? fromCents(grant.invoiceAmountCents, grant.currency) : null,
    commitmentInvoiceId: grant.commitmentInvoiceId,
    idempotencyKey: grant.idempotencyKey,
    createdAt: grant.createdAt,
    closedAt: grant.closedAt,
  };
}

@ObjectType('CreditGrantBalance', { description: "One grant's balance, derived from its ledger entries." })
export class CreditGrantBalance {
  @Field() currency!: string;
  @Field(() => MoneyScalar) granted!: Money;
  @Field(() => MoneyScalar, {
    description: 'Drawn by finalized invoices, net of what voided invoices gave back.',
  })
  used!: Money;
  @Field(() => MoneyScalar, { description: 'Written off at expiry (breakage).' }) expired!: Money;
  @Field(() => MoneyScalar) voided!: Money;
  @Field(() => MoneyScalar, { description: 'granted − used − expired − voided.' }) remaining!: Money;
  @Field(() => ID) grantId!: string;
  @Field(() => CreditGrantTypeEnum) type!: CreditGrantTypeEnum;
  @Field(() => CreditGrantStatusEnum) status!: CreditGrantStatusEnum;
  @Field() description!: string;
  @Field(() => Date) effectiveAt!: Date;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => CreditGrant) grant!: CreditGrant;
}

@ObjectType('CreditCurrencyBalance', { description: "The customer's credits in one currency." })
export class CreditCurrencyBalance {
  @Field() currency!: string;
  @Field(() => MoneyScalar) granted!: Money;
  @Field(() => MoneyScalar, {
    description: 'Drawn by finalized invoices, net of what voided invoices gave back.',
  })
  used!: Money;
  @Field(() => MoneyScalar, { description: 'Written off at expiry (breakage).' }) expired!: Money;
  @Field(() => MoneyScalar) voided!: Money;
  @Field(() => MoneyScalar, { description: 'granted − used − expired − voided.' }) remaining!: Money;
}

@ObjectType('CreditBalance')
export class CreditBalance {
  @Field(() => ID) customerId!: string;
  @Field(() => [CreditCurrencyBalance], { description: 'One total per currency the customer has grants in.' })
  totals!: CreditCurrencyBalance[];
  @Field(() => [CreditGrantBalance], { description: 'Every grant, oldest first (expired and voided too).' })
  grants!: CreditGrantBalance[];
  @Field(() => CreditCurrencyBalance, {
    nullable: true,
    description:
      "The single total in the contract's currency: the contract named by `creditBalance(contractId:)`, else " +
      "the customer's contract in force now, else their next one. Zero amounts when no grant is in that " +
      'currency; null when the customer has no contract.',
  })
  total!: CreditCurrencyBalance | null;
}

function amounts(b: Omit<CurrencyBalance, 'currency'>, currency: string) {
  return {
    currency,
    granted: fromCents(b.grantedCents, currency),
    used: fromCents(b.usedCents, currency),
    expired: fromCents(b.expiredCents, currency),
    voided: fromCents(b.voidedCents, currency),
    remaining: fromCents(b.remainingCents, currency),
  };
}

function toGrantBalance(b: GrantBalance): CreditGrantBalance {
  return {
    ...amounts(b, b.grant.currency),
    grantId: b.grant.id,
    type: b.grant.type as CreditGrantTypeEnum,
    status: b.grant.status as CreditGrantStatusEnum,
    description: b.grant.description,
    effectiveAt: b.grant.effectiveAt,
    expiresAt: b.grant.expiresAt,
    grant: toCreditGrant(b.grant),
  };
}

export function toCreditBalance(balance: CustomerCreditBalance): CreditBalance {
  return {
    customerId: balance.customerId,
    totals: balance.totals.map((t) => amounts(t, t.currency)),
    grants: balance.grants.map(toGrantBalance),
    total: balance.total ? amounts(balance.total, balance.total.currency) : null,
  };
}

@ObjectType('CreditLedgerEntry', {
  description:
    'One movement of a grant. DEDUCTIONs name the invoice line (and its dimensions) they paid for.',
})
export class CreditLedgerEntry {
  @Field(() => ID) id!: string;
  @Field(() => CreditLedgerEntryKindEnum) kind!: CreditLedgerEntryKindEnum;
  @Field(() => ID) grantId!: string;
  @Field() currency!: string;
  @Field(() => MoneyScalar, { description: 'Signed: positive for GRANT and REVERSAL, negative otherwise.' })
  amount!: Money;
  @Field(() => MoneyScalar, { description: "The grant's balance right after this entry." })
  grantBalanceAfter!: Money;
  @Field() description!: string;
  @Field(() => ID, { nullable: true }) invoiceId!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The invoice line (its position) a DEDUCTION paid for (or its REVERSAL gave back).',
  })
  invoiceLineKey!: string | null;
  @Field(() => String, { nullable: true }) meterCode!: string | null;
  @Field(() => JSONObjectScalar, { nullable: true }) dimensions!: Record<string, string> | null;
  @Field(() => Date) createdAt!: Date;
}

export function toCreditLedgerEntry(entry: CreditLedgerEntryEntity): CreditLedgerEntry {
  return {
    id: entry.id,
    kind: entry.kind as CreditLedgerEntryKindEnum,
    grantId: entry.grantId,
    currency: entry.currency,
    amount: fromCents(entry.amountCents, entry.currency),
    grantBalanceAfter: fromCents(entry.grantBalanceAfterCents, entry.currency),
    description: entry.description,
    invoiceId: entry.invoiceId,
    invoiceLineKey: entry.invoiceLineKey,
    meterCode: entry.meterCode,
    dimensions: entry.dimensions,
    createdAt: entry.createdAt,
  };
}

export const CreditLedgerEntryConnection = Connection(CreditLedgerEntry, 'CreditLedgerEntry');
