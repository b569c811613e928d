import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Free units: the first N units of a usage pricing in each billing period cost nothing. A quantity column
 * (DECIMAL(38,9), like unit_size); 0 keeps every existing pricing as it was.
 */
export class PricingFreeUnits1763702310000 implements MigrationInterface {
  name = 'PricingFreeUnits1763702310000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE pricings ADD COLUMN free_units DECIMAL(38,9) NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE pricings DROP COLUMN free_units');
  }
}
