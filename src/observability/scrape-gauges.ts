import type { DataSource } from 'typeorm';
import type { RequestContext } from '../context';
import { outboxStats } from '../services/crm';
import { aggregationLag, type UsageAggregationService } from '../services/usage';
import type { AppMetrics } from './metrics';

export interface ScrapeSources {
  db: DataSource;
  /** A system context (no environment): the gauges describe the whole deployment. */
  systemContext: () => RequestContext;
  aggregation: UsageAggregationService;
  /** Open GraphQL WebSockets of this process. */
  webSockets: () => number;
}

/** The internals of mysql2's pool this reads (its queues expose `length`); absent in other drivers. */
interface MysqlPoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
  config?: { connectionLimit?: number };
}

/**
 * The gauges read when Prometheus scrapes: aggregation lag and the CRM outbox from the database (a few
 * index lookups, see aggregationLag and outboxStats), WebSockets and the database pool from the process.
 * A failed read leaves the previous values and is logged, so /metrics still answers while the database
 * is down (the process metrics are what one looks at then).
 */
export function registerScrapeGauges(metrics: AppMetrics, sources: ScrapeSources): void {
  metrics.onScrape(async () => {
    metrics.webSockets.set(sources.webSockets());
    const pool = (sources.db.driver as unknown as { pool?: MysqlPoolInternals }).pool;
    if (pool) {
      const all = pool._allConnections?.length ?? 0;
      const idle = pool._freeConnections?.length ?? 0;
      metrics.dbPool.set({ state: 'in_use' }, all - idle);
      metrics.dbPool.set({ state: 'idle' }, idle);
      metrics.dbPool.set({ state: 'waiting' }, pool._connectionQueue?.length ?? 0);
      metrics.dbPool.set({ state: 'limit' }, pool.config?.connectionLimit ?? 0);
    }
  });
  metrics.onScrape(async () => {
    const ctx = sources.systemContext();
    try {
      const now = ctx.now().getTime();
      const [lag, outbox] = await Promise.all([aggregationLag(ctx, sources.aggregation), outboxStats(ctx)]);
      metrics.aggregationLag.set(ageSeconds(now, lag.oldestPendingReceivedAt));
      metrics.aggregationEventsBehind.set(lag.eventsBehind);
      metrics.outboxDepth.set(outbox.pending);
      metrics.outboxAge.set(ageSeconds(now, outbox.oldestPendingAt));
      metrics.deadLetters.set(outbox.dead);
    } catch (error) {
      ctx.log.warn({ err: error }, 'metrics: database gauges not refreshed');
    }
  });
}

function ageSeconds(nowMs: number, since: Date | null): number {
  return since ? Math.max(0, (nowMs - since.getTime()) / 1000) : 0;
}
