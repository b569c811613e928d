import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit notes and the customer balance.
 *
 * - credit_notes / credit_note_lines: a correction of a finalized invoice, by line, never above what is left
 *   to credit on each line; numbered `CN-000001` on their own gap-free sequence per environment
 *   (credit_note_number_sequences, the invoice numbers' technique). `refund` says where the money goes:
 *   BALANCE (the customer's balance), REFUND (paid back outside Tally) or NONE.
 * - customer_balance_entries: the customer's balance per currency as an append-only ledger (CREDIT_NOTE
 *   adds, APPLIED spends on an invoice at finalization, REVERSAL gives back what a voided invoice spent);
 *   the balance is the sum of the entries.
 * - invoices.balance_applied: what the customer's balance paid of the invoice (before prepaid credits).
 */
export class CreditNotes1763702100000 implements MigrationInterface {
  name = 'CreditNotes1763702100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE credit_notes (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      invoice_id VARCHAR(40) NOT NULL,
      number VARCHAR(32) NOT NULL,
      currency CHAR(3) NOT NULL,
      reason VARCHAR(500) NOT NULL,
      refund VARCHAR(8) NOT NULL,
      total DECIMAL(20,4) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_credit_notes_number (environment_id, number),
      KEY ix_credit_notes_invoice (invoice_id),
      KEY ix_credit_notes_customer (environment_id, customer_id, id),
      CONSTRAINT fk_credit_notes_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE credit_note_lines (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      credit_note_id VARCHAR(40) NOT NULL,
      invoice_line_id VARCHAR(40) NOT NULL,
      position INT NOT NULL,
      description VARCHAR(500) NOT NULL,
      quantity DECIMAL(38,9) NULL,
      amount DECIMAL(20,4) NOT NULL,
      KEY ix_credit_note_lines_note (credit_note_id, position),
      KEY ix_credit_note_lines_invoice_line (invoice_line_id),
      CONSTRAINT fk_credit_note_lines_note FOREIGN KEY (credit_note_id) REFERENCES credit_notes (id),
      CONSTRAINT fk_credit_note_lines_invoice_line FOREIGN KEY (invoice_line_id) REFERENCES invoice_lines (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE credit_note_number_sequences (
      environment_id VARCHAR(40) NOT NULL PRIMARY KEY,
      last_number BIGINT NOT NULL
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE customer_balance_entries (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      currency CHAR(3) NOT NULL,
      kind VARCHAR(16) NOT NULL,
      amount DECIMAL(20,4) NOT NULL,
      credit_note_id VARCHAR(40) NULL,
      invoice_id VARCHAR(40) NULL,
      description VARCHAR(500) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_customer_balance_entries_customer (environment_id, customer_id, currency),
      KEY ix_customer_balance_entries_invoice (invoice_id)
    ) ENGINE=InnoDB`);
    await q.query(
      'ALTER TABLE invoices ADD COLUMN balance_applied DECIMAL(20,4) NOT NULL DEFAULT 0 AFTER credit_balance_remaining',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE invoices DROP COLUMN balance_applied');
    for (const table of [
      'customer_balance_entries',
      'credit_note_number_sequences',
      'credit_note_lines',
      'credit_notes',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
