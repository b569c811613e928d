import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ContractExtraction, ReadDocument } from '../domain/contract-extraction-types';
import { idColumn, nullableTimestampColumn, timestampColumn } from './columns';

/** What was read, with the reading method (text layer or OCR). */
export type StoredExtraction = ContractExtraction & { method: ReadDocument['method'] };

export type ContractDocumentStatus = 'PROCESSING' | 'DONE' | 'FAILED';

/**
 * A signed agreement uploaded for Contract Extraction, and its place in the processing queue
 * (PROCESSING rows are claimed by the document worker with a lease). The bytes live in
 * contract_document_parts; `deletedAt` set = the bytes were removed, the row stays as the draft's audit line.
 */
@Entity('contract_documents')
export class ContractDocumentEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'draft_id' }) draftId!: string;
  @Column({ type: 'varchar', length: 255, nullable: true }) filename!: string | null;
  @Column({ type: 'varchar', length: 40, name: 'content_type' }) contentType!: string;
  @Column({ type: 'int', name: 'size_bytes' }) sizeBytes!: number;
  @Column({ type: 'int', nullable: true }) pages!: number | null;
  @Column({ type: 'char', length: 64 }) sha256!: string;
  @Column({ type: 'char', length: 64, name: 'dedupe_key', nullable: true }) dedupeKey!: string | null;
  @Column({ type: 'varchar', length: 16 }) status!: ContractDocumentStatus;
  @Column({ type: 'varchar', length: 40, name: 'error_code', nullable: true }) errorCode!: string | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) error!: string | null;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ ...timestampColumn, name: 'next_attempt_at' }) nextAttemptAt!: Date;
  @Column({ type: 'varchar', length: 40, name: 'claim_token', nullable: true }) claimToken!: string | null;
  @Column({ ...nullableTimestampColumn, name: 'claimed_until' }) claimedUntil!: Date | null;
  @Column({ type: 'json', nullable: true }) extraction!: StoredExtraction | null;
  /** Wall time spent reading and extracting, for the per-page figures. */
  @Column({ type: 'int', name: 'read_ms', nullable: true }) readMs!: number | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
  @Column({ ...nullableTimestampColumn, name: 'deleted_at' }) deletedAt!: Date | null;
}
