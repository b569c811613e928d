import type { AppConfig } from '../../config/config';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { firstOutOfRange } from '../../domain/column-bounds';
import { conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { dueDate } from '../../domain/periods';
import { InvoiceLineEntity } from '../../entities/invoice-line.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';
import type { ContractReader } from './contract-reader';
import type { CreditDrawdown } from '../credits';
import { liveTopics, publishAfterCommit } from '../common';
import type { PubSub } from '../common';
import { sqlDateTime } from '../usage';
import type { WebhookEventSink } from '../webhooks';
import type { DraftPricing } from './draft-pricing';
import type { InvoiceCatalogService } from './invoice-catalog.service';
import type { InvoiceNumbers } from './invoice-numbers';
import { assembleView } from './invoice-views';
import { hasUnaggregatedUsage, type PendingAggregation } from './pending-aggregation';

export interface DueInvoice {
  id: string;
  contractId: string;
  environmentId: string;
  organizationId: string;
}

export type FinalizeOutcome = 'FINALIZED' | 'ALREADY_FINAL' | 'NOT_DUE' | 'LOCKED' | 'USAGE_PENDING';

export interface FinalizeOptions {
  /** Worker mode: only invoices past their period end + grace; skip rows another process holds. */
  worker?: boolean;
}

/** The end of a draft's life: finalization (frozen lines, credits drawn, a gap-free number) or a void. */
export class InvoiceFinalization {
  constructor(
    private readonly config: AppConfig,
    private readonly contracts: ContractReader,
    private readonly catalog: InvoiceCatalogService,
    private readonly usage: PendingAggregation,
    private readonly pricing: DraftPricing,
    private readonly drawdown: CreditDrawdown,
    private readonly numbers: InvoiceNumbers,
    /** Live subscriptions: finalizations and voids are announced after commit (see `announce`). */
    private readonly pubsub: PubSub,
    private readonly webhooks: WebhookEventSink,
  ) {}

  /**
   * Freezes a DRAFT invoice: prices it one last time, applies credits, takes the next number and writes the
   * lines, all in one transaction. The invoice row is locked and re-checked, so each invoice is finalized
   * exactly once however many processes try; the environment's sequence row is locked last (held only for
   * the few statements before commit) so numbers are gap-free: a rolled-back attempt takes no number.
   * The customer's row is locked first, which closes the period against concurrent ingestion (see
   * closed-period-guard.ts).
   */
  async finalize(
    ctx: RequestContext,
    id: string,
    options: FinalizeOptions = {},
  ): Promise<{ invoice: InvoiceEntity; outcome: FinalizeOutcome }> {
    await this.numbers.ensureSequenceRow(ctx);
    // An invoice's customer never changes, so it is read before the transaction: inside it, the first
    // consistent read must come after the locks (see below).
    const owner = await findInvoice(ctx, id);
    if (!owner) throw notFound('Invoice', id);
    return withTransaction(ctx, async (tx) => {
      // The customer row first (always waited for, never skipped: ingestion holds it in share mode for a
      // few milliseconds at a time), then the invoice row. Ingestion takes the customer row in share mode
      // around its insert (see closedPeriodGuard), so from here on no event of this customer can be
      // committed in between: our usage check below sees all of them, and any later one sees this
      // invoice finalized and is rejected.
      await tx.manager.query('SELECT id FROM customers WHERE id = ? FOR UPDATE', [owner.customerId]);
      const lockSql = `SELECT id FROM invoices WHERE id = ? AND environment_id = ? FOR UPDATE${options.worker ? ' SKIP LOCKED' : ''}`;
      const locked = (await tx.manager.query(lockSql, [id, tx.environmentId])) as unknown[];
      // Read after the locks: this transaction's snapshot starts now and sees every earlier commit.
      const invoice = await findInvoice(tx, id);
      if (!invoice) throw notFound('Invoice', id);
      if (!locked.length) return { invoice, outcome: 'LOCKED' as const };
      if (invoice.status !== 'DRAFT') {
        if (invoice.status === 'VOID' && !options.worker) throw conflict(`Invoice ${id} is void`);
        return { invoice, outcome: 'ALREADY_FINAL' as const };
      }
      if (invoice.kind !== 'PERIOD' || !invoice.contractId) {
        throw conflict(`Invoice ${id} is not a billing-period invoice`);
      }
      const now = tx.now();
      if (options.worker && invoice.periodEnd.getTime() + this.graceMs() > now.getTime()) {
        return { invoice, outcome: 'NOT_DUE' as const };
      }
      const contract = await this.contracts.getByIdOrThrow(tx, invoice.contractId);
      const pending = await hasUnaggregatedUsage(tx, invoice, this.catalog, this.usage);
      if (pending) {
        if (options.worker) return { invoice, outcome: 'USAGE_PENDING' as const };
        throw conflict(`Usage of invoice ${id}'s period is still being aggregated; try again in a moment`);
      }

      const priced = await this.pricing.priceLines(tx, invoice);
      // Refused before anything is written: a figure beyond its DECIMAL column would fail the insert.
      const overflow = firstOutOfRange(priced);
      if (overflow) {
        throw conflict(
          `Invoice ${id} cannot be finalized: ${overflow.field} is ${overflow.value.toFixed()}, beyond ` +
            `${overflow.max.toFixed()}, the largest figure an invoice holds`,
          overflow.field,
        );
      }
      const settled = await this.pricing.settle(tx, invoice, priced, true);
      const view = assembleView(
        invoice,
        settled.lines,
        settled.credits.perLine,
        invoice.amountPaid,
        settled.credits.remainingBalance,
        settled.balanceApplied,
      );

      if (view.lines.length) {
        await tx.repo(InvoiceLineEntity).insert(
          view.lines.map((line) =>
            tx.repo(InvoiceLineEntity).create({
              id: newId('inl', now.getTime()),
              environmentId: invoice.environmentId,
              invoiceId: invoice.id,
              position: line.position,
              kind: line.kind,
              pricingId: line.pricingId,
              meterCode: line.meterCode,
              description: line.description.slice(0, 500),
              dimensions: line.dimensions,
              quantity: line.quantity,
              rate: line.rate,
              unitSize: line.unitSize,
              rateSource: line.rateSource,
              preciseAmount: line.preciseAmount,
              amount: line.amount,
              creditsApplied: line.creditsApplied,
              bound: line.bound ?? null,
              unboundedAmount: line.unboundedAmount ?? null,
              serviceFrom: line.serviceFrom,
              serviceTo: line.serviceTo,
            }),
          ),
        );
      }
      // The number comes last: the sequence row stays locked only for the final update and the commit.
      const number = await this.numbers.take(tx);
      Object.assign(invoice, {
        status: 'FINALIZED',
        number,
        issuedAt: now,
        dueDate: dueDate(now, contract.paymentTermsDays),
        subtotal: view.subtotal,
        creditsApplied: view.creditsApplied,
        creditBalanceRemaining: view.creditBalanceRemaining,
        balanceApplied: view.balanceApplied,
        total: view.total,
        amountDue: view.amountDue,
        finalizedAt: now,
        updatedAt: now,
      } satisfies Partial<InvoiceEntity>);
      await tx.repo(InvoiceEntity).update(
        { id: invoice.id },
        {
          status: invoice.status,
          number,
          issuedAt: invoice.issuedAt,
          dueDate: invoice.dueDate,
          subtotal: invoice.subtotal,
          creditsApplied: invoice.creditsApplied,
          creditBalanceRemaining: invoice.creditBalanceRemaining,
          balanceApplied: invoice.balanceApplied,
          total: invoice.total,
          amountDue: invoice.amountDue,
          finalizedAt: now,
          updatedAt: now,
        },
      );
      await this.webhooks.record(tx, 'invoice.finalized', invoice.id);
      this.announce(tx, invoice);
      return { invoice, outcome: 'FINALIZED' as const };
    });
  }

  /**
   * DRAFT or FINALIZED → VOID (a paid invoice cannot be voided). Voiding twice is a no-op. A FINALIZED
   * invoice's credit deductions are given back in the same transaction (REVERSAL entries; see
   * credit-reversal.ts), taking its locks in finalization's order (the invoice row, then every grant of the
   * customer by id; finalization takes the customer row before both, which a void does not need), so a void
   * and a finalization of the same customer queue and never deadlock.
   */
  async void(ctx: RequestContext, id: string): Promise<InvoiceEntity> {
    return withTransaction(ctx, async (tx) => {
      const invoice = await tx.repo(InvoiceEntity).findOne({
        where: { id, environmentId: tx.environmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!invoice) throw notFound('Invoice', id);
      if (invoice.status === 'VOID') return invoice;
      if (invoice.status === 'PAID') throw conflict(`Invoice ${id} is paid and cannot be voided`);
      const now = tx.now();
      if (invoice.status === 'FINALIZED') {
        await this.drawdown.reverse(tx, {
          invoiceId: invoice.id,
          customerId: invoice.customerId,
          number: invoice.number,
        });
        await this.drawdown.reverseBalance(tx, invoice);
      }
      invoice.status = 'VOID';
      invoice.voidedAt = now;
      invoice.updatedAt = now;
      await tx.repo(InvoiceEntity).update({ id }, { status: 'VOID', voidedAt: now, updatedAt: now });
      await this.webhooks.record(tx, 'invoice.voided', invoice.id);
      this.announce(tx, invoice);
      return invoice;
    });
  }

  /** DRAFT period invoices whose period ended more than the grace period ago, oldest first, any environment. */
  async findDueForFinalization(ctx: RequestContext, limit: number): Promise<DueInvoice[]> {
    const cutoff = new Date(ctx.now().getTime() - this.graceMs());
    return (await ctx.manager.query(
      `SELECT i.id AS id, i.contract_id AS contractId, i.environment_id AS environmentId,
              e.organization_id AS organizationId
         FROM invoices i JOIN environments e ON e.id = i.environment_id
        WHERE i.status = 'DRAFT' AND i.period_end <= ? AND i.kind = 'PERIOD'
        ORDER BY i.period_end, i.id
        LIMIT ${Number(limit)}`,
      [sqlDateTime(cutoff)],
    )) as DueInvoice[];
  }

  /**
   * Tells live subscribers, once committed, that an invoice of the customer changed status. Every draft feed
   * of the customer listens (a contract's current invoice is the one finalized or voided, and any invoice's
   * drawdown or reversal moves the credits the customer's other drafts preview).
   */
  private announce(tx: RequestContext, invoice: InvoiceEntity): void {
    publishAfterCommit(tx, this.pubsub, liveTopics.invoices(tx.environmentId, invoice.customerId), {
      customerId: invoice.customerId,
      invoiceId: invoice.id,
      status: invoice.status,
    });
  }

  private graceMs(): number {
    return this.config.invoiceFinalizeGraceHours * 3_600_000;
  }
}

function findInvoice(ctx: RequestContext, id: string): Promise<InvoiceEntity | null> {
  return ctx.repo(InvoiceEntity).findOne({ where: { id, environmentId: ctx.environmentId } });
}
