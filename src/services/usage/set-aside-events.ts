import type { RequestContext } from '../../context';
import { conflict } from '../../domain/errors';
import { newId } from '../../domain/ids';
import type { RollupItem, SetAside } from './rollup-isolation';
import { placeholders, rowPlaceholders, runQuery, sqlDateTime } from './usage-sql';

/**
 * The aggregator's side of usage_event_failures: recording the events it set aside, taking the ones a
 * retry re-queued, and marking them resolved or failed again. Always in the aggregator's transaction, so a
 * set-aside event is recorded exactly when the watermark passes it, and resolved exactly when it is counted.
 */

/** A set-aside event a retry re-queued. */
export interface QueuedRetry {
  failureId: string;
  eventId: number;
  meterIds: string[];
}

/** Records newly set-aside events, with the meters they were being rolled up for. */
export async function recordSetAside(
  tx: RequestContext,
  setAside: ReadonlyArray<SetAside<RollupItem>>,
): Promise<void> {
  if (!setAside.length) return;
  const now = tx.now();
  const params = setAside.flatMap(({ item, code, reason }) => [
    newId('uef', now.getTime()),
    item.event.environmentId,
    item.event.id,
    JSON.stringify(item.meters.map((m) => m.id)),
    code,
    reason,
    1,
    sqlDateTime(now),
  ]);
  await runQuery(
    tx,
    `INSERT INTO usage_event_failures
       (id, environment_id, event_id, meter_ids, code, reason, attempts, failed_at)
     VALUES ${rowPlaceholders(setAside.length, 8)}`,
    params,
  );
}

/** Re-queued events, oldest request first, locked until the caller's transaction ends. */
export async function takeQueuedRetries(tx: RequestContext, limit: number): Promise<QueuedRetry[]> {
  const rows = await runQuery<Array<{ id: string; event_id: string | number; meter_ids: string | string[] }>>(
    tx,
    `SELECT id, event_id, meter_ids FROM usage_event_failures
      WHERE retry_requested_at IS NOT NULL AND resolved_at IS NULL
      ORDER BY retry_requested_at, id LIMIT ${limit} FOR UPDATE`,
  );
  return rows.map((row) => ({
    failureId: row.id,
    eventId: Number(row.event_id),
    meterIds: typeof row.meter_ids === 'string' ? (JSON.parse(row.meter_ids) as string[]) : row.meter_ids,
  }));
}

/** Marks re-queued events counted. */
export async function markResolved(tx: RequestContext, failureIds: readonly string[]): Promise<void> {
  if (!failureIds.length) return;
  await runQuery(
    tx,
    `UPDATE usage_event_failures SET resolved_at = ?, retry_requested_at = NULL
      WHERE id IN (${placeholders(failureIds.length)})`,
    [sqlDateTime(tx.now()), ...failureIds],
  );
}

/** Records that a re-queued event failed again; it stays set aside until the next retry request. */
export async function markFailedAgain(
  tx: RequestContext,
  failureId: string,
  failure: { code: string; reason: string },
): Promise<void> {
  await runQuery(
    tx,
    `UPDATE usage_event_failures
        SET code = ?, reason = ?, failed_at = ?, attempts = attempts + 1, retry_requested_at = NULL
      WHERE id = ?`,
    [failure.code, failure.reason, sqlDateTime(tx.now()), failureId],
  );
}

/**
 * Refuses (CONFLICT) when an unresolved set-aside event holds usage of the scope: freezing the invoice would
 * miss it, and waiting would not help, since the aggregator does not retry it until asked to.
 */
export async function assertNoSetAsideUsage(
  ctx: RequestContext,
  scope: { environmentId: string; customerId: string; from: Date; to: Date; meterIds: readonly string[] },
): Promise<void> {
  if (!scope.meterIds.length) return;
  const rows = (await ctx.manager.query(
    `SELECT f.event_id, f.meter_ids FROM usage_event_failures f JOIN usage_events e ON e.id = f.event_id
      WHERE f.environment_id = ? AND f.resolved_at IS NULL
        AND e.customer_id = ? AND e.occurred_at >= ? AND e.occurred_at < ?`,
    [scope.environmentId, scope.customerId, sqlDateTime(scope.from), sqlDateTime(scope.to)],
  )) as Array<{ event_id: string | number; meter_ids: string | string[] }>;
  const meters = new Set(scope.meterIds);
  const eventIds = rows
    .filter((row) => {
      const ids = typeof row.meter_ids === 'string' ? (JSON.parse(row.meter_ids) as string[]) : row.meter_ids;
      return ids.some((id) => meters.has(id));
    })
    .map((row) => String(row.event_id));
  if (!eventIds.length) return;
  const shown = eventIds.slice(0, 5).join(', ') + (eventIds.length > 5 ? ', …' : '');
  throw conflict(
    `${eventIds.length} usage event(s) of this period could not be aggregated and were set aside ` +
      `(event ids ${shown}); see usageEventFailures, fix them and retry them with retryUsageEventFailures ` +
      'before finalizing',
  );
}
