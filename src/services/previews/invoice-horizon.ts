import type { RequestContext } from '../../context';
import { InvoiceEntity } from '../../entities/invoice.entity';

/** A preview never lists more invoices than this (a year of monthly invoices and the next one). */
export const MAX_PREVIEW_INVOICES = 13;

/** The contract's live (non-void) period invoices still running at `ctx.now()`, oldest first. */
async function runningInvoices(
  tx: RequestContext,
  contractId: string,
  limit: number,
): Promise<InvoiceEntity[]> {
  return tx
    .repo(InvoiceEntity)
    .createQueryBuilder('i')
    .where("i.environment_id = :env AND i.contract_id = :id AND i.kind = 'PERIOD' AND i.status <> 'VOID'", {
      env: tx.environmentId,
      id: contractId,
    })
    .andWhere('i.period_end > :now', { now: tx.now() })
    .orderBy('i.period_start', 'ASC')
    .addOrderBy('i.id', 'ASC')
    .take(limit)
    .getMany();
}

/**
 * The invoices a change taking effect at `effectiveAt` shapes: from the one running now through the first
 * one starting at or after the change (the next regular invoice on the new terms).
 */
export async function invoicesThrough(
  tx: RequestContext,
  contractId: string,
  effectiveAt: Date,
): Promise<InvoiceEntity[]> {
  const running = await runningInvoices(tx, contractId, MAX_PREVIEW_INVOICES);
  const firstAfter = running.findIndex((i) => i.periodStart.getTime() >= effectiveAt.getTime());
  return firstAfter === -1 ? running : running.slice(0, firstAfter + 1);
}

/** The first `count` live period invoices of a contract (a new contract's first invoice and the next). */
export async function firstInvoices(
  tx: RequestContext,
  contractId: string,
  count: number,
): Promise<InvoiceEntity[]> {
  return tx.repo(InvoiceEntity).find({
    where: { environmentId: tx.environmentId, contractId, kind: 'PERIOD', status: 'DRAFT' },
    order: { periodStart: 'ASC', id: 'ASC' },
    take: count,
  });
}

/** Ids of the contract's invoices as they are now: a previewed invoice with one of them is that invoice. */
export async function invoiceIdsOf(tx: RequestContext, contractId: string): Promise<Set<string>> {
  const rows = await tx
    .repo(InvoiceEntity)
    .find({ select: { id: true }, where: { environmentId: tx.environmentId, contractId } });
  return new Set(rows.map((r) => r.id));
}
