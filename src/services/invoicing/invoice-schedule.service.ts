import { Brackets } from 'typeorm';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { newId } from '../../domain/ids';
import { ZERO } from '../../domain/money';
import { ContractEntity } from '../../entities/contract.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';
import { periodsToGenerate } from '../../domain/contract-schedule';

/**
 * Pre-generates the DRAFT invoices of a contract's billing periods: the whole term of a fixed-term
 * contract at creation, and for evergreen contracts the current and next period, extended as time passes
 * (by the finalizer worker, or lazily when a draft is asked for).
 */
export class InvoiceScheduleService {
  /**
   * Inserts the missing DRAFT invoices of `contractId` for the periods due at `ctx.now()`. The contract row
   * is locked so two processes extending the same contract cannot both insert a period. Returns how many
   * invoices were created.
   */
  async ensureInvoices(ctx: RequestContext, contractId: string): Promise<number> {
    return withTransaction(ctx, async (tx) => {
      const contract = await tx.repo(ContractEntity).findOne({
        where: { id: contractId, environmentId: tx.environmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!contract || contract.status === 'CANCELLED') return 0;
      const periods = periodsToGenerate(contract, tx.now());
      if (!periods.length) return 0;
      const existing = await tx
        .repo(InvoiceEntity)
        .createQueryBuilder('i')
        .select('i.period_start', 'periodStart')
        .where('i.contract_id = :id AND i.kind = :kind', { id: contract.id, kind: 'PERIOD' })
        .getRawMany<{ periodStart: Date }>();
      const have = new Set(existing.map((row) => new Date(row.periodStart).getTime()));
      const now = tx.now();
      const missing = periods
        .filter((period) => !have.has(period.start.getTime()))
        .map((period) =>
          tx.repo(InvoiceEntity).create({
            id: newId('inv', now.getTime()),
            environmentId: contract.environmentId,
            customerId: contract.customerId,
            contractId: contract.id,
            kind: 'PERIOD',
            status: 'DRAFT',
            currency: contract.currency,
            periodStart: period.start,
            periodEnd: period.end,
            nominalPeriodEnd: period.nominalEnd,
            number: null,
            issuedAt: null,
            dueDate: null,
            subtotal: null,
            creditsApplied: null,
            total: null,
            amountDue: null,
            amountPaid: ZERO,
            finalizedAt: null,
            voidedAt: null,
            createdAt: now,
            updatedAt: now,
          }),
        );
      // Chunked: a long fixed term can have hundreds of periods.
      for (let i = 0; i < missing.length; i += 500) {
        await tx.repo(InvoiceEntity).insert(missing.slice(i, i + 500));
      }
      return missing.length;
    });
  }

  /**
   * Evergreen contracts (in every environment) that have no invoice starting after `now` yet: their next
   * period must be generated. Used by the finalizer worker; at most `limit` per call.
   */
  async findEvergreenToExtend(
    ctx: RequestContext,
    limit: number,
  ): Promise<Array<{ id: string; environmentId: string }>> {
    return ctx
      .repo(ContractEntity)
      .createQueryBuilder('c')
      .select(['c.id AS id', 'c.environment_id AS environmentId'])
      .where("c.status = 'ACTIVE' AND c.end_date IS NULL")
      .andWhere(
        new Brackets((qb) =>
          qb.where(
            `NOT EXISTS (SELECT 1 FROM invoices i WHERE i.contract_id = c.id AND i.kind = 'PERIOD'
               AND i.period_start > :now)`,
            { now: ctx.now() },
          ),
        ),
      )
      .orderBy('c.id')
      .limit(limit)
      .getRawMany<{ id: string; environmentId: string }>();
  }
}
