import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, nullableTimestampColumn, timestampColumn } from './columns';

/**
 * A usage event the aggregator set aside because rolling it up failed; re-queued by a retry request and
 * resolved once the aggregator rolled it up. Written by the aggregator with plain SQL in its own transaction.
 */
@Entity('usage_event_failures')
export class UsageEventFailureEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ type: 'bigint', unsigned: true, name: 'event_id' }) eventId!: string;
  @Column({ type: 'json', name: 'meter_ids' }) meterIds!: string[];
  @Column({ type: 'varchar', length: 64 }) code!: string;
  @Column({ type: 'varchar', length: 1000 }) reason!: string;
  @Column({ type: 'int', unsigned: true }) attempts!: number;
  @Column({ ...timestampColumn, name: 'failed_at' }) failedAt!: Date;
  @Column({ ...nullableTimestampColumn, name: 'retry_requested_at' }) retryRequestedAt!: Date | null;
  @Column({ ...nullableTimestampColumn, name: 'resolved_at' }) resolvedAt!: Date | null;
}
