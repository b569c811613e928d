import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: endpoints an environment registers, the events billing changes record (a transactional
 * outbox: written in the same transaction as the change), one delivery per event and subscribed endpoint,
 * and every HTTP attempt of a delivery.
 *
 * `webhook_events.seq` is allocated in insertion order; changes to one object hold that object's row lock,
 * so for one object it is also commit order, and deliveries of one (endpoint, object) go out by `event_seq`.
 * `claim_token`/`claimed_until` are a lease the worker takes in a short transaction (SKIP LOCKED), so no
 * row lock is held while the HTTP call runs; a worker that dies leaves the lease to expire.
 */
export class Webhooks1763701800000 implements MigrationInterface {
  name = 'Webhooks1763701800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_endpoints (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      url VARCHAR(2048) NOT NULL,
      description VARCHAR(500) NULL,
      event_types JSON NOT NULL,
      secret VARCHAR(100) NOT NULL,
      status VARCHAR(16) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_webhook_endpoints_env (environment_id, id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE webhook_events (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE,
      environment_id VARCHAR(40) NOT NULL,
      type VARCHAR(64) NOT NULL,
      object_id VARCHAR(40) NOT NULL,
      body JSON NOT NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_webhook_events_env (environment_id, created_at)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE webhook_deliveries (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      endpoint_id VARCHAR(40) NOT NULL,
      event_id VARCHAR(40) NOT NULL,
      event_seq BIGINT UNSIGNED NOT NULL,
      object_id VARCHAR(40) NOT NULL,
      status VARCHAR(16) NOT NULL,
      attempts INT NOT NULL,
      next_attempt_at DATETIME(3) NOT NULL,
      claim_token VARCHAR(40) NULL,
      claimed_until DATETIME(3) NULL,
      last_status_code INT NULL,
      last_error VARCHAR(1000) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      delivered_at DATETIME(3) NULL,
      KEY ix_webhook_deliveries_due (status, next_attempt_at),
      KEY ix_webhook_deliveries_order (endpoint_id, object_id, status, event_seq),
      KEY ix_webhook_deliveries_endpoint (endpoint_id, status, id),
      KEY ix_webhook_deliveries_event (event_id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE webhook_delivery_attempts (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      delivery_id VARCHAR(40) NOT NULL,
      attempted_at DATETIME(3) NOT NULL,
      status_code INT NULL,
      latency_ms INT NOT NULL,
      outcome VARCHAR(16) NOT NULL,
      error VARCHAR(500) NULL,
      response_excerpt VARCHAR(1024) NULL,
      KEY ix_webhook_attempts_delivery (delivery_id, id)
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhook_delivery_attempts');
    await q.query('DROP TABLE webhook_deliveries');
    await q.query('DROP TABLE webhook_events');
    await q.query('DROP TABLE webhook_endpoints');
  }
}
