import { Column, Entity, PrimaryColumn } from 'typeorm';
import { exactText, idColumn, nullableTimestampColumn, timestampColumn } from './columns';

/** A customer's card or bank account at a payment processor, held as the processor's token. */
@Entity('payment_methods')
export class PaymentMethodEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'customer_id' }) customerId!: string;
  @Column({ type: 'varchar', length: 40 }) provider!: string;
  @Column({ ...exactText, type: 'varchar', length: 200, name: 'provider_token' }) providerToken!: string;
  @Column({ type: 'varchar', length: 40, nullable: true }) brand!: string | null;
  @Column({ type: 'varchar', length: 4, nullable: true }) last4!: string | null;
  @Column({ type: 'smallint', unsigned: true, name: 'exp_month', nullable: true }) expMonth!: number | null;
  @Column({ type: 'smallint', unsigned: true, name: 'exp_year', nullable: true }) expYear!: number | null;
  @Column({ type: 'boolean', name: 'is_default', default: false }) isDefault!: boolean;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...nullableTimestampColumn, name: 'removed_at' }) removedAt!: Date | null;
}
