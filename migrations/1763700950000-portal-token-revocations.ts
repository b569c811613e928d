import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Portal tokens are stateless (signed), so revoking them needs a little state: each customer's token
 * generation. A token carries the generation it was issued under; revoking (or rotating) a customer's
 * tokens bumps the generation, and every token of an earlier one is refused from then on. No row means
 * generation 0, the generation of every token issued before this table existed.
 */
export class PortalTokenRevocations1763700950000 implements MigrationInterface {
  name = 'PortalTokenRevocations1763700950000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE portal_token_revocations (
      environment_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      generation INT NOT NULL,
      revoked_at DATETIME(3) NOT NULL,
      PRIMARY KEY (environment_id, customer_id),
      CONSTRAINT fk_portal_token_revocations_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS portal_token_revocations');
  }
}
