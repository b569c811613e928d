import { Column, Entity, PrimaryColumn } from 'typeorm';
import { quantityColumn } from '../db/decimal.transformer';
import type { Decimal } from '../domain/money';
import { idColumn, nullableTimestampColumn, timestampColumn } from './columns';

/**
 * One pricing a contract charges over [startsAt, endsAt). Created from the plan's items at contract
 * creation; a plan change ends the old items and starts new ones at the change instant, so usage and
 * prorated flat fees on either side of the change price on the right plan.
 */
@Entity('contract_items')
export class ContractItemEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'contract_id' }) contractId!: string;
  @Column({ ...idColumn, name: 'plan_id', nullable: true }) planId!: string | null;
  @Column({ ...idColumn, name: 'pricing_id' }) pricingId!: string;
  /** Order of the item on invoices (the plan item's position). */
  @Column({ type: 'int' }) position!: number;
  /** Seats for flat fees; 1 for usage pricings. */
  @Column({ ...quantityColumn }) quantity!: Decimal;
  @Column({ type: 'boolean', name: 'is_add_on', default: false }) isAddOn!: boolean;
  @Column({ ...timestampColumn, name: 'starts_at' }) startsAt!: Date;
  @Column({ ...nullableTimestampColumn, name: 'ends_at' }) endsAt!: Date | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
