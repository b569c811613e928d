import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PERCENTAGE pricing: the percentage of a summed amount (`percent`, 2.9 = 2.9 %) and a fixed fee per
 * transaction. Rate columns (DECIMAL(30,12)); NULL on every other pricing.
 */
export class PricingPercentage1763702320000 implements MigrationInterface {
  name = 'PricingPercentage1763702320000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE pricings ADD COLUMN percent DECIMAL(30,12) NULL, ADD COLUMN fee_per_transaction DECIMAL(30,12) NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE pricings DROP COLUMN percent, DROP COLUMN fee_per_transaction');
  }
}
