import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One-time charges of a contract (an onboarding or setup fee negotiated in a deal).
 *
 * Unlike flat-fee pricings, which bill every period (prorated), a one-time charge is billed once, in full, on
 * the period invoice whose period holds `charge_date`. `amount` is the unit price (DECIMAL(30,12), the scale of
 * rates and flat-fee amounts); the line charges `amount × quantity`, rounded once like every invoice line.
 */
export class OneTimeCharges1763700700000 implements MigrationInterface {
  name = 'OneTimeCharges1763700700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE contract_one_time_charges (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      contract_id VARCHAR(40) NOT NULL,
      position INT NOT NULL,
      description VARCHAR(500) NOT NULL,
      amount DECIMAL(30,12) NOT NULL,
      quantity DECIMAL(38,9) NOT NULL,
      charge_date DATETIME(3) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_contract_one_time_charges_contract (contract_id, charge_date),
      CONSTRAINT fk_contract_one_time_charges_contract FOREIGN KEY (contract_id) REFERENCES contracts (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE contract_one_time_charges');
  }
}
