import type { RequestContext } from '../context';
import type { Logger } from '../logger';
import type { ContractRenewalService } from '../services/contracts';
import { PeriodicWorker } from './worker';

const BATCH = 200;
const INTERVAL_MS = 60_000;

type ContextFor = (environmentId: string, organizationId: string) => RequestContext;

/**
 * Renews auto-renewing contracts whose term is over: the same contract continues with a new term,
 * new periods and new DRAFT invoices. Each renewal locks its contract row and re-checks, so several
 * processes (or a lazy renewal by a concurrent contract change) never renew one term twice.
 */
export class ContractRenewalWorker extends PeriodicWorker {
  constructor(
    private readonly renewals: ContractRenewalService,
    private readonly systemContext: () => RequestContext,
    private readonly contextFor: ContextFor,
    log: Logger,
    intervalMs = INTERVAL_MS,
  ) {
    super('contract-renewal', intervalMs, log);
  }

  protected async runOnce(): Promise<boolean> {
    const due = await this.renewals.findDueForRenewal(this.systemContext(), BATCH);
    let renewed = 0;
    for (const contract of due) {
      try {
        renewed += await this.renewals.renew(
          this.contextFor(contract.environmentId, contract.organizationId),
          contract.id,
        );
      } catch (error) {
        this.log.error({ err: error, contractId: contract.id }, 'contract renewal failed');
      }
    }
    return due.length === BATCH && renewed > 0;
  }
}
