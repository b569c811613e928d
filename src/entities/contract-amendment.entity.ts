import { Column, Entity, PrimaryColumn } from 'typeorm';
import { exactText, idColumn, timestampColumn } from './columns';

export type AmendmentSource = 'API' | 'SELF_SERVE' | 'SALESFORCE_DRAFT' | 'SYSTEM';

/** The contract's history: every change with who, when, what, and where it came from. */
@Entity('contract_amendments')
export class ContractAmendmentEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'contract_id' }) contractId!: string;
  /** CREATED, PLAN_CHANGED, QUANTITY_CHANGED, ADD_ON_ADDED, CANCELLED, RENEWED, … */
  @Column({ type: 'varchar', length: 40 }) kind!: string;
  @Column({ type: 'varchar', length: 24 }) source!: AmendmentSource;
  /** Who: an API key id, a portal customer id or a system worker name. */
  @Column({ type: 'varchar', length: 100 }) actor!: string;
  @Column({ type: 'json' }) details!: Record<string, unknown>;
  @Column({ ...timestampColumn, name: 'effective_at' }) effectiveAt!: Date;
  /** Repeating a mutation with the same key returns the first result and changes nothing. */
  @Column({ ...exactText, type: 'varchar', length: 200, name: 'idempotency_key', nullable: true })
  idempotencyKey!: string | null;
  @Column({ type: 'json', nullable: true }) result!: Record<string, unknown> | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
