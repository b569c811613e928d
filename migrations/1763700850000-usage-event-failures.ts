import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage events the aggregator set aside: events it could not roll up (a value its aggregate columns cannot
 * hold, a malformed property…). A failing chunk is bisected down to the offending event, which is recorded
 * here, in the same transaction that moves the watermark past it, and everything else is aggregated.
 *
 * `meter_ids` are the meters the event was being rolled up for when it failed (the live stream's registered
 * meters of its event name, or the one meter of a backfill): a retry rolls it up for exactly those, since
 * meters registered later cover the event through their own backfill.
 * `retry_requested_at` is set by retryUsageEventFailures; the aggregator then rolls the event up again and
 * sets `resolved_at` in the same transaction as the aggregates (so it is counted exactly once), or records
 * the new failure and clears the request.
 */
export class UsageEventFailures1763700850000 implements MigrationInterface {
  name = 'UsageEventFailures1763700850000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE usage_event_failures (
      id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      event_id BIGINT UNSIGNED NOT NULL,
      meter_ids JSON NOT NULL,
      code VARCHAR(64) NOT NULL,
      reason VARCHAR(1000) NOT NULL,
      attempts INT UNSIGNED NOT NULL,
      failed_at DATETIME(3) NOT NULL,
      retry_requested_at DATETIME(3) NULL,
      resolved_at DATETIME(3) NULL,
      KEY ix_usage_event_failures_env (environment_id, id),
      KEY ix_usage_event_failures_retry (retry_requested_at),
      KEY ix_usage_event_failures_event (event_id)
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE usage_event_failures');
  }
}
