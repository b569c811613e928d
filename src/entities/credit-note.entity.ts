import { Column, Entity, PrimaryColumn } from 'typeorm';
import { moneyColumn, quantityColumn } from '../db/decimal.transformer';
import type { Decimal } from '../domain/money';
import { idColumn, timestampColumn } from './columns';

/** Where a credit note's money goes: the customer's balance, back to the customer, or nowhere. */
export type CreditNoteRefund = 'BALANCE' | 'REFUND' | 'NONE';

/** A correction of a finalized invoice, by line; `CN-000001`, gap-free per environment. */
@Entity('credit_notes')
export class CreditNoteEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'customer_id' }) customerId!: string;
  @Column({ ...idColumn, name: 'invoice_id' }) invoiceId!: string;
  @Column({ type: 'varchar', length: 32 }) number!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'varchar', length: 500 }) reason!: string;
  @Column({ type: 'varchar', length: 8 }) refund!: CreditNoteRefund;
  @Column({ ...moneyColumn }) total!: Decimal;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}

/** What a credit note credits of one invoice line. */
@Entity('credit_note_lines')
export class CreditNoteLineEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'credit_note_id' }) creditNoteId!: string;
  @Column({ ...idColumn, name: 'invoice_line_id' }) invoiceLineId!: string;
  @Column({ type: 'int' }) position!: number;
  @Column({ type: 'varchar', length: 500 }) description!: string;
  /** The quantity credited, when the line was credited by quantity; null when by amount. */
  @Column({ ...quantityColumn, nullable: true }) quantity!: Decimal | null;
  @Column({ ...moneyColumn }) amount!: Decimal;
}
