import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from './columns';

/**
 * A customer's portal-token generation: tokens issued under an earlier generation are revoked. No row is
 * generation 0.
 */
@Entity('portal_token_revocations')
export class PortalTokenRevocationEntity {
  @PrimaryColumn({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @PrimaryColumn({ ...idColumn, name: 'customer_id' }) customerId!: string;
  @Column({ type: 'int' }) generation!: number;
  @Column({ ...timestampColumn, name: 'revoked_at' }) revokedAt!: Date;
}
