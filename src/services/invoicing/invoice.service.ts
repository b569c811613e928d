import { In } from 'typeorm';
import type { AppConfig } from '../../config/config';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { AppError, badInput, conflict, ErrorCode, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { Decimal, ZERO } from '../../domain/money';
import { dueDate, periodAt, periodContaining, type BillingPeriod } from '../../domain/periods';
import type { ContractEntity } from '../../entities/contract.entity';
import { InvoiceLineEntity } from '../../entities/invoice-line.entity';
import { InvoiceEntity, type InvoiceStatus } from '../../entities/invoice.entity';
import { contractSchedule, periodOfInvoice } from './contract-schedule';
import type { ContractService } from '../contracts';
import type { CreditDrawdown, DrawdownInput } from '../credits';
import { liveTopics, publishAfterCommit } from '../common';
import type { PubSub } from '../common';
import type { ClosedPeriodGuard, UsageAggregationService } from '../usage';
import type { InvoiceCatalogService } from './invoice-catalog.service';
import { priceInvoice, usageCutPoints, type PricedLine } from './invoice-pricing.service';
import type { InvoiceScheduleService } from './invoice-schedule.service';
import type { InvoiceUsageService } from './invoice-usage.service';
import { checkPageSize, type Page } from '../common';
import { fromSqlDateTime, placeholders, runQuery, sqlDateTime, type WriteResult } from '../usage';

export const INVOICE_STATUSES: readonly InvoiceStatus[] = ['DRAFT', 'FINALIZED', 'PAID', 'VOID'];

export interface InvoiceLineView extends PricedLine {
  position: number;
  creditsApplied: Decimal;
}

/** An invoice with its lines and totals: computed live for a DRAFT, read back frozen otherwise. */
export interface InvoiceView {
  invoice: InvoiceEntity;
  lines: InvoiceLineView[];
  /** Sum of the rounded lines. */
  subtotal: Decimal;
  creditsApplied: Decimal;
  /**
   * The customer's credit balance in the invoice's currency after this invoice's drawdown: previewed for a
   * DRAFT, frozen at finalization otherwise (null when the invoice never went through a drawdown).
   */
  creditBalanceRemaining: Decimal | null;
  /** The subtotal (no taxes or discounts yet): what the invoice charges before credits. */
  total: Decimal;
  /** `total − creditsApplied − amountPaid`, never below zero. */
  amountDue: Decimal;
}

export interface InvoiceListArgs {
  customerId?: string | null;
  status?: InvoiceStatus | null;
  first?: number | null;
  /** Decoded cursor: `<periodStartMs>:<id>`. */
  after?: string | null;
}

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

/** Invoices: live drafts, finalization (frozen lines, gap-free numbers), voiding, and the closed-period guard. */
export class InvoiceService {
  /** Environments whose sequence row is known to exist (it is created once, outside the hot transaction). */
  private readonly sequenced = new Set<string>();
  private pubsub: PubSub | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly contracts: ContractService,
    private readonly schedule: InvoiceScheduleService,
    private readonly catalog: InvoiceCatalogService,
    private readonly usage: InvoiceUsageService,
    private readonly usageAggregation: Pick<UsageAggregationService, 'pendingAggregation'>,
    private drawdown: CreditDrawdown,
  ) {}

  /** The credit service plugs its drawdown in at composition (until then `noCredits`). */
  useCreditDrawdown(drawdown: CreditDrawdown): void {
    this.drawdown = drawdown;
  }

  /** Live subscriptions: finalizations and voids are announced after commit (see `announce`). */
  usePubSub(pubsub: PubSub): void {
    this.pubsub = pubsub;
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
    if (args.status) qb.andWhere('i.status = :status', { status: args.status });
    if (args.after) {
      const match = /^(\d+):(.+)$/.exec(args.after);
      if (!match) throw badInput('after', 'is not a cursor returned by this API');
      const start = new Date(Number(match[1]));
      qb.andWhere('(i.period_start < :start OR (i.period_start = :start AND i.id < :id))', {
        start,
        id: match[2],
      });
    }
    const rows = await qb
      .orderBy('i.period_start', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .take(size + 1)
      .getMany();
    return { nodes: rows.slice(0, size), hasNextPage: rows.length > size };
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
          ? this.priceDraft(ctx, invoice)
          : frozenView(
              invoice,
              frozenLines.filter((l) => l.invoiceId === invoice.id),
            ),
      ),
    );
  }

  /** Prices a DRAFT at request time from the aggregates, with the credits that would apply. */
  private async priceDraft(ctx: RequestContext, invoice: InvoiceEntity): Promise<InvoiceView> {
    const lines = await this.priceLines(ctx, invoice);
    const credits = await this.drawdown.preview(ctx, drawdownInput(invoice, lines));
    return assembleView(invoice, lines, credits.perLine, ZERO, credits.remainingBalance);
  }

  /** The pricing core, with inputs loaded for the invoice's contract and period. */
  private async priceLines(ctx: RequestContext, invoice: InvoiceEntity): Promise<PricedLine[]> {
    if (!invoice.contractId) return [];
    const contract = await this.contracts.getByIdOrThrow(ctx, invoice.contractId);
    const period = this.periodOf(contract, invoice);
    const inputs = await this.catalog.load(ctx, contract.id);
    const cuts = usageCutPoints({ period, ...inputs });
    const usage = await this.usage.read(ctx, {
      customerId: invoice.customerId,
      meters: [...inputs.meters.values()],
      from: period.start,
      to: period.end,
      cuts,
    });
    return priceInvoice({
      currency: invoice.currency,
      period,
      contractDimensions: contract.dimensions,
      ...inputs,
      usage,
    }).lines;
  }

  /**
   * Freezes a DRAFT invoice: prices it one last time, applies credits, takes the next number and writes the
   * lines, all in one transaction. The invoice row is locked and re-checked, so each invoice is finalized
   * exactly once however many processes try; the environment's sequence row is locked last (held only for
   * the few statements before commit) so numbers are gap-free: a rolled-back attempt takes no number.
   * The customer's row is locked first, which closes the period against concurrent ingestion (see
   * `closedPeriodGuard`).
   */
  async finalize(
    ctx: RequestContext,
    id: string,
    options: FinalizeOptions = {},
  ): Promise<{ invoice: InvoiceEntity; outcome: FinalizeOutcome }> {
    await this.ensureSequenceRow(ctx);
    // An invoice's customer never changes, so it is read before the transaction: inside it, the first
    // consistent read must come after the locks (see below).
    const owner = await this.findById(ctx, id);
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
      const invoice = await this.findById(tx, id);
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
      const pending = await this.hasUnaggregatedUsage(tx, invoice);
      if (pending) {
        if (options.worker) return { invoice, outcome: 'USAGE_PENDING' as const };
        throw conflict(`Usage of invoice ${id}'s period is still being aggregated; try again in a moment`);
      }

      const priced = await this.priceLines(tx, invoice);
      const credits = await this.drawdown.apply(tx, drawdownInput(invoice, priced));
      const view = assembleView(
        invoice,
        priced,
        credits.perLine,
        invoice.amountPaid,
        credits.remainingBalance,
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
              serviceFrom: line.serviceFrom,
              serviceTo: line.serviceTo,
            }),
          ),
        );
      }
      // The number comes last: the sequence row stays locked only for the final update and the commit.
      const number = await this.takeNumber(tx);
      Object.assign(invoice, {
        status: 'FINALIZED',
        number,
        issuedAt: now,
        dueDate: dueDate(now, contract.paymentTermsDays),
        subtotal: view.subtotal,
        creditsApplied: view.creditsApplied,
        creditBalanceRemaining: view.creditBalanceRemaining,
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
          total: invoice.total,
          amountDue: invoice.amountDue,
          finalizedAt: now,
          updatedAt: now,
        },
      );
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
      }
      invoice.status = 'VOID';
      invoice.voidedAt = now;
      invoice.updatedAt = now;
      await tx.repo(InvoiceEntity).update({ id }, { status: 'VOID', voidedAt: now, updatedAt: now });
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
  closedPeriodGuard(): ClosedPeriodGuard {
    return {
      isClosed: async (ctx, customerId, occurredAt) => {
        const t = occurredAt.getTime();
        const ranges = (await this.closedRanges(ctx, [customerId])).get(customerId) ?? [];
        return ranges.some(([from, to]) => from <= t && t < to);
      },
      closedRanges: (ctx, customerIds, options) => this.closedRanges(ctx, customerIds, options?.locking),
    };
  }

  /** The finalized periods ([from, to) in epoch ms) of each customer: one query for a whole batch. */
  private async closedRanges(
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

  private currentPeriod(contract: ContractEntity, now: Date): BillingPeriod | null {
    const schedule = contractSchedule(contract);
    const containing = periodContaining(schedule, now);
    if (containing) return containing;
    if (now.getTime() < contract.startDate.getTime()) return periodAt(schedule, 0);
    // After the end: the last period.
    return periodContaining(schedule, new Date(contract.endDate!.getTime()));
  }

  private periodOf(contract: ContractEntity, invoice: InvoiceEntity): BillingPeriod {
    try {
      return periodOfInvoice(contract, invoice.periodStart);
    } catch {
      // The schedule changed since the invoice was generated: the invoice's own dates are the period.
      return { index: 0, start: invoice.periodStart, end: invoice.periodEnd, nominalEnd: invoice.periodEnd };
    }
  }

  /**
   * True when some usage of the invoice's period is stored but not yet aggregated (the usage module owns
   * that answer): freezing the invoice then would miss it.
   */
  private async hasUnaggregatedUsage(tx: RequestContext, invoice: InvoiceEntity): Promise<boolean> {
    const meterIds = [...(await this.catalog.load(tx, invoice.contractId!)).meters.keys()];
    return this.usageAggregation.pendingAggregation(tx, {
      environmentId: invoice.environmentId,
      customerId: invoice.customerId,
      from: invoice.periodStart,
      to: invoice.periodEnd,
      meterIds,
    });
  }

  private async ensureSequenceRow(ctx: RequestContext): Promise<void> {
    if (this.sequenced.has(ctx.environmentId)) return;
    await ctx.db.query(
      'INSERT IGNORE INTO invoice_number_sequences (environment_id, last_number) VALUES (?, 0)',
      [ctx.environmentId],
    );
    this.sequenced.add(ctx.environmentId);
  }

  /**
   * The next gap-free number of the caller's environment, for any invoice kind (commitment invoices use it
   * too). Must run inside the transaction that stores the number: the lock is held until it commits, and a
   * rollback gives the number back. Call it as late as possible in that transaction.
   */
  async allocateNumber(tx: RequestContext): Promise<string> {
    if (!tx.transaction) throw new Error('allocateNumber must run inside a transaction');
    await this.ensureSequenceRow(tx);
    return this.takeNumber(tx);
  }

  /** The next number of the environment, under the sequence row's lock (held until commit). */
  private async takeNumber(tx: RequestContext): Promise<string> {
    // LAST_INSERT_ID(expr) hands the incremented value back in the statement's result: one round trip.
    const result = (await tx.manager.query(
      'UPDATE invoice_number_sequences SET last_number = LAST_INSERT_ID(last_number + 1) WHERE environment_id = ?',
      [tx.environmentId],
    )) as WriteResult;
    if (result.affectedRows !== 1) {
      throw new AppError(ErrorCode.INTERNAL, `No invoice number sequence for ${tx.environmentId}`);
    }
    return formatInvoiceNumber(Number(result.insertId));
  }
}

