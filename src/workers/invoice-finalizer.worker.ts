import type { RequestContext } from '../context';
import type { Logger } from '../logger';
import type { InvoiceScheduleService } from '../services/invoicing';
import type { DueInvoice, FinalizeOutcome, InvoiceService } from '../services/invoicing';
import { PeriodicWorker } from './worker';

export const FINALIZER_BATCH_SIZE = 500;
/** Invoices finalized at once per process: each is its own transaction; the number lock is held briefly. */
export const FINALIZER_CONCURRENCY = 8;
const INTERVAL_MS = 60_000;

type ContextFor = (environmentId: string, organizationId: string) => RequestContext;

/**
 * Finalizes DRAFT invoices once their period has ended and the grace period has passed, and extends the
 * pre-generated invoices of evergreen contracts as time passes. Safe with several processes: each invoice
 * is locked (SKIP LOCKED, so processes share the work instead of queueing) and re-checked.
 */
export class InvoiceFinalizerWorker extends PeriodicWorker {
  constructor(
    private readonly invoices: InvoiceService,
    private readonly invoiceSchedule: InvoiceScheduleService,
    private readonly systemContext: () => RequestContext,
    private readonly contextFor: ContextFor,
    log: Logger,
    private readonly concurrency = FINALIZER_CONCURRENCY,
    intervalMs = INTERVAL_MS,
  ) {
    super('invoice-finalizer', intervalMs, log);
  }

  /** One round: extend evergreen contracts, then finalize a batch of due invoices. True when more may wait. */
  protected async runOnce(): Promise<boolean> {
    const extended = await this.extendEvergreen();
    const outcomes = await this.finalizeDue();
    const finalized = outcomes.filter((o) => o === 'FINALIZED').length;
    // Invoices skipped because usage is still being aggregated come back next round; do not spin on them.
    return extended === FINALIZER_BATCH_SIZE || (outcomes.length === FINALIZER_BATCH_SIZE && finalized > 0);
  }

  async extendEvergreen(): Promise<number> {
    const contracts = await this.invoiceSchedule.findEvergreenToExtend(
      this.systemContext(),
      FINALIZER_BATCH_SIZE,
    );
    for (const contract of contracts) {
      const ctx = this.contextFor(contract.environmentId, '');
      await this.invoiceSchedule.ensureInvoices(ctx, contract.id);
    }
    return contracts.length;
  }

  async finalizeDue(): Promise<FinalizeOutcome[]> {
    const due = await this.invoices.findDueForFinalization(this.systemContext(), FINALIZER_BATCH_SIZE);
    // One lane per contract at a time: a contract's backlog is numbered in period order.
    const byContract = new Map<string, DueInvoice[]>();
    for (const invoice of due)
      byContract.set(invoice.contractId, [...(byContract.get(invoice.contractId) ?? []), invoice]);
    const queue = [...byContract.values()];
    const outcomes: FinalizeOutcome[] = [];
    const lane = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        for (const invoice of group) outcomes.push(await this.finalizeOne(invoice));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, lane));
    return outcomes;
  }

  private async finalizeOne(invoice: DueInvoice): Promise<FinalizeOutcome> {
    try {
      const ctx = this.contextFor(invoice.environmentId, invoice.organizationId);
      return (await this.invoices.finalize(ctx, invoice.id, { worker: true })).outcome;
    } catch (error) {
      // One broken invoice must not stop the others; it is retried next round.
      this.log.error({ err: error, invoiceId: invoice.id }, 'invoice finalization failed');
      return 'LOCKED';
    }
  }
}
