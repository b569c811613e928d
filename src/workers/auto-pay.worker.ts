import type { RequestContext } from '../context';
import type { Logger } from '../logger';
import type { AutoPayService } from '../services/payments';
import { PeriodicWorker } from './worker';

const BATCH = 50;
const INTERVAL_MS = 60_000;

type ContextFor = (environmentId: string, organizationId: string) => RequestContext;

/**
 * Charges finalized invoices of auto-pay contracts to the customer's default payment method on the dunning
 * schedule (woken after each finalization). Each attempt has its own payment reference, so two processes
 * finding the same attempt charge once.
 */
export class AutoPayWorker extends PeriodicWorker {
  constructor(
    private readonly autoPay: AutoPayService,
    private readonly systemContext: () => RequestContext,
    private readonly contextFor: ContextFor,
    log: Logger,
    intervalMs = INTERVAL_MS,
  ) {
    super('auto-pay', intervalMs, log);
  }

  protected async runOnce(): Promise<boolean> {
    const due = await this.autoPay.findDue(this.systemContext(), BATCH);
    let attempted = 0;
    for (const item of due) {
      try {
        const result = await this.autoPay.attempt(
          this.contextFor(item.environmentId, item.organizationId),
          item,
        );
        if (result && !result.replayed) attempted++;
        if (result?.payment.status === 'FAILED') {
          this.log.warn(
            { invoiceId: item.invoiceId, attempt: item.attempt, reason: result.payment.failureReason },
            'auto-pay attempt failed',
          );
        }
      } catch (error) {
        this.log.error({ err: error, invoiceId: item.invoiceId }, 'auto-pay attempt failed to run');
      }
    }
    return due.length === BATCH && attempted > 0;
  }
}
