import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customers' payment methods: a processor's token for a card or bank account (never the card number), with
 * what the processor says about it (brand, last four digits, expiry) and which one is the default.
 * Removed methods stay as history (`removed_at`).
 */
export class PaymentMethods1763702420000 implements MigrationInterface {
  name = 'PaymentMethods1763702420000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE payment_methods (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      provider VARCHAR(40) NOT NULL,
      provider_token VARCHAR(200) COLLATE utf8mb4_nopad_bin NOT NULL,
      brand VARCHAR(40) NULL,
      last4 VARCHAR(4) NULL,
      exp_month SMALLINT UNSIGNED NULL,
      exp_year SMALLINT UNSIGNED NULL,
      is_default BOOLEAN NOT NULL DEFAULT FALSE,
      created_at DATETIME(3) NOT NULL,
      removed_at DATETIME(3) NULL,
      UNIQUE KEY uq_payment_methods_token (environment_id, provider, provider_token),
      KEY ix_payment_methods_customer (environment_id, customer_id, created_at),
      CONSTRAINT fk_payment_methods_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE payment_methods');
  }
}
