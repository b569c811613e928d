import type { RequestContext } from '../../context';
import type { UsageRollup } from '../../domain/usage-rollup';
import { rowPlaceholders, runQuery, sqlDateTime } from './usage-sql';

const UPSERT_ROWS_PER_STATEMENT = 1_000;

/** Points inside a rollup write where a test can make the aggregator fail (see UsageAggregationService). */
export type RollupWriteStage = 'after-aggregates' | 'after-distinct-values';

/**
 * Adds a rollup's deltas to usage_aggregates and its distinct values to usage_distinct_values, in the
 * caller's transaction, 1,000 rows per statement. `reached` is called after each of the two tables.
 */
export async function writeRollup(
  tx: RequestContext,
  rollup: UsageRollup,
  reached: (stage: RollupWriteStage) => void,
): Promise<void> {
  const now = sqlDateTime(tx.now());
  const deltas = rollup.aggregateDeltas();
  for (let i = 0; i < deltas.length; i += UPSERT_ROWS_PER_STATEMENT) {
    const slice = deltas.slice(i, i + UPSERT_ROWS_PER_STATEMENT);
    const params = slice.flatMap((d) => [
      d.environmentId,
      d.customerId,
      d.meterId,
      sqlDateTime(d.bucketStart),
      d.dimensionKey,
      d.eventCount,
      d.sum.toFixed(),
      d.max?.toFixed() ?? null,
      d.latestValue?.toFixed() ?? null,
      d.latestAt ? sqlDateTime(d.latestAt) : null,
      d.latestEventId,
      now,
    ]);
    // MariaDB evaluates the assignments left to right: latest_value and latest_event_id compare against
    // the old latest_at/latest_event_id, so latest_at (a plain maximum) is assigned last.
    const newer = `(latest_at IS NULL OR VALUES(latest_at) > latest_at
      OR (VALUES(latest_at) = latest_at AND VALUES(latest_event_id) > latest_event_id))`;
    await runQuery(
      tx,
      `INSERT INTO usage_aggregates
         (environment_id, customer_id, meter_id, bucket_start, dimension_key, event_count, sum_value,
          max_value, latest_value, latest_at, latest_event_id, updated_at)
       VALUES ${rowPlaceholders(slice.length, 12)}
       ON DUPLICATE KEY UPDATE
         event_count = event_count + VALUES(event_count),
         sum_value = sum_value + VALUES(sum_value),
         max_value = COALESCE(GREATEST(max_value, VALUES(max_value)), max_value, VALUES(max_value)),
         latest_value = IF(VALUES(latest_at) IS NOT NULL AND ${newer}, VALUES(latest_value), latest_value),
         latest_event_id = IF(VALUES(latest_at) IS NOT NULL AND ${newer}, VALUES(latest_event_id), latest_event_id),
         latest_at = COALESCE(GREATEST(latest_at, VALUES(latest_at)), latest_at, VALUES(latest_at)),
         updated_at = VALUES(updated_at)`,
      params,
    );
  }
  reached('after-aggregates');
  const distinct = rollup.distinctValues();
  for (let i = 0; i < distinct.length; i += UPSERT_ROWS_PER_STATEMENT) {
    const slice = distinct.slice(i, i + UPSERT_ROWS_PER_STATEMENT);
    await runQuery(
      tx,
      // Only a value already seen is skipped; IGNORE would also drop (or truncate) a row the database refuses.
      `INSERT INTO usage_distinct_values
         (environment_id, customer_id, meter_id, bucket_start, dimension_key, value_hash)
       VALUES ${rowPlaceholders(slice.length, 6)}
       ON DUPLICATE KEY UPDATE value_hash = value_hash`,
      slice.flatMap((d) => [
        d.environmentId,
        d.customerId,
        d.meterId,
        sqlDateTime(d.bucketStart),
        d.dimensionKey,
        d.valueHash,
      ]),
    );
  }
  reached('after-distinct-values');
}
