import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Self-serve (issue 8): idempotency records for self-serve mutations, payments recorded against finalized
 * invoices, and the account contacts (account manager, support contact) shown in in-app account screens.
 */
export class SelfServe1763700500000 implements MigrationInterface {
  name = 'SelfServe1763700500000';

  async up(q: QueryRunner): Promise<void> {
    // One row per (environment, key): the unique key, not a read, makes a repeated mutation a replay.
    await q.query(`CREATE TABLE idempotency_records (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      idempotency_key VARCHAR(200) NOT NULL,
      operation VARCHAR(60) NOT NULL,
      request_hash CHAR(64) NOT NULL,
      result JSON NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_idempotency_records_key (environment_id, idempotency_key),
      CONSTRAINT fk_idempotency_records_env FOREIGN KEY (environment_id) REFERENCES environments (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE payments (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      invoice_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      provider VARCHAR(40) NOT NULL,
      reference VARCHAR(200) NOT NULL,
      provider_payment_id VARCHAR(200) NULL,
      status VARCHAR(16) NOT NULL,
      currency CHAR(3) NOT NULL,
      amount DECIMAL(20,4) NOT NULL,
      failure_reason VARCHAR(1000) NULL,
      actor VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_payments_reference (environment_id, provider, reference),
      KEY ix_payments_invoice (invoice_id, created_at),
      KEY ix_payments_customer (environment_id, customer_id, created_at),
      CONSTRAINT fk_payments_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE account_contacts (
      environment_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      account_manager_name VARCHAR(200) NULL,
      account_manager_email VARCHAR(320) NULL,
      account_manager_phone VARCHAR(40) NULL,
      support_name VARCHAR(200) NULL,
      support_email VARCHAR(320) NULL,
      support_phone VARCHAR(40) NULL,
      updated_at DATETIME(3) NOT NULL,
      PRIMARY KEY (environment_id, customer_id),
      CONSTRAINT fk_account_contacts_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['account_contacts', 'payments', 'idempotency_records']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
