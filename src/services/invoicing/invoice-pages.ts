import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import { badInput } from '../../domain/errors';
import { InvoiceEntity, type InvoiceStatus } from '../../entities/invoice.entity';
import { checkPageSize, type Page } from '../common';

/** Whose invoices a page lists: a customer's or a contract's. */
export type InvoiceOwner = 'customer' | 'contract';

/** One owner's page: its id and the decoded cursor (`<periodStartMs>:<id>`) to continue after, if any. */
export interface InvoicePageRequest {
  ownerId: string;
  after: string | null;
}

const OWNER_COLUMN: Record<InvoiceOwner, string> = { customer: 'customer_id', contract: 'contract_id' };

/** A decoded invoice cursor, or a BAD_USER_INPUT naming `field`. */
export function parseInvoiceCursor(after: string, field = 'after'): { start: Date; id: string } {
  const match = /^(\d+):(.+)$/.exec(after);
  if (!match) throw badInput(field, 'is not a cursor returned by this API');
  return { start: new Date(Number(match[1])), id: match[2] };
}

/**
 * The invoice pages of many owners at once (the nested `Customer.invoices` / `Contract.invoices` of a
 * whole page of parents), in the order of `invoices(...)`: newest period first, then id. One windowed
 * query ranks each owner's invoices past its own cursor and keeps `first + 1` per owner; a second reads
 * those rows. An owner asked twice in one batch (two cursors) gets a round of its own.
 */
export async function invoicePagesOf(
  ctx: RequestContext,
  owner: InvoiceOwner,
  requests: readonly InvoicePageRequest[],
  options: { status: InvoiceStatus | null; first: number | null },
): Promise<Array<Page<InvoiceEntity>>> {
  const size = checkPageSize(options.first);
  const pages: Array<Page<InvoiceEntity>> = new Array(requests.length);
  let pending = requests.map((request, index) => ({ request, index }));
  while (pending.length) {
    const seen = new Set<string>();
    const round = pending.filter(({ request }) => !seen.has(request.ownerId) && seen.add(request.ownerId));
    pending = pending.filter((entry) => !round.includes(entry));
    const rows = await readRound(
      ctx,
      OWNER_COLUMN[owner],
      round.map((entry) => entry.request),
      options.status,
      size,
    );
    for (const { request, index } of round) {
      const own = rows.filter(
        (row) => (owner === 'customer' ? row.customerId : row.contractId) === request.ownerId,
      );
      pages[index] = { nodes: own.slice(0, size), hasNextPage: own.length > size };
    }
  }
  return pages;
}

async function readRound(
  ctx: RequestContext,
  column: string,
  requests: readonly InvoicePageRequest[],
  status: InvoiceStatus | null,
  size: number,
): Promise<InvoiceEntity[]> {
  const params: unknown[] = [ctx.environmentId];
  const statusSql = status ? ' AND i.status = ?' : '';
  if (status) params.push(status);
  const owners = requests.map(({ ownerId, after }) => {
    params.push(ownerId);
    if (!after) return `(i.${column} = ?)`;
    const cursor = parseInvoiceCursor(after);
    params.push(cursor.start, cursor.start, cursor.id);
    return `(i.${column} = ? AND (i.period_start < ? OR (i.period_start = ? AND i.id < ?)))`;
  });
  params.push(size + 1);
  const ranked = (await ctx.manager.query(
    `SELECT id FROM (
       SELECT i.id, ROW_NUMBER() OVER (PARTITION BY i.${column} ORDER BY i.period_start DESC, i.id DESC) AS n
         FROM invoices i
        WHERE i.environment_id = ?${statusSql} AND (${owners.join(' OR ')})
     ) ranked WHERE n <= ?`,
    params,
  )) as Array<{ id: string }>;
  if (!ranked.length) return [];
  const rows = await ctx.repo(InvoiceEntity).find({
    where: { id: In(ranked.map((r) => r.id)), environmentId: ctx.environmentId },
  });
  return rows.sort(
    (a, b) => b.periodStart.getTime() - a.periodStart.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
}
