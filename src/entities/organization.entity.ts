import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from './columns';

@Entity('organizations')
export class OrganizationEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
