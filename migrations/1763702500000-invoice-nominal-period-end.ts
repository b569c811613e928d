import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The end a period invoice's billing period has in its cycle (`nominal_period_end`), kept when the
 * invoice is cut short by a cancellation: the proration denominator. Without it, an invoice whose period
 * no longer appears in the contract's schedule (the cycle changed after it) could only fall back to its
 * own, cut, dates and would bill a cut period's fees in full.
 */
export class InvoiceNominalPeriodEnd1763702500000 implements MigrationInterface {
  name = 'InvoiceNominalPeriodEnd1763702500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE invoices ADD COLUMN nominal_period_end DATETIME(3) NULL AFTER period_end');
    await q.query("UPDATE invoices SET nominal_period_end = period_end WHERE kind = 'PERIOD'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE invoices DROP COLUMN nominal_period_end');
  }
}
