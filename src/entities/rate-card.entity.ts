import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from './columns';

@Entity('rate_cards')
export class RateCardEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'meter_id' }) meterId!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
