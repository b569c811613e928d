import type { RequestContext } from '../../context';
import { badInput, notFound } from '../../domain/errors';
import { Decimal } from '../../domain/money';
import { CustomerEntity } from '../../entities/customer.entity';
import { checkPageSize, type Page } from '../common';
import { ACCOUNT_HISTORY_KINDS, COLUMNS, SOURCES, type AccountHistoryKind } from './history-sources';

export interface AccountHistoryEntry {
  /** Unique in the feed: the source row's id (with `:finalized` / `:voided` for invoice events). */
  id: string;
  customerId: string;
  kind: AccountHistoryKind;
  /** What happened: CUSTOMER_CREATED, an amendment kind (CREATED, PLAN_CHANGED…), INVOICE_FINALIZED… */
  event: string;
  at: Date;
  /** The row it comes from: contract (amendments), draft, invoice, payment or credit grant. */
  refId: string;
  contractId: string | null;
  invoiceId: string | null;
  currency: string | null;
  amount: Decimal | null;
  summary: string;
  actor: string | null;
  details: Record<string, unknown> | null;
}

export interface AccountHistoryArgs {
  customerId: string;
  /** Null or empty: every kind. */
  kinds?: readonly AccountHistoryKind[] | null;
  first?: number | null;
  /** Decoded cursor: `<atMs>:<id>`. */
  after?: string | null;
}

interface Row {
  at: Date | string;
  id: string;
  kind: AccountHistoryKind;
  event: string;
  ref_id: string;
  contract_id: string | null;
  invoice_id: string | null;
  currency: string | null;
  amount: string | null;
  summary: string;
  actor: string | null;
  details: string | Record<string, unknown> | null;
}

/**
 * One chronological feed per customer, newest first: sign-up, contract amendments, contract drafts and their
 * outcome, issued and voided invoices, payments and credit grants. A UNION over the tables that already hold
 * them (no copy to keep in sync), paginated by the (time, id) key of the entries.
 */
export class AccountHistoryService {
  async page(ctx: RequestContext, args: AccountHistoryArgs): Promise<Page<AccountHistoryEntry>> {
    const size = checkPageSize(args.first);
    const kinds = args.kinds?.length ? [...new Set(args.kinds)] : ACCOUNT_HISTORY_KINDS;
    for (const [i, kind] of kinds.entries()) {
      if (!ACCOUNT_HISTORY_KINDS.includes(kind)) {
        throw badInput(`kinds.${i}`, `must be one of ${ACCOUNT_HISTORY_KINDS.join(', ')}`);
      }
    }
    const after = args.after ? parseHistoryCursor(args.after) : null;
    const customer = await ctx
      .repo(CustomerEntity)
      .findOne({ where: { id: args.customerId, environmentId: ctx.environmentId } });
    if (!customer || (ctx.portalCustomerId && customer.id !== ctx.portalCustomerId)) {
      throw notFound('Customer', args.customerId, 'customerId');
    }
    const branches = kinds.flatMap((kind) => SOURCES[kind]);
    const params: unknown[] = branches.flatMap(() => [ctx.environmentId, customer.id]);
    let where = '';
    if (after) {
      where = 'WHERE h.at < ? OR (h.at = ? AND h.id < ?)';
      params.push(after.at, after.at, after.id);
    }
    const rows = (await ctx.manager.query(
      `SELECT ${COLUMNS} FROM (${branches.map((b) => `(${b})`).join(' UNION ALL ')}) h ${where}
        ORDER BY h.at DESC, h.id DESC LIMIT ?`,
      [...params, size + 1],
    )) as Row[];
    return {
      nodes: rows.slice(0, size).map((row) => toEntry(row, customer.id)),
      hasNextPage: rows.length > size,
    };
  }

  static cursorOf(entry: Pick<AccountHistoryEntry, 'at' | 'id'>): string {
    return `${entry.at.getTime()}:${entry.id}`;
  }
}

function parseHistoryCursor(value: string): { at: Date; id: string } {
  const match = /^(\d{1,15}):(.{1,80})$/.exec(value);
  if (!match) throw badInput('after', 'is not a cursor returned by this API');
  return { at: new Date(Number(match[1])), id: match[2] };
}

function toEntry(row: Row, customerId: string): AccountHistoryEntry {
  const details =
    typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : row.details;
  return {
    id: row.id,
    customerId,
    kind: row.kind,
    event: row.event,
    at: row.at instanceof Date ? row.at : new Date(row.at),
    refId: row.ref_id,
    contractId: row.contract_id,
    invoiceId: row.invoice_id,
    currency: row.currency,
    amount: row.amount === null ? null : new Decimal(row.amount),
    summary: row.summary,
    actor: row.actor,
    details: details ?? null,
  };
}
