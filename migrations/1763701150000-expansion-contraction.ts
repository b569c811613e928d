import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Expansion and contraction between the self-serve and sales-led channels.
 *
 * - `expansion_requests`: a self-serve customer asked to talk to sales about a contract. The request is
 *   pushed to Salesforce as an Opportunity (upserted by the request id); `opportunity_id` is learned from
 *   that push, and a won deal with that Opportunity id is an expansion of `contract_id`.
 * - `scheduled_contractions`: a sales-led contract moves onto a self-serve plan at the end of its term;
 *   the self-serve contract (`new_contract_id`) is created at scheduling time, starting the day after the
 *   last day, and cancelled outright if the contraction is cancelled before then.
 * - The Opportunity Tally creates for a request gets a stage and, optionally, a record type chosen per
 *   connection.
 */
export class ExpansionContraction1763701150000 implements MigrationInterface {
  name = 'ExpansionContraction1763701150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE expansion_requests (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      contract_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      note VARCHAR(2000) NULL,
      status VARCHAR(16) NOT NULL,
      opportunity_id VARCHAR(18) NULL,
      new_contract_id VARCHAR(40) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_expansion_requests_contract (contract_id, status),
      UNIQUE KEY uq_expansion_requests_opportunity (environment_id, opportunity_id),
      CONSTRAINT fk_expansion_requests_contract FOREIGN KEY (contract_id) REFERENCES contracts (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE scheduled_contractions (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      contract_id VARCHAR(40) NOT NULL,
      plan_id VARCHAR(40) NOT NULL,
      new_contract_id VARCHAR(40) NOT NULL,
      effective_at DATETIME(3) NOT NULL,
      status VARCHAR(16) NOT NULL,
      previous_auto_renew BOOLEAN NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_scheduled_contractions_contract (contract_id, status),
      CONSTRAINT fk_scheduled_contractions_contract FOREIGN KEY (contract_id) REFERENCES contracts (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    await q.query(`ALTER TABLE salesforce_connections
      ADD COLUMN expansion_stage_name VARCHAR(40) NOT NULL DEFAULT 'Prospecting',
      ADD COLUMN expansion_record_type_id VARCHAR(18) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE salesforce_connections DROP COLUMN expansion_record_type_id, DROP COLUMN expansion_stage_name',
    );
    await q.query('DROP TABLE scheduled_contractions');
    await q.query('DROP TABLE expansion_requests');
  }
}
