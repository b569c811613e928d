import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, nullableTimestampColumn, timestampColumn } from './columns';

export type EnvironmentKind = 'LIVE' | 'SANDBOX';

/** Every domain row belongs to exactly one environment; reads and writes are scoped by it. */
@Entity('environments')
export class EnvironmentEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'organization_id' }) organizationId!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: EnvironmentKind;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  /** A sandbox created with a time to live is deleted (with all its data) once this has passed. */
  @Column({ ...nullableTimestampColumn, name: 'expires_at' })
  expiresAt!: Date | null;
}
