import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, nullableTimestampColumn, timestampColumn } from './columns';

export type WebhookDeliveryStatus = 'PENDING' | 'DELIVERED' | 'DEAD';

/** One event on its way to one endpoint: retried until delivered or dead-lettered. */
@Entity('webhook_deliveries')
export class WebhookDeliveryEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'endpoint_id' }) endpointId!: string;
  @Column({ ...idColumn, name: 'event_id' }) eventId!: string;
  @Column({ type: 'bigint', unsigned: true, name: 'event_seq' }) eventSeq!: string;
  @Column({ ...idColumn, name: 'object_id' }) objectId!: string;
  @Column({ type: 'varchar', length: 16 }) status!: WebhookDeliveryStatus;
  @Column({ type: 'int' }) attempts!: number;
  @Column({ ...timestampColumn, name: 'next_attempt_at' }) nextAttemptAt!: Date;
  @Column({ type: 'varchar', length: 40, name: 'claim_token', nullable: true }) claimToken!: string | null;
  @Column({ ...nullableTimestampColumn, name: 'claimed_until' }) claimedUntil!: Date | null;
  @Column({ type: 'int', name: 'last_status_code', nullable: true }) lastStatusCode!: number | null;
  @Column({ type: 'varchar', length: 1000, name: 'last_error', nullable: true }) lastError!: string | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
  @Column({ ...nullableTimestampColumn, name: 'delivered_at' }) deliveredAt!: Date | null;
}
