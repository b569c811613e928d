import { Column, Entity, PrimaryColumn } from 'typeorm';
import { exactText, idColumn, timestampColumn } from './columns';

export type Aggregation = 'SUM' | 'COUNT' | 'MAX' | 'UNIQUE_COUNT' | 'LATEST';

@Entity('meters')
export class MeterEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...exactText, type: 'varchar', length: 100 }) code!: string;
  @Column({ type: 'varchar', length: 200, name: 'display_name' }) displayName!: string;
  @Column({ ...exactText, type: 'varchar', length: 200, name: 'event_name' }) eventName!: string;
  @Column({ type: 'varchar', length: 16 }) aggregation!: Aggregation;
  @Column({ ...exactText, type: 'varchar', length: 200, name: 'aggregation_key', nullable: true })
  aggregationKey!: string | null;
  /** The dimensions, in the order the meter declares them. */
  @Column({ type: 'json', name: 'group_keys' }) groupKeys!: string[];
  /** SUM meters only: negative event values are accepted (corrections) instead of rejected. */
  @Column({ type: 'boolean', name: 'allow_negative', default: false }) allowNegative!: boolean;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
