import { Column, Entity, PrimaryColumn } from 'typeorm';
import { moneyColumn } from '../db/decimal.transformer';
import type { Decimal } from '../domain/money';
import { idColumn, timestampColumn } from './columns';

/** CREDIT_NOTE adds to the balance, APPLIED spends it on an invoice, REVERSAL gives back a voided invoice's. */
export type CustomerBalanceEntryKind = 'CREDIT_NOTE' | 'APPLIED' | 'REVERSAL';

/** One movement of a customer's balance (append-only; the balance per currency is the sum of `amount`). */
@Entity('customer_balance_entries')
export class CustomerBalanceEntryEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'customer_id' }) customerId!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: CustomerBalanceEntryKind;
  /** Signed: positive adds to the balance. */
  @Column({ ...moneyColumn }) amount!: Decimal;
  @Column({ ...idColumn, name: 'credit_note_id', nullable: true }) creditNoteId!: string | null;
  @Column({ ...idColumn, name: 'invoice_id', nullable: true }) invoiceId!: string | null;
  @Column({ type: 'varchar', length: 500 }) description!: string;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
