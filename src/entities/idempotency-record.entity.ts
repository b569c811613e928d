import { Column, Entity, PrimaryColumn } from 'typeorm';
import { exactText, idColumn, timestampColumn } from './columns';

/**
 * A self-serve mutation's idempotency key. The row is inserted first in the mutation's transaction; the
 * unique key (environment_id, scope, idempotency_key) makes a repeat wait for, then replay, the first result.
 */
@Entity('idempotency_records')
export class IdempotencyRecordEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  /** The key space: the customer id for portal callers, '' for operators (API keys, the system). */
  @Column({ type: 'varchar', length: 40, default: '' }) scope!: string;
  @Column({ ...exactText, type: 'varchar', length: 200, name: 'idempotency_key' }) idempotencyKey!: string;
  /** The mutation, e.g. `changePlan`: a key reused for another operation is a CONFLICT. */
  @Column({ type: 'varchar', length: 60 }) operation!: string;
  /** SHA-256 of the canonical request: a key reused with other arguments is a CONFLICT. */
  @Column({ type: 'char', length: 64, name: 'request_hash' }) requestHash!: string;
  @Column({ type: 'json', nullable: true }) result!: Record<string, unknown> | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
