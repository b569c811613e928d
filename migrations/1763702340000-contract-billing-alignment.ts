import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calendar billing: a contract's periods follow its anniversary (ANNIVERSARY, every existing contract) or
 * the calendar (CALENDAR: months from the 1st, quarters, half-years, years, weeks from Monday) with a
 * prorated first stub.
 */
export class ContractBillingAlignment1763702340000 implements MigrationInterface {
  name = 'ContractBillingAlignment1763702340000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      "ALTER TABLE contracts ADD COLUMN billing_alignment VARCHAR(16) NOT NULL DEFAULT 'ANNIVERSARY'",
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE contracts DROP COLUMN billing_alignment');
  }
}
