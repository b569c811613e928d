import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage events (append-only), their hourly roll-ups, the exact distinct-value sets behind UNIQUE_COUNT,
 * and the aggregator's progress.
 *
 * usage_events indexes and the queries they serve:
 *   PRIMARY (id)                          the aggregator reads new events by id range (watermark), and
 *                                         a backfill for a meter created later scans id ranges.
 *   uq_usage_events_key                   the dedupe rule: one event per (environment, customer,
 *     (environment_id, customer_id,       idempotency_key), enforced by the database (INSERT IGNORE),
 *      idempotency_key)                   never by a read-then-write.
 *   ix_usage_events_customer_time         explorer with a customer (the "events behind this invoice line"
 *     (environment_id, customer_id,       view): equality on customer, range on occurred_at, rows come
 *      occurred_at, id)                   out already in the explorer's order (occurred_at DESC, id DESC),
 *                                         so a page reads `first + 1` index entries, whatever the table size.
 *   ix_usage_events_customer_name_time    the same with an event name (a meter's events of a customer).
 *     (environment_id, customer_id,
 *      event_name, occurred_at, id)
 *   ix_usage_events_env_time              explorer without a customer (whole environment, newest first);
 *     (environment_id, occurred_at, id)   an event-name filter is then applied to the index-ordered rows.
 * A `dimensions` filter ({"region": "US"}) is not indexed: it is applied to `properties` while walking one of
 * the ranges above, so it stays cheap when the customer/time range is narrow or the values are common, and
 * costs a scan of that range when matches are rare. Dimension values are indexed where billing needs them:
 * in usage_aggregates.dimension_key.
 *
 * `ingest_batch` is a random per-request marker: after one INSERT IGNORE the ingestion service tells its own
 * new rows from rows that already existed (duplicates) exactly, even under concurrency.
 */
export class UsageEvents1763700100000 implements MigrationInterface {
  name = 'UsageEvents1763700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE usage_events (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      event_name VARCHAR(200) NOT NULL,
      idempotency_key VARCHAR(255) NOT NULL,
      occurred_at DATETIME(3) NOT NULL,
      received_at DATETIME(3) NOT NULL,
      ingest_batch BIGINT UNSIGNED NOT NULL,
      properties JSON NOT NULL,
      UNIQUE KEY uq_usage_events_key (environment_id, customer_id, idempotency_key),
      KEY ix_usage_events_customer_time (environment_id, customer_id, occurred_at, id),
      KEY ix_usage_events_customer_name_time (environment_id, customer_id, event_name, occurred_at, id),
      KEY ix_usage_events_env_time (environment_id, occurred_at, id)
    ) ENGINE=InnoDB`);

    // One row per (customer, meter, hour, dimension combination). The hour leads the dimension key in the
    // primary key so a period query is a range scan over (environment, customer, meter, hour).
    // `dimension_key` is canonicalDimensionKey() of the meter's group-key values (missing ones = "none").
    await q.query(`CREATE TABLE usage_aggregates (
      environment_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      meter_id VARCHAR(40) NOT NULL,
      bucket_start DATETIME NOT NULL,
      dimension_key VARCHAR(500) NOT NULL,
      event_count BIGINT UNSIGNED NOT NULL,
      sum_value DECIMAL(38,9) NOT NULL,
      max_value DECIMAL(38,9) NULL,
      latest_value DECIMAL(38,9) NULL,
      latest_at DATETIME(3) NULL,
      latest_event_id BIGINT UNSIGNED NULL,
      updated_at DATETIME(3) NOT NULL,
      PRIMARY KEY (environment_id, customer_id, meter_id, bucket_start, dimension_key)
    ) ENGINE=InnoDB`);

    // Distinct values seen per hour, so a period's UNIQUE_COUNT is COUNT(DISTINCT value_hash) over the
    // period's hours: exact, not a sum of per-hour counts. value_hash = first 16 bytes of SHA-256.
    await q.query(`CREATE TABLE usage_distinct_values (
      environment_id VARCHAR(40) NOT NULL,
      customer_id VARCHAR(40) NOT NULL,
      meter_id VARCHAR(40) NOT NULL,
      bucket_start DATETIME NOT NULL,
      dimension_key VARCHAR(500) NOT NULL,
      value_hash BINARY(16) NOT NULL,
      PRIMARY KEY (environment_id, customer_id, meter_id, bucket_start, dimension_key, value_hash)
    ) ENGINE=InnoDB`);

    // The live aggregator's watermark: every event id <= last_event_id is aggregated, except ids listed in
    // pending_gaps ([[firstId, lastId, firstSeenMs], ...]): ids that were allocated but not yet committed when
    // the aggregator passed them (concurrent inserts commit out of id order), re-checked until they appear
    // or are old enough to be holes left by duplicates and rollbacks. Updated in the same transaction as the
    // aggregate upserts, so a crash neither skips nor double counts.
    await q.query(`CREATE TABLE usage_aggregator_progress (
      stream VARCHAR(64) NOT NULL PRIMARY KEY,
      last_event_id BIGINT UNSIGNED NOT NULL,
      pending_gaps JSON NOT NULL,
      updated_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB`);
    await q.query(
      `INSERT INTO usage_aggregator_progress (stream, last_event_id, pending_gaps, updated_at)
       VALUES ('live', 0, '[]', UTC_TIMESTAMP(3))`,
    );

    // Meters the aggregator knows. A meter first seen when events already exist gets a backfill: the events
    // with id <= through_event_id (minus the live stream's pending gaps at that moment, which the live stream
    // will still handle) are rolled up for that meter alone, next_event_id tracking how far it got.
    await q.query(`CREATE TABLE usage_meter_backfills (
      meter_id VARCHAR(40) NOT NULL PRIMARY KEY,
      environment_id VARCHAR(40) NOT NULL,
      next_event_id BIGINT UNSIGNED NOT NULL,
      through_event_id BIGINT UNSIGNED NOT NULL,
      skip_ranges JSON NOT NULL,
      registered_at DATETIME(3) NOT NULL,
      completed_at DATETIME(3) NULL,
      KEY ix_usage_meter_backfills_pending (completed_at)
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'usage_meter_backfills',
      'usage_aggregator_progress',
      'usage_distinct_values',
      'usage_aggregates',
      'usage_events',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
