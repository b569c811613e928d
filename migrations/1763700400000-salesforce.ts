import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Salesforce connections, product mappings, contract drafts (Contract Extraction) and the CRM outbox. */
export class Salesforce1763700400000 implements MigrationInterface {
  name = 'Salesforce1763700400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE salesforce_connections (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      login_url VARCHAR(255) NOT NULL,
      instance_url VARCHAR(255) NOT NULL,
      client_id VARCHAR(255) NOT NULL,
      client_secret_sealed TEXT NOT NULL,
      refresh_token_sealed TEXT NOT NULL,
      access_token_sealed TEXT NULL,
      api_version VARCHAR(8) NOT NULL,
      salesforce_org_id VARCHAR(18) NULL,
      status VARCHAR(16) NOT NULL,
      status_reason VARCHAR(2000) NULL,
      paused_until DATETIME(3) NULL,
      last_poll_at DATETIME(3) NULL,
      last_poll_error VARCHAR(2000) NULL,
      watermark DATETIME(3) NULL,
      trigger_secret_hash CHAR(64) NOT NULL,
      field_config JSON NOT NULL,
      api_usage_used INT NULL,
      api_usage_max INT NULL,
      sync_lease_owner VARCHAR(40) NULL,
      sync_lease_until DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_salesforce_connections_env (environment_id),
      UNIQUE KEY uq_salesforce_connections_trigger (trigger_secret_hash),
      CONSTRAINT fk_salesforce_connections_env FOREIGN KEY (environment_id) REFERENCES environments (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE product_mappings (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      product_code VARCHAR(255) NOT NULL,
      target_kind VARCHAR(24) NOT NULL,
      target_id VARCHAR(40) NULL,
      dimensions JSON NULL,
      credit_grant_basis VARCHAR(16) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_product_mappings_code (environment_id, product_code),
      CONSTRAINT fk_product_mappings_env FOREIGN KEY (environment_id) REFERENCES environments (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    // review_seq 0 is the draft of a deal; 1, 2, … are review items for later changes of a confirmed one.
    await q.query(`CREATE TABLE contract_drafts (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      source VARCHAR(16) NOT NULL,
      connection_id VARCHAR(40) NULL,
      opportunity_id VARCHAR(18) NULL,
      review_seq INT NOT NULL DEFAULT 0,
      parent_draft_id VARCHAR(40) NULL,
      status VARCHAR(16) NOT NULL,
      content JSON NOT NULL,
      content_hash CHAR(64) NOT NULL,
      source_hash CHAR(64) NULL,
      previous_content JSON NULL,
      sync_changes JSON NULL,
      issues JSON NOT NULL,
      source_modstamp DATETIME(3) NULL,
      reject_reason VARCHAR(1000) NULL,
      confirmed_contract_id VARCHAR(40) NULL,
      confirmed_customer_id VARCHAR(40) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_contract_drafts_source (connection_id, opportunity_id, review_seq),
      KEY ix_contract_drafts_env_status (environment_id, status, id),
      KEY ix_contract_drafts_env_id (environment_id, id),
      KEY ix_contract_drafts_parent (parent_draft_id),
      CONSTRAINT fk_contract_drafts_env FOREIGN KEY (environment_id) REFERENCES environments (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    // pending_key is NULL unless PENDING: the unique key collapses changes to one record into one pending row.
    await q.query(`CREATE TABLE crm_outbox (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      sobject_type VARCHAR(40) NOT NULL,
      external_id_field VARCHAR(80) NOT NULL,
      external_id VARCHAR(255) NOT NULL,
      payload JSON NOT NULL,
      parent_rank TINYINT NOT NULL,
      status VARCHAR(8) NOT NULL,
      pending_key VARCHAR(300) NULL,
      version INT NOT NULL DEFAULT 1,
      attempts INT NOT NULL DEFAULT 0,
      next_attempt_at DATETIME(3) NOT NULL,
      last_error_code VARCHAR(80) NULL,
      last_error VARCHAR(2000) NULL,
      claim_token VARCHAR(40) NULL,
      claimed_until DATETIME(3) NULL,
      salesforce_id VARCHAR(18) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      done_at DATETIME(3) NULL,
      UNIQUE KEY uq_crm_outbox_pending (environment_id, pending_key),
      KEY ix_crm_outbox_claim (status, parent_rank, id),
      KEY ix_crm_outbox_env_status (environment_id, status, id),
      CONSTRAINT fk_crm_outbox_env FOREIGN KEY (environment_id) REFERENCES environments (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['crm_outbox', 'contract_drafts', 'product_mappings', 'salesforce_connections']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
