import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sandboxes that delete themselves: `expires_at` (NULL = kept until deleted, as every existing environment),
 * indexed for the worker that looks for expired ones.
 */
export class SandboxExpiry1763702410000 implements MigrationInterface {
  name = 'SandboxExpiry1763702410000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE environments ADD COLUMN expires_at DATETIME(3) NULL');
    await q.query('CREATE INDEX idx_environments_expires_at ON environments (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_environments_expires_at ON environments');
    await q.query('ALTER TABLE environments DROP COLUMN expires_at');
  }
}
