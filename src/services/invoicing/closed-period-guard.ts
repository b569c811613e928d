import type { RequestContext } from '../../context';
import type { ClosedPeriodGuard } from '../usage';
import { fromSqlDateTime, placeholders, runQuery } from '../usage';

/**
 * The guard the events API consults: an event is rejected when a finalized (or paid, or voided after
 * finalization) invoice of the customer covers its time.
 *
 * Race with finalization, and why none can slip through. The ingestion service calls `closedRanges`
 * inside the transaction that inserts the events, after taking a share lock on each customer row of the
 * batch (`SELECT … LOCK IN SHARE MODE`), and holds those locks until its insert commits. `finalize` takes
 * the customer row `FOR UPDATE` before its first read. The two locks exclude each other, so one of them
 * runs entirely first:
 *  - ingestion first: finalization waits for the insert to commit, then its snapshot (taken after the
 *    lock) sees the new events above the aggregator's watermark, and it refuses (USAGE_PENDING) until
 *    they are rolled up, so the invoice includes them;
 *  - finalization first: ingestion's lock waits for the finalization to commit, and the read below is the
 *    ingestion transaction's first consistent read, so its REPEATABLE READ snapshot starts after that
 *    commit and sees the invoice finalized: the events are rejected.
 * The lock is on the customer row, not on invoice rows, so an invoice created and finalized meanwhile is
 * covered too, and ingestion never holds locks on invoices (no gap locks that would starve invoice inserts).
 * When ingestion runs inside a caller's transaction whose snapshot may be older, `locking` asks for a
 * locking read, which always sees the latest committed rows.
 */
export function closedPeriodGuard(): ClosedPeriodGuard {
  return {
    isClosed: async (ctx, customerId, occurredAt) => {
      const t = occurredAt.getTime();
      const ranges = (await closedRanges(ctx, [customerId])).get(customerId) ?? [];
      return ranges.some(([from, to]) => from <= t && t < to);
    },
    closedRanges: (ctx, customerIds, options) => closedRanges(ctx, customerIds, options?.locking),
  };
}

/** The finalized periods ([from, to) in epoch ms) of each customer: one query for a whole batch. */
async function closedRanges(
  ctx: RequestContext,
  customerIds: readonly string[],
  locking = false,
): Promise<Map<string, Array<[number, number]>>> {
  const ranges = new Map<string, Array<[number, number]>>();
  if (!customerIds.length) return ranges;
  const rows: Array<{ customer_id: string; period_start: Date | string; period_end: Date | string }> =
    await runQuery(
      ctx,
      `SELECT customer_id, period_start, period_end FROM invoices
        WHERE environment_id = ? AND customer_id IN (${placeholders(customerIds.length)})
          AND kind = 'PERIOD' AND finalized_at IS NOT NULL${locking ? ' LOCK IN SHARE MODE' : ''}`,
      [ctx.environmentId, ...customerIds],
    );
  for (const row of rows) {
    const range: [number, number] = [
      fromSqlDateTime(row.period_start).getTime(),
      fromSqlDateTime(row.period_end).getTime(),
    ];
    const list = ranges.get(row.customer_id);
    if (list) list.push(range);
    else ranges.set(row.customer_id, [range]);
  }
  return ranges;
}
