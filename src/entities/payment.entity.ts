import { Column, Entity, PrimaryColumn } from 'typeorm';
import { moneyColumn } from '../db/decimal.transformer';
import type { Decimal } from '../domain/money';
import { exactText, idColumn, timestampColumn } from './columns';

/** SUCCEEDED counts toward the invoice's amount paid; PENDING reserves it (async processors); FAILED is history. */
export type PaymentStatus = 'SUCCEEDED' | 'PENDING' | 'FAILED';

/** A payment toward one finalized invoice, recorded through a payment provider. */
@Entity('payments')
export class PaymentEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'invoice_id' }) invoiceId!: string;
  @Column({ ...idColumn, name: 'customer_id' }) customerId!: string;
  @Column({ type: 'varchar', length: 40 }) provider!: string;
  /** The caller's reference (bank transfer id, check number…); unique per provider: a repeat is a replay. */
  @Column({ ...exactText, type: 'varchar', length: 200 }) reference!: string;
  @Column({ type: 'varchar', length: 200, name: 'provider_payment_id', nullable: true }) providerPaymentId!:
    string | null;
  @Column({ type: 'varchar', length: 16 }) status!: PaymentStatus;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ ...moneyColumn }) amount!: Decimal;
  @Column({ type: 'varchar', length: 1000, name: 'failure_reason', nullable: true }) failureReason!:
    string | null;
  /** Who: an API key id or a portal customer id. */
  @Column({ type: 'varchar', length: 100 }) actor!: string;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
}
