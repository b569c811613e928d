import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keys, codes and dimension values compare exactly, trailing spaces included. The database default,
 * utf8mb4_bin, is a PAD SPACE collation in MariaDB: "gpt-3.5 " and "gpt-3.5" were one dimension value, and
 * idempotency keys "k" and "k " one key. utf8mb4_nopad_bin compares the bytes as they are. Every column
 * below is a key, code or dimension column whose values come from callers; generated ids never end with a
 * space and keep the default. Existing rows cannot hold two values differing only by trailing spaces under a
 * unique key (PAD SPACE made them equal), so the unique indexes rebuild without conflicts.
 *
 * `meters.allow_negative`: a SUM meter declared signed accepts negative event values (corrections); every
 * other meter refuses them at ingestion. Existing meters are unsigned, the behaviour the docs describe.
 */
const EXACT_COLUMNS: ReadonlyArray<[table: string, column: string, definition: string]> = [
  ['customers', 'external_id', 'VARCHAR(200) NULL'],
  ['meters', 'code', 'VARCHAR(100) NOT NULL'],
  ['meters', 'event_name', 'VARCHAR(200) NOT NULL'],
  ['meters', 'aggregation_key', 'VARCHAR(200) NULL'],
  ['rate_card_entries', 'dimension_key', 'VARCHAR(500) NOT NULL'],
  ['usage_events', 'event_name', 'VARCHAR(200) NOT NULL'],
  ['usage_events', 'idempotency_key', 'VARCHAR(255) NOT NULL'],
  ['usage_aggregates', 'dimension_key', 'VARCHAR(500) NOT NULL'],
  ['usage_distinct_values', 'dimension_key', 'VARCHAR(500) NOT NULL'],
  ['contract_rate_overrides', 'dimension_key', 'VARCHAR(500) NOT NULL'],
  ['contract_amendments', 'idempotency_key', 'VARCHAR(200) NULL'],
  ['invoice_lines', 'meter_code', 'VARCHAR(100) NULL'],
  ['credit_grants', 'idempotency_key', 'VARCHAR(200) NULL'],
  ['credit_ledger_entries', 'dedupe_key', 'VARCHAR(100) NOT NULL'],
  ['credit_ledger_entries', 'meter_code', 'VARCHAR(100) NULL'],
  ['product_mappings', 'product_code', 'VARCHAR(255) NOT NULL'],
  ['crm_outbox', 'external_id', 'VARCHAR(255) NOT NULL'],
  ['crm_outbox', 'pending_key', 'VARCHAR(300) NULL'],
  ['idempotency_records', 'idempotency_key', 'VARCHAR(200) NOT NULL'],
  ['payments', 'reference', 'VARCHAR(200) NOT NULL'],
];

function byTable(collation: string): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const [table, column, definition] of EXACT_COLUMNS) {
    const clause = `MODIFY ${column} ${definition.replace(/ (NOT )?NULL$/, ` COLLATE ${collation}$&`)}`;
    tables.set(table, [...(tables.get(table) ?? []), clause]);
  }
  return tables;
}

export class ExactKeysSignedMeters1763700800000 implements MigrationInterface {
  name = 'ExactKeysSignedMeters1763700800000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, clauses] of byTable('utf8mb4_nopad_bin')) {
      await q.query(`ALTER TABLE ${table} ${clauses.join(', ')}`);
    }
    await q.query(
      'ALTER TABLE meters ADD COLUMN allow_negative BOOLEAN NOT NULL DEFAULT FALSE AFTER group_keys',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE meters DROP COLUMN allow_negative');
    // Back to PAD SPACE: fails on a unique key whose values now differ only by trailing spaces.
    for (const [table, clauses] of byTable('utf8mb4_bin')) {
      await q.query(`ALTER TABLE ${table} ${clauses.join(', ')}`);
    }
  }
}
