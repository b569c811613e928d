import type { RequestContext } from '../../context';
import { unaggregatedIdRanges } from '../../domain/aggregation-progress';
import type { UsageAggregationService } from './usage-aggregation.service';
import { fromSqlDateTime, runQuery } from './usage-sql';

/** How far the aggregator's live stream is behind the stored events, for monitoring. */
export interface AggregationLag {
  /** Events stored past the aggregator's watermark (an upper bound: ids skipped by rollbacks count too). */
  eventsBehind: number;
  /** When the oldest stored event not yet rolled up was received; null when the stream is caught up. */
  oldestPendingReceivedAt: Date | null;
}

/**
 * Reads the lag in two primary-key lookups whatever the backlog: the newest event id, and the first stored
 * event among the id ranges not rolled up yet (past the watermark, and its gaps).
 */
export async function aggregationLag(
  ctx: RequestContext,
  aggregation: UsageAggregationService,
): Promise<AggregationLag> {
  const progress = await aggregation.liveProgress(ctx);
  if (!progress) return { eventsBehind: 0, oldestPendingReceivedAt: null };
  const ranges = unaggregatedIdRanges(progress);
  const where = ranges.map(() => '(id BETWEEN ? AND ?)').join(' OR ');
  const [oldest] = await runQuery<Array<{ received_at: string | Date }>>(
    ctx,
    `SELECT received_at FROM usage_events WHERE ${where} ORDER BY id LIMIT 1`,
    ranges.flat(),
  );
  const [newest] = await runQuery<Array<{ id: string | null }>>(
    ctx,
    'SELECT MAX(id) AS id FROM usage_events',
  );
  const newestId = newest?.id === null || newest?.id === undefined ? 0 : Number(newest.id);
  return {
    eventsBehind: Math.max(0, newestId - progress.lastEventId),
    oldestPendingReceivedAt: oldest ? fromSqlDateTime(oldest.received_at) : null,
  };
}
