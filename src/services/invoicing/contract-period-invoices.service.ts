import type { RequestContext } from '../../context';
import { periodContaining } from '../../domain/periods';
import type { ContractEntity } from '../../entities/contract.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';
import { contractSchedule } from '../../domain/contract-schedule';

/** A finalized period invoice, as a contract change that would touch its period reports it. */
export interface FinalizedPeriod {
  id: string;
  number: string | null;
  periodStart: Date;
  periodEnd: Date;
}

/** Voids one invoice (the invoice engine's void), joining the caller's transaction. */
export type VoidInvoice = (ctx: RequestContext, invoiceId: string) => Promise<unknown>;

/**
 * A contract's PERIOD invoices as contract changes (cancellation, billing-cycle change, renewal) reshape
 * them: which period holds an instant, which periods are final, and cutting, voiding, deleting or
 * re-aligning the pre-generated DRAFT invoices. Every method joins the caller's transaction.
 */
export class ContractPeriodInvoices {
  constructor(private readonly voidInvoice: VoidInvoice) {}

  /**
   * End (exclusive) of the billing period holding `at` (the contract's start when `at` is before it): its
   * pre-generated invoice, else the schedule; null when the schedule has no period there.
   */
  async periodEndAt(ctx: RequestContext, contract: ContractEntity, at: Date): Promise<Date | null> {
    const t = at.getTime() < contract.startDate.getTime() ? contract.startDate : at;
    const invoice = await ctx
      .repo(InvoiceEntity)
      .createQueryBuilder('i')
      .where("i.contract_id = :id AND i.kind = 'PERIOD' AND i.status <> 'VOID'", { id: contract.id })
      .andWhere('i.period_start <= :t AND i.period_end > :t', { t })
      .orderBy('i.period_start', 'DESC')
      .getOne();
    if (invoice) return invoice.periodEnd;
    return periodContaining(contractSchedule(contract), t)?.end ?? null;
  }

  /** The latest finalized period invoice of the contract ending after `at`, if any. */
  async finalizedEndingAfter(
    ctx: RequestContext,
    contractId: string,
    at: Date,
  ): Promise<FinalizedPeriod | null> {
    const frozen = await ctx
      .repo(InvoiceEntity)
      .createQueryBuilder('i')
      .where("i.contract_id = :id AND i.kind = 'PERIOD' AND i.finalized_at IS NOT NULL", { id: contractId })
      .andWhere('i.period_end > :at', { at })
      .orderBy('i.period_end', 'DESC')
      .getOne();
    return frozen
      ? {
          id: frozen.id,
          number: frozen.number,
          periodStart: frozen.periodStart,
          periodEnd: frozen.periodEnd,
        }
      : null;
  }

  /** Deletes the DRAFT period invoices starting at or after `from` (never started, never numbered). */
  async deleteDraftsFrom(ctx: RequestContext, contractId: string, from: Date): Promise<void> {
    await ctx.manager.query(
      `DELETE FROM invoices WHERE environment_id = ? AND contract_id = ? AND kind = 'PERIOD' AND status = 'DRAFT'
         AND period_start >= ?`,
      [ctx.environmentId, contractId, from],
    );
  }

  /** The DRAFT period invoice holding `endExclusive` now ends there (the finalizer takes it once it has passed). */
  async cutDraftAt(ctx: RequestContext, contractId: string, endExclusive: Date): Promise<void> {
    await ctx.manager.query(
      `UPDATE invoices SET period_end = ?, updated_at = ? WHERE environment_id = ? AND contract_id = ?
         AND kind = 'PERIOD' AND status = 'DRAFT' AND period_start < ? AND period_end > ?`,
      [endExclusive, ctx.now(), ctx.environmentId, contractId, endExclusive, endExclusive],
    );
  }

  /** Voids the DRAFT period invoices starting at or after `from`; returns how many. */
  async voidDraftsFrom(ctx: RequestContext, contractId: string, from: Date): Promise<number> {
    const later = await ctx
      .repo(InvoiceEntity)
      .createQueryBuilder('i')
      .select('i.id', 'id')
      .where("i.environment_id = :env AND i.contract_id = :id AND i.kind = 'PERIOD' AND i.status = 'DRAFT'", {
        env: ctx.environmentId,
        id: contractId,
      })
      .andWhere('i.period_start >= :end', { end: from })
      .getRawMany<{ id: string }>();
    for (const { id } of later) await this.voidInvoice(ctx, id);
    return later.length;
  }

  /**
   * When the schedule's period holding a draft's start ends elsewhere now (a renewed partial period), the
   * draft follows it.
   */
  async realignDraftPeriodEnds(ctx: RequestContext, contract: ContractEntity): Promise<void> {
    const drafts = await ctx
      .repo(InvoiceEntity)
      .createQueryBuilder('i')
      .where(
        "i.contract_id = :id AND i.kind = 'PERIOD' AND i.status = 'DRAFT' AND i.period_start >= :anchor",
        {
          id: contract.id,
          anchor: contract.billingAnchor,
        },
      )
      .getMany();
    const schedule = contractSchedule(contract);
    for (const draft of drafts) {
      const period = periodContaining(schedule, draft.periodStart);
      if (
        period &&
        period.start.getTime() === draft.periodStart.getTime() &&
        period.end.getTime() !== draft.periodEnd.getTime()
      ) {
        await ctx
          .repo(InvoiceEntity)
          .update(
            { id: draft.id },
            { periodEnd: period.end, nominalPeriodEnd: period.nominalEnd, updatedAt: ctx.now() },
          );
      }
    }
  }
}
