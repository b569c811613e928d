import type { RequestContext } from '../../context';
import { fromSqlDateTime, sqlDateTime } from './usage-sql';

/**
 * Events one explorer page may read beyond its index range's own conditions. A `dimensions` filter (and an
 * event name without a customer) tests each row of the range: property values are not indexed on raw events
 * (they are in the aggregates) and cannot be, since any property may be asked for. Without a bound the
 * filter reads the whole range until it fills a page, which for a rare value is every event the
 * environment has. Each page therefore reads at most this many rows of the range, newest first; when they
 * hold fewer matches than asked for, the page is answered short with hasNextPage and a cursor at the last
 * row read, so the caller continues where the scan stopped. About 30 ms of MariaDB time per page (an
 * unbounded scan of 208k events took 630 ms).
 */
export const EVENTS_SCAN_LIMIT = 10_000;

/** Where a capped scan stops: the last row it may read, and whether rows remain after it. */
export interface ScanWindow {
  /** SQL condition keeping rows at or before the boundary (in the explorer's newest-first order). */
  where: string;
  params: unknown[];
  /** The boundary event's id: the page's end cursor when the page is not filled. */
  lastId: string;
  /** True when the index range holds rows after the boundary. */
  more: boolean;
}

/**
 * The boundary of a capped scan over an index range, or null when the range holds no more than
 * EVENTS_SCAN_LIMIT rows. Reads only the index (its conditions are the index's columns), so finding the
 * boundary costs a walk of EVENTS_SCAN_LIMIT index entries, not of the rows.
 */
export async function scanWindow(
  ctx: RequestContext,
  range: { index: string; where: string[]; params: unknown[] },
): Promise<ScanWindow | null> {
  const rows = (await ctx.manager.query(
    `SELECT e.id, e.occurred_at FROM usage_events e FORCE INDEX (${range.index})
      WHERE ${range.where.join(' AND ')}
      ORDER BY e.occurred_at DESC, e.id DESC LIMIT 2 OFFSET ${EVENTS_SCAN_LIMIT - 1}`,
    range.params,
  )) as Array<{ id: string | number; occurred_at: Date | string }>;
  const [last] = rows;
  if (!last) return null;
  const at = sqlDateTime(fromSqlDateTime(last.occurred_at));
  return {
    where: '(e.occurred_at > ? OR (e.occurred_at = ? AND e.id >= ?))',
    params: [at, at, String(last.id)],
    lastId: String(last.id),
    more: rows.length > 1,
  };
}
