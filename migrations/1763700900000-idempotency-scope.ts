import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys get a scope: portal callers (customers self-serving) each have a key space of their
 * own, so one customer's key can neither collide with another's nor reveal which operation it ran.
 * `scope` is the customer id for portal callers and '' for operators (API keys, the system), whose keys
 * stay shared across the environment as before.
 *
 * The amendment a keyed change writes keeps its key as a record of the request, but no longer under a
 * unique (environment_id, idempotency_key): two customers may now use the same key. The idempotency
 * record, inserted first in the same transaction, is what makes a key run once.
 */
export class IdempotencyScope1763700900000 implements MigrationInterface {
  name = 'IdempotencyScope1763700900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_records
      ADD COLUMN scope VARCHAR(40) NOT NULL DEFAULT '' AFTER environment_id,
      DROP INDEX uq_idempotency_records_key,
      ADD UNIQUE KEY uq_idempotency_records_key (environment_id, scope, idempotency_key)`);
    await q.query(`ALTER TABLE contract_amendments
      DROP INDEX uq_contract_amendments_idempotency,
      ADD KEY ix_contract_amendments_idempotency (environment_id, idempotency_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Fails when two scopes hold the same key: they cannot share one key space again.
    await q.query(`ALTER TABLE contract_amendments
      DROP INDEX ix_contract_amendments_idempotency,
      ADD UNIQUE KEY uq_contract_amendments_idempotency (environment_id, idempotency_key)`);
    await q.query(`ALTER TABLE idempotency_records
      DROP INDEX uq_idempotency_records_key,
      ADD UNIQUE KEY uq_idempotency_records_key (environment_id, idempotency_key),
      DROP COLUMN scope`);
  }
}
