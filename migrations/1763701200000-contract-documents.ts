import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contract Extraction from signed agreements: the uploaded documents (which are also the durable processing
 * queue: status, attempts, lease) and their bytes. The bytes are stored in parts of at most 4 MB (sent as hex, 8 MB) so that
 * no single statement comes near max_allowed_packet (16 MB by default) for a document of up to 20 MB.
 * `dedupe_key` is the SHA-256 while the bytes are kept and NULL once deleted, so the same document
 * uploaded twice in an environment maps to one draft, and a deleted one can be uploaded again.
 */
export class ContractDocuments1763701200000 implements MigrationInterface {
  name = 'ContractDocuments1763701200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE contract_documents (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      draft_id VARCHAR(40) NOT NULL,
      filename VARCHAR(255) NULL,
      content_type VARCHAR(40) NOT NULL,
      size_bytes INT NOT NULL,
      pages INT NULL,
      sha256 CHAR(64) NOT NULL,
      dedupe_key CHAR(64) NULL,
      status VARCHAR(16) NOT NULL,
      error_code VARCHAR(40) NULL,
      error VARCHAR(1000) NULL,
      attempts INT NOT NULL DEFAULT 0,
      next_attempt_at DATETIME(3) NOT NULL,
      claim_token VARCHAR(40) NULL,
      claimed_until DATETIME(3) NULL,
      extraction JSON NULL,
      read_ms INT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      deleted_at DATETIME(3) NULL,
      UNIQUE KEY uq_contract_documents_dedupe (environment_id, dedupe_key),
      KEY ix_contract_documents_queue (status, next_attempt_at),
      KEY ix_contract_documents_draft (environment_id, draft_id),
      CONSTRAINT fk_contract_documents_env FOREIGN KEY (environment_id) REFERENCES environments (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE contract_document_parts (
      document_id VARCHAR(40) NOT NULL,
      seq INT NOT NULL,
      bytes LONGBLOB NOT NULL,
      PRIMARY KEY (document_id, seq),
      CONSTRAINT fk_contract_document_parts_doc FOREIGN KEY (document_id) REFERENCES contract_documents (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE contract_document_parts');
    await q.query('DROP TABLE contract_documents');
  }
}
