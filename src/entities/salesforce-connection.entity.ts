import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, nullableTimestampColumn, timestampColumn } from './columns';

export type SalesforceConnectionStatus = 'ACTIVE' | 'PAUSED' | 'AUTH_BROKEN' | 'DISCONNECTED';

/**
 * One Salesforce org connected to one environment. Secrets are sealed with SecretBox (AES-256-GCM)
 * and never leave the service layer; the trigger secret is kept only as a SHA-256 hash.
 */
@Entity('salesforce_connections')
export class SalesforceConnectionEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ type: 'varchar', length: 255, name: 'login_url' }) loginUrl!: string;
  @Column({ type: 'varchar', length: 255, name: 'instance_url' }) instanceUrl!: string;
  @Column({ type: 'varchar', length: 255, name: 'client_id' }) clientId!: string;
  @Column({ type: 'text', name: 'client_secret_sealed' }) clientSecretSealed!: string;
  @Column({ type: 'text', name: 'refresh_token_sealed' }) refreshTokenSealed!: string;
  @Column({ type: 'text', name: 'access_token_sealed', nullable: true }) accessTokenSealed!: string | null;
  @Column({ type: 'varchar', length: 8, name: 'api_version' }) apiVersion!: string;
  @Column({ type: 'varchar', length: 18, name: 'salesforce_org_id', nullable: true }) salesforceOrgId!:
    string | null;
  @Column({ type: 'varchar', length: 16 }) status!: SalesforceConnectionStatus;
  @Column({ type: 'varchar', length: 2000, name: 'status_reason', nullable: true }) statusReason!:
    string | null;
  @Column({ ...nullableTimestampColumn, name: 'paused_until' }) pausedUntil!: Date | null;
  @Column({ ...nullableTimestampColumn, name: 'last_poll_at' }) lastPollAt!: Date | null;
  @Column({ type: 'varchar', length: 2000, name: 'last_poll_error', nullable: true }) lastPollError!:
    string | null;
  /** Every Opportunity modified before this instant has been read and committed. */
  @Column({ ...nullableTimestampColumn }) watermark!: Date | null;
  @Column({ type: 'char', length: 64, name: 'trigger_secret_hash' }) triggerSecretHash!: string;
  @Column({ type: 'json', name: 'field_config' }) fieldConfig!: Record<string, string | null>;
  @Column({ type: 'int', name: 'api_usage_used', nullable: true }) apiUsageUsed!: number | null;
  @Column({ type: 'int', name: 'api_usage_max', nullable: true }) apiUsageMax!: number | null;
  @Column({ type: 'varchar', length: 40, name: 'sync_lease_owner', nullable: true }) syncLeaseOwner!:
    string | null;
  @Column({ ...nullableTimestampColumn, name: 'sync_lease_until' }) syncLeaseUntil!: Date | null;
  /** StageName of the Opportunity Tally creates when a self-serve customer asks to talk to sales. */
  @Column({ type: 'varchar', length: 40, name: 'expansion_stage_name', default: 'Prospecting' })
  expansionStageName!: string;
  /** RecordTypeId of that Opportunity (null: the integration user's default record type). */
  @Column({ type: 'varchar', length: 18, name: 'expansion_record_type_id', nullable: true })
  expansionRecordTypeId!: string | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
}
