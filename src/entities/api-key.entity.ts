import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, nullableTimestampColumn, timestampColumn } from './columns';

/** Only the SHA-256 of a key is stored; the key itself is shown once, at creation. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  /** The first characters of the key, to recognise it in lists. */
  @Column({ type: 'varchar', length: 24 }) prefix!: string;
  @Column({ type: 'char', length: 64, name: 'key_hash' }) keyHash!: string;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...nullableTimestampColumn, name: 'revoked_at' }) revokedAt!: Date | null;
}
