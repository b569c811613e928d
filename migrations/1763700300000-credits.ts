import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credits: grants (promotional and prepaid) and their append-only ledger.
 *
 * Amounts are integer minor units (cents) in BIGINT: credits are granted and drawn in whole cents,
 * and integers make "the ledger balances" an exact equality.
 */
export class Credits1763700300000 implements MigrationInterface {
  name = 'Credits1763700300000';

  async up(q: QueryRunner): Promise<void> {
    // `remaining_cents` caches the sum of the grant's ledger entries; it is only changed in the same
    // transaction that appends an entry, with the grant row locked. The CHECK is the last line of
    // defence against a negative balance (MariaDB enforces CHECK constraints).
    await q.query(`CREATE TABLE credit_grants (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      contract_id VARCHAR(40) NULL,
      type VARCHAR(16) NOT NULL,
      status VARCHAR(16) NOT NULL,
      currency CHAR(3) NOT NULL,
      amount_cents BIGINT NOT NULL,
      remaining_cents BIGINT NOT NULL,
      description VARCHAR(500) NOT NULL,
      effective_at DATETIME(3) NOT NULL,
      expires_at DATETIME(3) NULL,
      invoice_amount_cents BIGINT NULL,
      commitment_invoice_id VARCHAR(40) NULL,
      idempotency_key VARCHAR(200) NULL,
      created_at DATETIME(3) NOT NULL,
      closed_at DATETIME(3) NULL,
      UNIQUE KEY uq_credit_grants_idempotency (environment_id, idempotency_key),
      KEY ix_credit_grants_customer (environment_id, customer_id),
      KEY ix_credit_grants_expiry (status, expires_at),
      KEY ix_credit_grants_contract (contract_id),
      CONSTRAINT ck_credit_grants_amount CHECK (amount_cents > 0),
      CONSTRAINT ck_credit_grants_remaining CHECK (remaining_cents >= 0 AND remaining_cents <= amount_cents),
      CONSTRAINT fk_credit_grants_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
      CONSTRAINT fk_credit_grants_contract FOREIGN KEY (contract_id) REFERENCES contracts (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    // Append-only. The AUTO_INCREMENT id orders the history. `dedupe_key` makes the one-time entries
    // one-time at the database level: 'GRANT' once, 'CLOSE' once (EXPIRY or VOID), and one DEDUCTION
    // per (grant, invoice, line).
    await q.query(`CREATE TABLE credit_ledger_entries (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      grant_id VARCHAR(40) NOT NULL,
      currency CHAR(3) NOT NULL,
      kind VARCHAR(16) NOT NULL,
      amount_cents BIGINT NOT NULL,
      grant_balance_after_cents BIGINT NOT NULL,
      dedupe_key VARCHAR(100) NOT NULL,
      description VARCHAR(500) NOT NULL,
      invoice_id VARCHAR(40) NULL,
      invoice_line_key VARCHAR(40) NULL,
      meter_code VARCHAR(100) NULL,
      dimensions JSON NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_credit_ledger_dedupe (grant_id, dedupe_key),
      KEY ix_credit_ledger_customer (environment_id, customer_id, id),
      KEY ix_credit_ledger_invoice (invoice_id),
      CONSTRAINT fk_credit_ledger_grant FOREIGN KEY (grant_id) REFERENCES credit_grants (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS credit_ledger_entries');
    await q.query('DROP TABLE IF EXISTS credit_grants');
  }
}
