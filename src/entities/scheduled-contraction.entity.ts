import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from './columns';

export type ScheduledContractionStatus = 'SCHEDULED' | 'CANCELLED';

/**
 * A sales-led contract moving onto a self-serve plan at the end of its term. The self-serve contract is
 * created when the contraction is scheduled (it starts at `effectiveAt`), so the portal, invoices and the
 * CRM see it ahead; cancelling the contraction cancels that contract outright.
 */
@Entity('scheduled_contractions')
export class ScheduledContractionEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'contract_id' }) contractId!: string;
  @Column({ ...idColumn, name: 'plan_id' }) planId!: string;
  @Column({ ...idColumn, name: 'new_contract_id' }) newContractId!: string;
  /** The sales-led contract's end (exclusive): the self-serve contract's start. */
  @Column({ ...timestampColumn, name: 'effective_at' }) effectiveAt!: Date;
  @Column({ type: 'varchar', length: 16 }) status!: ScheduledContractionStatus;
  /** Restored when the contraction is cancelled (scheduling turns auto-renew off). */
  @Column({ type: 'boolean', name: 'previous_auto_renew' }) previousAutoRenew!: boolean;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
}
