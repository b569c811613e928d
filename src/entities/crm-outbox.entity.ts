import { Column, Entity, PrimaryColumn } from 'typeorm';
import { exactText, idColumn, nullableTimestampColumn, timestampColumn } from './columns';

export type CrmOutboxStatus = 'PENDING' | 'DONE' | 'DEAD';

/**
 * A change Salesforce must learn about, written in the same transaction as the change itself.
 * `pending_key` is set only while PENDING and is unique per environment, so several changes to one
 * record collapse into one pending row carrying the latest full state (DONE and DEAD rows keep history).
 */
@Entity('crm_outbox')
export class CrmOutboxEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ type: 'varchar', length: 40, name: 'sobject_type' }) sobjectType!: string;
  @Column({ type: 'varchar', length: 80, name: 'external_id_field' }) externalIdField!: string;
  @Column({ ...exactText, type: 'varchar', length: 255, name: 'external_id' }) externalId!: string;
  @Column({ type: 'json' }) payload!: Record<string, unknown>;
  @Column({ type: 'tinyint', name: 'parent_rank' }) parentRank!: number;
  @Column({ type: 'varchar', length: 8 }) status!: CrmOutboxStatus;
  @Column({ ...exactText, type: 'varchar', length: 300, name: 'pending_key', nullable: true }) pendingKey!:
    string | null;
  @Column({ type: 'int' }) version!: number;
  @Column({ type: 'int' }) attempts!: number;
  @Column({ ...timestampColumn, name: 'next_attempt_at' }) nextAttemptAt!: Date;
  @Column({ type: 'varchar', length: 80, name: 'last_error_code', nullable: true }) lastErrorCode!:
    string | null;
  @Column({ type: 'varchar', length: 2000, name: 'last_error', nullable: true }) lastError!: string | null;
  @Column({ type: 'varchar', length: 40, name: 'claim_token', nullable: true }) claimToken!: string | null;
  @Column({ ...nullableTimestampColumn, name: 'claimed_until' }) claimedUntil!: Date | null;
  @Column({ type: 'varchar', length: 18, name: 'salesforce_id', nullable: true }) salesforceId!:
    string | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
  @Column({ ...nullableTimestampColumn, name: 'done_at' }) doneAt!: Date | null;
}
