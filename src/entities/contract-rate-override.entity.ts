import { Column, Entity, PrimaryColumn } from 'typeorm';
import { rateColumn } from '../db/decimal.transformer';
import type { Decimal } from '../domain/money';
import { exactText, idColumn, timestampColumn } from './columns';

/** A contract's own rate for a meter's dimension combination; wins over the rate card. */
@Entity('contract_rate_overrides')
export class ContractRateOverrideEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'contract_id' }) contractId!: string;
  @Column({ ...idColumn, name: 'meter_id' }) meterId!: string;
  /** Order of the override as the contract listed it. */
  @Column({ type: 'int' }) position!: number;
  @Column({ type: 'json' }) dimensions!: Record<string, string>;
  @Column({ ...exactText, type: 'varchar', length: 500, name: 'dimension_key' }) dimensionKey!: string;
  @Column({ ...rateColumn }) rate!: Decimal;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
