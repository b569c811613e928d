import { Column, Entity, PrimaryColumn } from 'typeorm';
import { quantityColumn, rateColumn } from '../db/decimal.transformer';
import type { Decimal } from '../domain/money';
import { idColumn, timestampColumn } from './columns';

/**
 * A charge a contract bills once (an onboarding fee): in full, never prorated, on the period invoice whose
 * period holds `chargeDate`. Recurring fees are contract items instead.
 */
@Entity('contract_one_time_charges')
export class ContractOneTimeChargeEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'contract_id' }) contractId!: string;
  /** Order of the charge on the contract (and among the one-time lines of an invoice on the same day). */
  @Column({ type: 'int' }) position!: number;
  @Column({ type: 'varchar', length: 500 }) description!: string;
  /** The unit price; the line charges `amount × quantity`. */
  @Column({ ...rateColumn }) amount!: Decimal;
  @Column({ ...quantityColumn }) quantity!: Decimal;
  @Column({ ...timestampColumn, name: 'charge_date' }) chargeDate!: Date;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
