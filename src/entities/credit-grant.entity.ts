import { Column, Entity, PrimaryColumn } from 'typeorm';
import { decimalTransformer } from '../db/decimal.transformer';
import type { Decimal } from '../domain/money';
import { exactText, idColumn, nullableTimestampColumn, timestampColumn } from './columns';

export type CreditGrantType = 'PROMOTIONAL' | 'PREPAID';
/** ACTIVE until its remainder is written off: EXPIRED by the expiry worker, VOIDED by a user. */
export type CreditGrantStatus = 'ACTIVE' | 'EXPIRED' | 'VOIDED';

/** Integer minor units (cents) in a BIGINT; read as a Decimal so no cent ever passes through a JS number. */
export const centsColumn = { type: 'bigint', transformer: decimalTransformer } as const;

/**
 * Credits given to a customer in one currency. The ledger (credit_ledger_entries) is the truth;
 * `remainingCents` caches the sum of this grant's entries and changes only together with a new entry,
 * under a row lock.
 */
@Entity('credit_grants')
export class CreditGrantEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'customer_id' }) customerId!: string;
  @Column({ ...idColumn, name: 'contract_id', nullable: true }) contractId!: string | null;
  @Column({ type: 'varchar', length: 16 }) type!: CreditGrantType;
  @Column({ type: 'varchar', length: 16 }) status!: CreditGrantStatus;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ ...centsColumn, name: 'amount_cents' }) amountCents!: Decimal;
  @Column({ ...centsColumn, name: 'remaining_cents' }) remainingCents!: Decimal;
  @Column({ type: 'varchar', length: 500 }) description!: string;
  /** Drawable for invoices whose period ends after this instant (the contract's start for contract grants). */
  @Column({ ...timestampColumn, name: 'effective_at' }) effectiveAt!: Date;
  /** Null = never expires. Drawable for invoices whose period starts before this instant. */
  @Column({ ...nullableTimestampColumn, name: 'expires_at' }) expiresAt!: Date | null;
  /** What the customer is invoiced for these credits (prepaid commitments and top-ups). */
  @Column({ ...centsColumn, name: 'invoice_amount_cents', nullable: true })
  invoiceAmountCents!: Decimal | null;
  @Column({ ...idColumn, name: 'commitment_invoice_id', nullable: true }) commitmentInvoiceId!: string | null;
  @Column({ ...exactText, type: 'varchar', length: 200, name: 'idempotency_key', nullable: true })
  idempotencyKey!: string | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  /** When the grant was expired or voided. */
  @Column({ ...nullableTimestampColumn, name: 'closed_at' }) closedAt!: Date | null;
}
