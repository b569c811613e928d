import { RequestContext } from '../../context';
import { badInput } from '../../domain/errors';
import type { InvoiceEntity } from '../../entities/invoice.entity';
import type { ContractService } from '../contracts';
import type { CreditQueryService, CustomerCreditBalance } from '../credits';
import type { CustomerService } from '../customers';
import type { InvoiceService, InvoiceView } from '../invoicing';
import { DEFAULT_COALESCE_MS, digestOf, LiveFeeds, type FeedItem, type FeedSubscription } from './live-feeds';
import { liveTopics } from '../common';
import type { PubSub } from '../common';

/** One message of `draftInvoiceUpdated`: an invoice with its priced view, or null when there is none. */
export type DraftInvoiceUpdate = { invoice: InvoiceEntity; view: InvoiceView } | null;

export interface DraftInvoiceTarget {
  customerId?: string | null;
  contractId?: string | null;
}

/** Everything a client sees of an invoice: two views with the same digest render the same. */
export function invoiceDigest(view: InvoiceView): string {
  const i = view.invoice;
  return digestOf([
    i.id,
    i.status,
    i.number,
    i.currency,
    i.periodStart,
    i.periodEnd,
    i.amountPaid,
    i.issuedAt,
    i.dueDate,
    i.voidedAt,
    view.subtotal,
    view.creditsApplied,
    view.creditBalanceRemaining,
    view.total,
    view.amountDue,
    view.lines.map((l) => [
      l.position,
      l.kind,
      l.description,
      l.meterCode,
      l.dimensions,
      l.quantity,
      l.rate,
      l.unitSize,
      l.rateSource,
      l.preciseAmount,
      l.amount,
      l.creditsApplied,
      l.serviceFrom,
      l.serviceTo,
    ]),
  ]);
}

const NONE: FeedItem<DraftInvoiceUpdate> = { key: '', value: null, digest: 'none' };

/**
 * Live draft invoices and credit balances for GraphQL subscriptions.
 *
 * Subscribers of the same contract (or customer) share one feed (see LiveFeeds): the invoice is priced
 * once per change, whatever the number of subscribers, at most once per coalescing window, and only
 * changed invoices are sent. Feeds are recomputed when a topic of `liveTopics` fires, i.e. after the change
 * is committed, on whichever server instance it happened (pub/sub goes through Redis when configured).
 * Access checks (portal tokens) happen before `draftInvoice`/`creditBalance` are called.
 */
export class LiveInvoiceService {
  readonly feeds: LiveFeeds;

  constructor(
    pubsub: PubSub,
    private readonly invoices: InvoiceService,
    private readonly contracts: ContractService,
    private readonly customers: CustomerService,
    private readonly creditQueries: CreditQueryService,
    coalesceMs = DEFAULT_COALESCE_MS,
  ) {
    this.feeds = new LiveFeeds(pubsub, coalesceMs);
  }

  /**
   * The current draft invoice of a contract (`contractId`), or of every contract of a customer active now
   * (`customerId` alone: one message per invoice). First the current state, then every change.
   */
  async draftInvoice(
    ctx: RequestContext,
    target: DraftInvoiceTarget,
  ): Promise<FeedSubscription<DraftInvoiceUpdate>> {
    const env = ctx.environmentId;
    if (target.contractId) {
      const contract = await this.contracts.getByIdOrThrow(ctx, target.contractId, 'contractId');
      if (target.customerId && contract.customerId !== target.customerId) {
        throw badInput(
          'contractId',
          `Contract ${contract.id} is not a contract of customer ${target.customerId}`,
        );
      }
      return this.feeds.subscribe<DraftInvoiceUpdate>({
        key: `draft:${env}:contract:${contract.id}`,
        topics: this.invoiceTopics(env, contract.customerId),
        log: ctx.log,
        compute: async () => {
          const system = systemContext(ctx);
          const invoice = await this.invoices.currentForContract(system, contract.id);
          return invoice ? this.items(system, [invoice]) : [NONE];
        },
      });
    }
    if (target.customerId) {
      const customer = await this.customers.getByIdOrThrow(ctx, target.customerId);
      return this.feeds.subscribe<DraftInvoiceUpdate>({
        key: `draft:${env}:customer:${customer.id}`,
        topics: this.invoiceTopics(env, customer.id),
        log: ctx.log,
        compute: async () => {
          const system = systemContext(ctx);
          const invoices = await this.invoices.currentForCustomer(system, customer.id);
          return invoices.length ? this.items(system, invoices) : [NONE];
        },
      });
    }
    throw badInput('customerId', 'Give customerId or contractId');
  }

  /** The customer's credit balance: first the current one, then every change. */
  async creditBalance(
    ctx: RequestContext,
    customerId: string,
  ): Promise<FeedSubscription<CustomerCreditBalance>> {
    const customer = await this.customers.getByIdOrThrow(ctx, customerId);
    const env = ctx.environmentId;
    return this.feeds.subscribe<CustomerCreditBalance>({
      key: `credits:${env}:${customer.id}`,
      topics: [liveTopics.credits(env, customer.id), liveTopics.contracts(env, customer.id)],
      log: ctx.log,
      compute: async () => {
        const balance = await this.creditQueries.getBalance(systemContext(ctx), customer.id);
        return [{ key: customer.id, value: balance, digest: digestOf(balance) }];
      },
    });
  }

  /** Ends every live subscription (server shutdown). */
  close(): Promise<void> {
    return this.feeds.close();
  }

  /**
   * What re-prices a customer's draft: its usage, its credits, its contracts, its invoices' finalization or
   * void (the current draft itself becomes FINALIZED or VOID), the environment's rate cards.
   */
  private invoiceTopics(environmentId: string, customerId: string): string[] {
    return [
      liveTopics.usage(environmentId, customerId),
      liveTopics.credits(environmentId, customerId),
      liveTopics.contracts(environmentId, customerId),
      liveTopics.invoices(environmentId, customerId),
      liveTopics.catalog(environmentId),
    ];
  }

  private async items(
    ctx: RequestContext,
    invoices: readonly InvoiceEntity[],
  ): Promise<Array<FeedItem<DraftInvoiceUpdate>>> {
    const views = await this.invoices.views(ctx, invoices);
    return views.map((view) => ({
      key: view.invoice.id,
      value: { invoice: view.invoice, view },
      digest: invoiceDigest(view),
    }));
  }
}

/**
 * Feeds are shared by every subscriber, so they compute as the system, in the subscriber's environment.
 * A new context per computation: services memoise per context (e.g. the pricing catalog), which must not
 * outlive one computation.
 */
function systemContext(ctx: RequestContext): RequestContext {
  return new RequestContext(
    ctx.db,
    ctx.environmentId,
    ctx.organizationId,
    { kind: 'SYSTEM', name: 'live' },
    ctx.clock,
    ctx.log,
    'live',
  );
}
