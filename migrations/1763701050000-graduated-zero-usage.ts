import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A per-pricing choice for GRADUATED pricings whose first tier has a flat amount: whether a period with zero
 * usage bills that flat amount (as some billing systems do) or nothing. FALSE keeps the behaviour of every
 * existing pricing (zero usage reaches no tier and costs nothing).
 */
export class GraduatedZeroUsage1763701050000 implements MigrationInterface {
  name = 'GraduatedZeroUsage1763701050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE pricings ADD COLUMN bill_first_tier_flat_at_zero_usage BOOLEAN NOT NULL DEFAULT FALSE',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE pricings DROP COLUMN bill_first_tier_flat_at_zero_usage');
  }
}
