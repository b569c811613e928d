import { In } from 'typeorm';
import type { AppConfig } from '../../config/config';
import type { RequestContext } from '../../context';
import { contractSchedule } from '../../domain/contract-schedule';
import { notFound } from '../../domain/errors';
import { periodAt, periodContaining, type BillingPeriod } from '../../domain/periods';
import type { ContractEntity } from '../../entities/contract.entity';
import { InvoiceLineEntity } from '../../entities/invoice-line.entity';
import { InvoiceEntity, type InvoiceStatus } from '../../entities/invoice.entity';
import type { ContractReader } from './contract-reader';
import type { CreditDrawdown } from '../credits';
import type { PubSub } from '../common';
import type { ClosedPeriodGuard } from '../usage';
import { noWebhookEvents, type WebhookEventSink } from '../webhooks';
import { checkPageSize, type Page } from '../common';
import { closedPeriodGuard } from './closed-period-guard';
import { DraftPricing } from './draft-pricing';
import type { PendingAggregation } from './pending-aggregation';
import type { InvoiceCatalogService } from './invoice-catalog.service';
import {
  InvoiceFinalization,
  type DueInvoice,
  type FinalizeOptions,
  type FinalizeOutcome,
} from './invoice-finalization';
import { InvoiceNumbers } from './invoice-numbers';
import {
  invoicePagesOf,
  parseInvoiceCursor,
  type InvoiceOwner,
  type InvoicePageRequest,
} from './invoice-pages';
import type { InvoiceScheduleService } from './invoice-schedule.service';
import type { InvoiceUsageService } from './invoice-usage.service';
import { frozenView, type InvoiceView } from './invoice-views';

export type { DueInvoice, FinalizeOptions, FinalizeOutcome } from './invoice-finalization';
export type { InvoiceLineView, InvoiceView } from './invoice-views';

export const INVOICE_STATUSES: readonly InvoiceStatus[] = ['DRAFT', 'FINALIZED', 'PAID', 'VOID'];

export interface InvoiceListArgs {
  customerId?: string | null;
  contractId?: string | null;
  status?: InvoiceStatus | null;
  first?: number | null;
  /** Decoded cursor: `<periodStartMs>:<id>`. */
  after?: string | null;
}

/**
 * Invoices: reading and listing them, live drafts (draft-pricing.ts), finalization and voids
 * (invoice-finalization.ts), gap-free numbers (invoice-numbers.ts) and the closed-period guard
 * (closed-period-guard.ts), behind one service.
 */
export class InvoiceService {
  private readonly pricing: DraftPricing;
  private readonly numbers = new InvoiceNumbers();
  private readonly finalization: InvoiceFinalization;
  private readonly finalizeListeners: Array<(outcome: FinalizeOutcome | 'FAILED') => void> = [];

  constructor(
    config: AppConfig,
    private readonly contracts: ContractReader,
    private readonly schedule: InvoiceScheduleService,
    catalog: InvoiceCatalogService,
    usage: InvoiceUsageService,
    usageAggregation: PendingAggregation,
    drawdown: CreditDrawdown,
    pubsub: PubSub,
    webhooks: WebhookEventSink = noWebhookEvents,
  ) {
    this.pricing = new DraftPricing(contracts, catalog, usage, drawdown);
    this.finalization = new InvoiceFinalization(
      config,
      contracts,
      catalog,
      usageAggregation,
      this.pricing,
      drawdown,
      this.numbers,
      pubsub,
      webhooks,
    );
  }

  async findById(ctx: RequestContext, id: string): Promise<InvoiceEntity | null> {
    return ctx.repo(InvoiceEntity).findOne({ where: { id, environmentId: ctx.environmentId } });
  }

  async getByIdOrThrow(ctx: RequestContext, id: string): Promise<InvoiceEntity> {
    const invoice = await this.findById(ctx, id);
    if (!invoice) throw notFound('Invoice', id);
    return invoice;
  }

