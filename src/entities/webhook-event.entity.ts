import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from './columns';

/** One webhook event: the envelope receivers get, recorded in the transaction of the change it reports. */
@Entity('webhook_events')
export class WebhookEventEntity {
  @PrimaryColumn(idColumn) id!: string;
  /** Insertion order (AUTO_INCREMENT); orders the deliveries of one object. */
  @Column({ type: 'bigint', unsigned: true, insert: false, update: false }) seq!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ type: 'varchar', length: 64 }) type!: string;
  @Column({ ...idColumn, name: 'object_id' }) objectId!: string;
  @Column({ type: 'json' }) body!: Record<string, unknown>;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
