import { Column, Entity, PrimaryColumn } from 'typeorm';
import { moneyColumn } from '../db/decimal.transformer';
import type { Decimal } from '../domain/money';
import { idColumn, nullableTimestampColumn, timestampColumn } from './columns';

export type InvoiceStatus = 'DRAFT' | 'FINALIZED' | 'PAID' | 'VOID';
export type InvoiceKind = 'PERIOD' | 'COMMITMENT';

/**
 * One invoice per contract billing period (pre-generated as DRAFT), or a one-line commitment invoice.
 * While DRAFT its amounts are computed live from usage aggregates and these money columns are null;
 * finalization freezes the lines (invoice_lines) and the totals here and assigns the number.
 */
@Entity('invoices')
export class InvoiceEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'customer_id' }) customerId!: string;
  @Column({ ...idColumn, name: 'contract_id', nullable: true }) contractId!: string | null;
  @Column({ type: 'varchar', length: 16 }) kind!: InvoiceKind;
  @Column({ type: 'varchar', length: 16 }) status!: InvoiceStatus;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ ...timestampColumn, name: 'period_start' }) periodStart!: Date;
  /** Exclusive. */
  @Column({ ...timestampColumn, name: 'period_end' }) periodEnd!: Date;
  /**
   * Period invoices: the end of the period in its cycle, kept when a cancellation cuts the invoice short
   * (the proration denominator); null for other kinds.
   */
  @Column({ ...timestampColumn, name: 'nominal_period_end', nullable: true }) nominalPeriodEnd!: Date | null;
  /** `INV-000001`, gap-free per environment, assigned at finalization. */
  @Column({ type: 'varchar', length: 32, nullable: true }) number!: string | null;
  @Column({ ...nullableTimestampColumn, name: 'issued_at' }) issuedAt!: Date | null;
  @Column({ ...nullableTimestampColumn, name: 'due_date' }) dueDate!: Date | null;
  @Column({ ...moneyColumn, nullable: true }) subtotal!: Decimal | null;
  @Column({ ...moneyColumn, name: 'credits_applied', nullable: true }) creditsApplied!: Decimal | null;
  /**
   * The customer's credit balance in the invoice's currency right after this invoice's drawdown, frozen at
   * finalization (a later void does not change it). Null until finalized, and for invoices without a drawdown.
   */
  @Column({ ...moneyColumn, name: 'credit_balance_remaining', nullable: true })
  creditBalanceRemaining!: Decimal | null;
  /** What the customer's balance (credit notes to BALANCE) paid of the invoice, before prepaid credits. */
  @Column({ ...moneyColumn, name: 'balance_applied', default: 0 }) balanceApplied!: Decimal;
  @Column({ ...moneyColumn, nullable: true }) total!: Decimal | null;
  @Column({ ...moneyColumn, name: 'amount_due', nullable: true }) amountDue!: Decimal | null;
  @Column({ ...moneyColumn, name: 'amount_paid' }) amountPaid!: Decimal;
  @Column({ ...nullableTimestampColumn, name: 'finalized_at' }) finalizedAt!: Date | null;
  @Column({ ...nullableTimestampColumn, name: 'voided_at' }) voidedAt!: Date | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
}
