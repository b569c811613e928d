import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from './columns';

/** What happened on one HTTP attempt of a delivery (kept for the webhookDeliveries view). */
@Entity('webhook_delivery_attempts')
export class WebhookDeliveryAttemptEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'delivery_id' }) deliveryId!: string;
  @Column({ ...timestampColumn, name: 'attempted_at' }) attemptedAt!: Date;
  @Column({ type: 'int', name: 'status_code', nullable: true }) statusCode!: number | null;
  @Column({ type: 'int', name: 'latency_ms' }) latencyMs!: number;
  /** DELIVERED, RETRY (transient failure) or FAILED (refused by the receiver, not retried). */
  @Column({ type: 'varchar', length: 16 }) outcome!: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) error!: string | null;
  @Column({ type: 'varchar', length: 1024, name: 'response_excerpt', nullable: true }) responseExcerpt!:
    string | null;
}