/** `INV-000001`; past a million the number simply grows wider. */
export function formatInvoiceNumber(n: number): string {
  return `INV-${String(n).padStart(6, '0')}`;
}

function drawdownInput(invoice: InvoiceEntity, lines: readonly PricedLine[]): DrawdownInput {
  return {
    invoiceId: invoice.id,
    customerId: invoice.customerId,
    contractId: invoice.contractId,
    currency: invoice.currency,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    lines: lines.map((line, position) => ({
      key: String(position),
      kind: line.kind,
      amount: line.amount,
      description: line.description,
      meterCode: line.meterCode,
      dimensions: line.dimensions,
    })),
  };
}

function assembleView(
  invoice: InvoiceEntity,
  priced: readonly PricedLine[],
  perLine: ReadonlyMap<string, Decimal>,
  amountPaid: Decimal,
  creditBalanceRemaining: Decimal,
): InvoiceView {
  const lines = priced.map((line, position) => ({
    ...line,
    position,
    creditsApplied: perLine.get(String(position)) ?? ZERO,
  }));
  const subtotal = lines.reduce((sum, l) => sum.plus(l.amount), ZERO);
  const creditsApplied = lines.reduce((sum, l) => sum.plus(l.creditsApplied), ZERO);
  const total = subtotal;
  return {
    invoice,
    lines,
    subtotal,
    creditsApplied,
    creditBalanceRemaining,
    total,
    amountDue: Decimal.max(ZERO, total.minus(creditsApplied).minus(amountPaid)),
  };
}

function frozenView(invoice: InvoiceEntity, rows: readonly InvoiceLineEntity[]): InvoiceView {
  const lines: InvoiceLineView[] = rows.map((row) => ({
    kind: row.kind,
    pricingId: row.pricingId,
    meterCode: row.meterCode,
    description: row.description,
    dimensions: row.dimensions,
    quantity: row.quantity,
    rate: row.rate,
    unitSize: row.unitSize,
    rateSource: row.rateSource,
    preciseAmount: row.preciseAmount,
    amount: row.amount,
    serviceFrom: row.serviceFrom,
    serviceTo: row.serviceTo,
    position: row.position,
    creditsApplied: row.creditsApplied,
  }));
  const subtotal = invoice.subtotal ?? lines.reduce((sum, l) => sum.plus(l.amount), ZERO);
  const creditsApplied = invoice.creditsApplied ?? ZERO;
  const total = invoice.total ?? subtotal;
  return {
    invoice,
    lines,
    subtotal,
    creditsApplied,
    creditBalanceRemaining: invoice.creditBalanceRemaining,
    total,
    amountDue: Decimal.max(ZERO, total.minus(creditsApplied).minus(invoice.amountPaid)),
  };
}
