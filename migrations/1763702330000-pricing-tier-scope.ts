import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tier scope: whether a tiered (or package, or percentage) pricing prices the total across dimension
 * combinations (TOTAL, every existing pricing) or each combination on its own ladder (PER_GROUP).
 */
export class PricingTierScope1763702330000 implements MigrationInterface {
  name = 'PricingTierScope1763702330000';

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE pricings ADD COLUMN tier_scope VARCHAR(16) NOT NULL DEFAULT 'TOTAL'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE pricings DROP COLUMN tier_scope');
  }
}