  /** Newest period first; keyset pagination on (period_start, id). */
  async list(ctx: RequestContext, args: InvoiceListArgs): Promise<Page<InvoiceEntity>> {
    const size = checkPageSize(args.first);
    const qb = ctx
      .repo(InvoiceEntity)
      .createQueryBuilder('i')
      .where('i.environment_id = :env', { env: ctx.environmentId });
    if (args.customerId) qb.andWhere('i.customer_id = :customer', { customer: args.customerId });
    if (args.contractId) qb.andWhere('i.contract_id = :contract', { contract: args.contractId });
    if (args.status) qb.andWhere('i.status = :status', { status: args.status });
    if (args.after) {
      const { start, id } = parseInvoiceCursor(args.after);
      qb.andWhere('(i.period_start < :start OR (i.period_start = :start AND i.id < :id))', { start, id });
    }
    const rows = await qb
      .orderBy('i.period_start', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .take(size + 1)
      .getMany();
    return { nodes: rows.slice(0, size), hasNextPage: rows.length > size };
  }

  /** Pages of many customers' or contracts' invoices in one go, for nested connections (see invoicePagesOf). */
  pagesOf(
    ctx: RequestContext,
    owner: InvoiceOwner,
    requests: readonly InvoicePageRequest[],
    options: { status: InvoiceStatus | null; first: number | null },
  ): Promise<Array<Page<InvoiceEntity>>> {
    return invoicePagesOf(ctx, owner, requests, options);
  }

  static cursorOf(invoice: InvoiceEntity): string {
    return `${invoice.periodStart.getTime()}:${invoice.id}`;
  }

  /**
   * The invoice of the contract's current period (before the start: the first period; after the end: the
   * last), generating an evergreen contract's missing periods lazily. Null for a cancelled contract.
   */
  async currentForContract(ctx: RequestContext, contractId: string): Promise<InvoiceEntity | null> {
    const contract = await this.contracts.getByIdOrThrow(ctx, contractId, 'contractId');
    if (contract.status === 'CANCELLED') return null;
    // Self-serve: a billing-cycle change moves billingAnchor to the next period boundary, so the
    // schedule starts in the future; until then the current period is the pre-generated invoice holding now.
    const now = ctx.now();
    if (now.getTime() >= contract.startDate.getTime() && now.getTime() < contract.billingAnchor.getTime()) {
      const holding = await ctx
        .repo(InvoiceEntity)
        .createQueryBuilder('i')
        .where("i.contract_id = :id AND i.kind = 'PERIOD' AND i.status <> 'VOID'", { id: contract.id })
        .andWhere('i.period_start <= :now AND i.period_end > :now', { now })
        .getOne();
      if (holding) return holding;
    }
    const period = this.currentPeriod(contract, ctx.now());
    if (!period) return null;
    const find = () =>
      ctx.repo(InvoiceEntity).findOne({
        where: { contractId: contract.id, kind: 'PERIOD', periodStart: period.start },
      });
    const invoice = await find();
    if (invoice) return invoice;
    await this.schedule.ensureInvoices(ctx, contract.id);
    return find();
  }

  /** The current invoices of every contract of the customer active now, oldest contract first. */
  async currentForCustomer(ctx: RequestContext, customerId: string): Promise<InvoiceEntity[]> {
    const active = await this.contracts.listActiveAt(ctx, customerId, ctx.now());
    const invoices = await Promise.all(active.map((c) => this.currentForContract(ctx, c.id)));
    return invoices.filter((i): i is InvoiceEntity => i !== null);
  }

  async view(ctx: RequestContext, invoice: InvoiceEntity): Promise<InvoiceView> {
    return (await this.views(ctx, [invoice]))[0];
  }

  /** Views of several invoices: drafts priced live one by one, frozen lines read in one query. */
  async views(ctx: RequestContext, invoices: readonly InvoiceEntity[]): Promise<InvoiceView[]> {
    const frozenIds = invoices.filter((i) => i.status !== 'DRAFT').map((i) => i.id);
    const frozenLines = frozenIds.length
      ? await ctx.repo(InvoiceLineEntity).find({
          where: { invoiceId: In(frozenIds), environmentId: ctx.environmentId },
          order: { position: 'ASC' },
        })
      : [];
    return Promise.all(
      invoices.map((invoice) =>
        invoice.status === 'DRAFT'
          ? this.pricing.view(ctx, invoice)
          : frozenView(
              invoice,
              frozenLines.filter((l) => l.invoiceId === invoice.id),
            ),
      ),
    );
  }

  /**
   * Freezes a DRAFT invoice: prices it one last time, applies credits, takes the next number and writes the
   * lines, all in one transaction (see `InvoiceFinalization.finalize`).
   */
  async finalize(
    ctx: RequestContext,
    id: string,
    options: FinalizeOptions = {},
  ): Promise<{ invoice: InvoiceEntity; outcome: FinalizeOutcome }> {
    try {
      const result = await this.finalization.finalize(ctx, id, options);
      for (const listener of this.finalizeListeners) listener(result.outcome);
      return result;
    } catch (error) {
      for (const listener of this.finalizeListeners) listener('FAILED');
      throw error;
    }
  }

  /** Called with the outcome of every finalization attempt (metrics count them); FAILED when it threw. */
  onFinalizeAttempt(listener: (outcome: FinalizeOutcome | 'FAILED') => void): void {
    this.finalizeListeners.push(listener);
  }

  /** DRAFT or FINALIZED → VOID, giving a finalized invoice's credits back (see `InvoiceFinalization.void`). */
  void(ctx: RequestContext, id: string): Promise<InvoiceEntity> {
    return this.finalization.void(ctx, id);
  }

  /** DRAFT period invoices whose period ended more than the grace period ago, oldest first, any environment. */
  findDueForFinalization(ctx: RequestContext, limit: number): Promise<DueInvoice[]> {
    return this.finalization.findDueForFinalization(ctx, limit);
  }

  /** The guard the events API consults: events inside a finalized period are rejected. */
  closedPeriodGuard(): ClosedPeriodGuard {
    return closedPeriodGuard();
  }

  /**
   * The next gap-free number of the caller's environment, for any invoice kind (commitment invoices use it
   * too). Must run inside the transaction that stores the number.
   */
  allocateNumber(tx: RequestContext): Promise<string> {
    return this.numbers.allocate(tx);
  }

  private currentPeriod(contract: ContractEntity, now: Date): BillingPeriod | null {
    const schedule = contractSchedule(contract);
    const containing = periodContaining(schedule, now);
    if (containing) return containing;
    if (now.getTime() < contract.startDate.getTime()) return periodAt(schedule, 0);
    // After the end: the last period.
    return periodContaining(schedule, new Date(contract.endDate!.getTime()));
  }
}
