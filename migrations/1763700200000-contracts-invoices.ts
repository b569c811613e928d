import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Contracts (items, overrides, amendments) and invoices (lines, gap-free number sequences). */
export class ContractsInvoices1763700200000 implements MigrationInterface {
  name = 'ContractsInvoices1763700200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE contracts (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      plan_id VARCHAR(40) NOT NULL,
      currency CHAR(3) NOT NULL,
      status VARCHAR(16) NOT NULL,
      start_date DATETIME(3) NOT NULL,
      end_date DATETIME(3) NULL,
      billing_cycle VARCHAR(16) NOT NULL,
      billing_anchor DATETIME(3) NOT NULL,
      payment_terms_days INT NOT NULL,
      auto_pay BOOLEAN NOT NULL,
      auto_renew BOOLEAN NOT NULL DEFAULT FALSE,
      dimensions JSON NOT NULL,
      source VARCHAR(24) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_contracts_customer (environment_id, customer_id, status),
      KEY ix_contracts_env_id (environment_id, id),
      -- evergreen contracts whose pre-generated invoices must be extended as time passes
      KEY ix_contracts_evergreen (status, end_date),
      CONSTRAINT fk_contracts_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
      CONSTRAINT fk_contracts_plan FOREIGN KEY (plan_id) REFERENCES plans (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE contract_items (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      contract_id VARCHAR(40) NOT NULL,
      plan_id VARCHAR(40) NULL,
      pricing_id VARCHAR(40) NOT NULL,
      position INT NOT NULL,
      quantity DECIMAL(38,9) NOT NULL,
      is_add_on BOOLEAN NOT NULL DEFAULT FALSE,
      starts_at DATETIME(3) NOT NULL,
      ends_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_contract_items_contract (contract_id, starts_at),
      CONSTRAINT fk_contract_items_contract FOREIGN KEY (contract_id) REFERENCES contracts (id) ON DELETE CASCADE,
      CONSTRAINT fk_contract_items_pricing FOREIGN KEY (pricing_id) REFERENCES pricings (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE contract_rate_overrides (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      contract_id VARCHAR(40) NOT NULL,
      meter_id VARCHAR(40) NOT NULL,
      position INT NOT NULL,
      dimensions JSON NOT NULL,
      dimension_key VARCHAR(500) NOT NULL,
      rate DECIMAL(30,12) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_contract_rate_overrides (contract_id, meter_id, dimension_key),
      CONSTRAINT fk_contract_rate_overrides_contract FOREIGN KEY (contract_id) REFERENCES contracts (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE contract_amendments (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      contract_id VARCHAR(40) NOT NULL,
      kind VARCHAR(40) NOT NULL,
      source VARCHAR(24) NOT NULL,
      actor VARCHAR(100) NOT NULL,
      details JSON NOT NULL,
      effective_at DATETIME(3) NOT NULL,
      idempotency_key VARCHAR(200) NULL,
      result JSON NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_contract_amendments_idempotency (environment_id, idempotency_key),
      KEY ix_contract_amendments_contract (contract_id, created_at),
      CONSTRAINT fk_contract_amendments_contract FOREIGN KEY (contract_id) REFERENCES contracts (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE invoices (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      contract_id VARCHAR(40) NULL,
      kind VARCHAR(16) NOT NULL,
      status VARCHAR(16) NOT NULL,
      currency CHAR(3) NOT NULL,
      period_start DATETIME(3) NOT NULL,
      period_end DATETIME(3) NOT NULL,
      number VARCHAR(32) NULL,
      issued_at DATETIME(3) NULL,
      due_date DATETIME(3) NULL,
      subtotal DECIMAL(20,4) NULL,
      credits_applied DECIMAL(20,4) NULL,
      total DECIMAL(20,4) NULL,
      amount_due DECIMAL(20,4) NULL,
      amount_paid DECIMAL(20,4) NOT NULL DEFAULT 0,
      finalized_at DATETIME(3) NULL,
      voided_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_invoices_number (environment_id, number),
      KEY ix_invoices_contract_period (contract_id, period_start),
      KEY ix_invoices_customer (environment_id, customer_id, status, period_start),
      KEY ix_invoices_due_for_finalization (status, period_end),
      KEY ix_invoices_env_id (environment_id, id),
      CONSTRAINT fk_invoices_contract FOREIGN KEY (contract_id) REFERENCES contracts (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE invoice_lines (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      invoice_id VARCHAR(40) NOT NULL,
      position INT NOT NULL,
      kind VARCHAR(16) NOT NULL,
      pricing_id VARCHAR(40) NULL,
      meter_code VARCHAR(100) NULL,
      description VARCHAR(500) NOT NULL,
      dimensions JSON NULL,
      quantity DECIMAL(38,9) NOT NULL,
      rate DECIMAL(30,12) NULL,
      unit_size DECIMAL(38,9) NULL,
      rate_source VARCHAR(16) NULL,
      precise_amount DECIMAL(30,12) NOT NULL,
      amount DECIMAL(20,4) NOT NULL,
      credits_applied DECIMAL(20,4) NOT NULL DEFAULT 0,
      service_from DATETIME(3) NOT NULL,
      service_to DATETIME(3) NOT NULL,
      KEY ix_invoice_lines_invoice (invoice_id, position),
      CONSTRAINT fk_invoice_lines_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    // One row per environment, locked FOR UPDATE while a number is taken: gap-free numbering.
    await q.query(`CREATE TABLE invoice_number_sequences (
      environment_id VARCHAR(40) NOT NULL PRIMARY KEY,
      last_number BIGINT NOT NULL
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'invoice_number_sequences',
      'invoice_lines',
      'invoices',
      'contract_amendments',
      'contract_rate_overrides',
      'contract_items',
      'contracts',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
