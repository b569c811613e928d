import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A contract's notice period: how many days before its end the customer must turn auto-renew off (or
 * cancel) for the contract not to renew. NULL = no notice required, the behaviour of every existing contract.
 */
export class RenewalNotice1763702400000 implements MigrationInterface {
  name = 'RenewalNotice1763702400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE contracts ADD COLUMN renewal_notice_days SMALLINT UNSIGNED NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE contracts DROP COLUMN renewal_notice_days');
  }
}
