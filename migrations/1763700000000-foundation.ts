import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Organizations, environments, API keys, customers and the catalog (meters, rate cards, pricing, plans). */
export class Foundation1763700000000 implements MigrationInterface {
  name = 'Foundation1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE organizations (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      created_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE environments (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      organization_id VARCHAR(40) NOT NULL,
      name VARCHAR(100) NOT NULL,
      kind VARCHAR(16) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_environments_org_name (organization_id, name),
      CONSTRAINT fk_environments_org FOREIGN KEY (organization_id) REFERENCES organizations (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE api_keys (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      name VARCHAR(100) NOT NULL,
      prefix VARCHAR(24) NOT NULL,
      key_hash CHAR(64) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      revoked_at DATETIME(3) NULL,
      UNIQUE KEY uq_api_keys_hash (key_hash),
      KEY ix_api_keys_env (environment_id, id),
      CONSTRAINT fk_api_keys_env FOREIGN KEY (environment_id) REFERENCES environments (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE customers (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      name VARCHAR(200) NOT NULL COLLATE utf8mb4_unicode_ci,
      external_id VARCHAR(200) NULL,
      email VARCHAR(320) NULL,
      salesforce_account_id VARCHAR(18) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_customers_external_id (environment_id, external_id),
      UNIQUE KEY uq_customers_sf_account (environment_id, salesforce_account_id),
      KEY ix_customers_env_id (environment_id, id),
      KEY ix_customers_env_name (environment_id, name)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE meters (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      code VARCHAR(100) NOT NULL,
      display_name VARCHAR(200) NOT NULL,
      event_name VARCHAR(200) NOT NULL,
      aggregation VARCHAR(16) NOT NULL,
      aggregation_key VARCHAR(200) NULL,
      group_keys JSON NOT NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_meters_code (environment_id, code),
      KEY ix_meters_event_name (environment_id, event_name),
      KEY ix_meters_env_id (environment_id, id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE rate_cards (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      meter_id VARCHAR(40) NOT NULL,
      name VARCHAR(200) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_rate_cards_meter (environment_id, meter_id),
      KEY ix_rate_cards_env_id (environment_id, id),
      CONSTRAINT fk_rate_cards_meter FOREIGN KEY (meter_id) REFERENCES meters (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE rate_card_entries (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      rate_card_id VARCHAR(40) NOT NULL,
      position INT NOT NULL,
      dimensions JSON NOT NULL,
      dimension_key VARCHAR(500) NOT NULL,
      rate DECIMAL(30,12) NOT NULL,
      effective_from DATETIME(3) NOT NULL,
      effective_to DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_rate_card_entries_card (rate_card_id, dimension_key, effective_from),
      KEY ix_rate_card_entries_position (rate_card_id, position),
      CONSTRAINT fk_rate_card_entries_card FOREIGN KEY (rate_card_id) REFERENCES rate_cards (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE pricings (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      name VARCHAR(200) NOT NULL,
      kind VARCHAR(16) NOT NULL,
      meter_id VARCHAR(40) NULL,
      model VARCHAR(16) NULL,
      unit_size DECIMAL(38,9) NOT NULL,
      fallback_rate DECIMAL(30,12) NULL,
      rate_card_id VARCHAR(40) NULL,
      tiers JSON NULL,
      flat_amount DECIMAL(30,12) NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_pricings_env_id (environment_id, id),
      KEY ix_pricings_meter (meter_id),
      CONSTRAINT fk_pricings_meter FOREIGN KEY (meter_id) REFERENCES meters (id) ON DELETE CASCADE,
      CONSTRAINT fk_pricings_rate_card FOREIGN KEY (rate_card_id) REFERENCES rate_cards (id) ON DELETE SET NULL
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE plans (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      name VARCHAR(200) NOT NULL,
      description VARCHAR(1000) NULL,
      currency CHAR(3) NOT NULL,
      net_terms_days INT NOT NULL,
      auto_pay BOOLEAN NOT NULL,
      billing_cycle VARCHAR(16) NOT NULL,
      is_public BOOLEAN NOT NULL DEFAULT FALSE,
      created_at DATETIME(3) NOT NULL,
      KEY ix_plans_env_id (environment_id, id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE plan_items (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      plan_id VARCHAR(40) NOT NULL,
      pricing_id VARCHAR(40) NOT NULL,
      position INT NOT NULL,
      quantity DECIMAL(38,9) NOT NULL,
      UNIQUE KEY uq_plan_items (plan_id, pricing_id),
      KEY ix_plan_items_pricing (pricing_id),
      CONSTRAINT fk_plan_items_plan FOREIGN KEY (plan_id) REFERENCES plans (id) ON DELETE CASCADE,
      CONSTRAINT fk_plan_items_pricing FOREIGN KEY (pricing_id) REFERENCES pricings (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'plan_items',
      'plans',
      'pricings',
      'rate_card_entries',
      'rate_cards',
      'meters',
      'customers',
      'api_keys',
      'environments',
      'organizations',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
