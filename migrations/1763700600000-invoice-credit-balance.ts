import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invoices remember the customer's credit balance right after their drawdown.
 *
 * A draft shows "credits applied" and "remaining balance" live; at finalization both are frozen. The applied
 * amount already had a column; the remaining balance is stored here because it cannot be rebuilt later from
 * the ledger without replaying it up to the moment of finalization. NULL for invoices that never went
 * through a drawdown (commitment invoices, drafts, invoices finalized before this column existed).
 */
export class InvoiceCreditBalance1763700600000 implements MigrationInterface {
  name = 'InvoiceCreditBalance1763700600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE invoices ADD COLUMN credit_balance_remaining DECIMAL(20,4) NULL AFTER credits_applied',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE invoices DROP COLUMN credit_balance_remaining');
  }
}
