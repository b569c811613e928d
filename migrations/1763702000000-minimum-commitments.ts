import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Commitments a contract bills by, and per-pricing spending bounds.
 *
 * - contracts.minimum_commitment_*: a minimum spend per billing period, contract year or the whole term
 *   (amount in the contract's currency, rounded money like invoice totals), optionally over chosen pricings
 *   only (JSON array of ids, null = everything), and whether credits count towards it (default not).
 * - contracts.rollover_*: at renewal, the fraction (0–1) and/or the cap of unused prepaid credits moved to a
 *   grant of the new term; null = no rollover.
 * - pricings.minimum_amount / maximum_amount: per-period spending bounds applied per invoice line (same scale
 *   as flat-fee amounts).
 * - invoice_lines.bound / unbounded_amount: which bound changed a line (MINIMUM or MAXIMUM) and what the line
 *   came to before it, so the invoice shows both.
 */
export class MinimumCommitments1763702000000 implements MigrationInterface {
  name = 'MinimumCommitments1763702000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contracts
      ADD COLUMN minimum_commitment_amount DECIMAL(20,4) NULL,
      ADD COLUMN minimum_commitment_scope VARCHAR(16) NULL,
      ADD COLUMN minimum_commitment_pricing_ids JSON NULL,
      ADD COLUMN minimum_commitment_credits_count BOOLEAN NOT NULL DEFAULT FALSE,
      ADD COLUMN rollover_fraction DECIMAL(5,4) NULL,
      ADD COLUMN rollover_cap DECIMAL(20,4) NULL`);
    await q.query(`ALTER TABLE pricings
      ADD COLUMN minimum_amount DECIMAL(30,12) NULL,
      ADD COLUMN maximum_amount DECIMAL(30,12) NULL`);
    await q.query(`ALTER TABLE invoice_lines
      ADD COLUMN bound VARCHAR(8) NULL,
      ADD COLUMN unbounded_amount DECIMAL(20,4) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE invoice_lines DROP COLUMN bound, DROP COLUMN unbounded_amount');
    await q.query('ALTER TABLE pricings DROP COLUMN minimum_amount, DROP COLUMN maximum_amount');
    await q.query(`ALTER TABLE contracts
      DROP COLUMN minimum_commitment_amount, DROP COLUMN minimum_commitment_scope,
      DROP COLUMN minimum_commitment_pricing_ids, DROP COLUMN minimum_commitment_credits_count,
      DROP COLUMN rollover_fraction, DROP COLUMN rollover_cap`);
  }
}
