import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Decimal } from '../domain/money';
import { exactText, idColumn, timestampColumn } from './columns';
import { centsColumn } from './credit-grant.entity';

/** ROLLOVER: what moved at renewal into a grant of the new term (negative; see credit-rollover.ts). */
export type CreditLedgerEntryKind = 'GRANT' | 'DEDUCTION' | 'REVERSAL' | 'EXPIRY' | 'VOID' | 'ROLLOVER';

/**
 * One movement of a grant's balance. Append-only: rows are inserted, never updated or deleted.
 * `amountCents` is signed (GRANT and REVERSAL positive; DEDUCTION, EXPIRY and VOID negative), so a
 * grant's balance is the plain sum of its entries. A REVERSAL gives back one DEDUCTION of an invoice that
 * was voided after finalization.
 */
@Entity('credit_ledger_entries')
export class CreditLedgerEntryEntity {
  /** BIGINT AUTO_INCREMENT, read as a string: orders the history (newest = highest). */
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'customer_id' }) customerId!: string;
  @Column({ ...idColumn, name: 'grant_id' }) grantId!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: CreditLedgerEntryKind;
  @Column({ ...centsColumn, name: 'amount_cents' }) amountCents!: Decimal;
  /** The grant's balance right after this entry (exact: entries are written with the grant locked). */
  @Column({ ...centsColumn, name: 'grant_balance_after_cents' }) grantBalanceAfterCents!: Decimal;
  /**
   * Unique per grant: 'GRANT', 'CLOSE' (expiry or void), `<invoiceId>:<lineKey>` for a deduction,
   * `REVERSAL:<invoiceId>:<lineKey>` for its reversal and `REVERSAL-CLOSE:<invoiceId>:<lineKey>` for the
   * write-off of a reversal onto a grant closed since (see credit-reversal.ts).
   */
  @Column({ ...exactText, type: 'varchar', length: 100, name: 'dedupe_key' }) dedupeKey!: string;
  @Column({ type: 'varchar', length: 500 }) description!: string;
  @Column({ ...idColumn, name: 'invoice_id', nullable: true }) invoiceId!: string | null;
  /** The invoice line's key (its position) for a DEDUCTION and its REVERSAL. */
  @Column({ type: 'varchar', length: 40, name: 'invoice_line_key', nullable: true }) invoiceLineKey!:
    string | null;
  @Column({ ...exactText, type: 'varchar', length: 100, name: 'meter_code', nullable: true }) meterCode!:
    string | null;
  @Column({ type: 'json', nullable: true }) dimensions!: Record<string, string> | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
