import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ContractDraftContent, DraftChange, DraftIssue } from '../domain/contract-draft';
import { idColumn, nullableTimestampColumn, timestampColumn } from './columns';

/** DOCUMENT: read from an uploaded signed agreement (see contract-document.entity.ts). */
export type ContractDraftSource = 'SALESFORCE' | 'MANUAL' | 'DOCUMENT';
export type ContractDraftStatus = 'PENDING' | 'CONFIRMED' | 'REJECTED' | 'VOID';

/**
 * A deal's terms waiting for (or after) ops review. Salesforce drafts are keyed by
 * (connection, opportunity, review_seq): review_seq 0 is the draft itself; 1, 2, … are review items
 * raised when the deal of a confirmed draft changed later (never applied to the live contract silently).
 */
@Entity('contract_drafts')
export class ContractDraftEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ type: 'varchar', length: 16 }) source!: ContractDraftSource;
  @Column({ ...idColumn, name: 'connection_id', nullable: true }) connectionId!: string | null;
  @Column({ type: 'varchar', length: 18, name: 'opportunity_id', nullable: true }) opportunityId!:
    string | null;
  @Column({ type: 'int', name: 'review_seq', default: 0 }) reviewSeq!: number;
  @Column({ ...idColumn, name: 'parent_draft_id', nullable: true }) parentDraftId!: string | null;
  @Column({ type: 'varchar', length: 16 }) status!: ContractDraftStatus;
  @Column({ type: 'json' }) content!: ContractDraftContent;
  @Column({ type: 'char', length: 64, name: 'content_hash' }) contentHash!: string;
  @Column({ type: 'char', length: 64, name: 'source_hash', nullable: true }) sourceHash!: string | null;
  /** The content before the last sync changed it: the reviewer sees what changed. */
  @Column({ type: 'json', name: 'previous_content', nullable: true })
  previousContent!: ContractDraftContent | null;
  /** What the last sync changed (previous_content → content), leaf by leaf; manual edits do not touch it. */
  @Column({ type: 'json', name: 'sync_changes', nullable: true }) syncChanges!: DraftChange[] | null;
  @Column({ type: 'json' }) issues!: DraftIssue[];
  /** SystemModstamp of the Opportunity version the content came from: an older read never overwrites a newer one. */
  @Column({ ...nullableTimestampColumn, name: 'source_modstamp' }) sourceModstamp!: Date | null;
  @Column({ type: 'varchar', length: 1000, name: 'reject_reason', nullable: true }) rejectReason!:
    string | null;
  @Column({ ...idColumn, name: 'confirmed_contract_id', nullable: true }) confirmedContractId!: string | null;
  @Column({ ...idColumn, name: 'confirmed_customer_id', nullable: true }) confirmedCustomerId!: string | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;

  get isReviewItem(): boolean {
    return this.parentDraftId !== null;
  }
}
