import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from './columns';

export type WebhookEndpointStatus = 'ENABLED' | 'DISABLED';

/** A URL of the environment that receives signed webhook events of the types it subscribed to. */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ type: 'varchar', length: 2048 }) url!: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) description!: string | null;
  @Column({ type: 'json', name: 'event_types' }) eventTypes!: string[];
  /** The HMAC key deliveries are signed with; shown to the caller once (create, rotate). */
  @Column({ type: 'varchar', length: 100 }) secret!: string;
  @Column({ type: 'varchar', length: 16 }) status!: WebhookEndpointStatus;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
}
