import type { RequestContext } from '../context';
import type { Logger } from '../logger';
import type { SalesforceConnectionService, SyncResult } from '../services/crm';
import { PeriodicWorker } from './worker';

/**
 * The safety net behind the Salesforce trigger: every few minutes each connection reads the won deals
 * modified since its watermark. Single-flight per connection is enforced by the lease in `sync`, so
 * several instances may run this worker.
 */
export class SalesforcePollerWorker extends PeriodicWorker {
  constructor(
    private readonly salesforce: SalesforceConnectionService,
    private readonly systemContext: (
      environmentId: string,
      organizationId: string,
      name: string,
    ) => RequestContext,
    log: Logger,
    private readonly pollIntervalMs = 3 * 60_000,
    checkIntervalMs = 30_000,
  ) {
    super('salesforce-poller', checkIntervalMs, log);
  }

  override async runOnce(): Promise<boolean> {
    await this.pollDue();
    return false;
  }

  /** Syncs every connection due for a poll; returns their results (tests look at them). */
  async pollDue(): Promise<SyncResult[]> {
    const due = await this.salesforce.dueForPoll(
      this.systemContext('', '', 'salesforce-poller'),
      this.pollIntervalMs,
    );
    const results: SyncResult[] = [];
    for (const { environmentId, organizationId } of due) {
      const ctx = this.systemContext(environmentId, organizationId, 'salesforce-poller');
      const result = await this.salesforce.sync(ctx);
      if (result.status === 'FAILED')
        this.log.warn({ environmentId, reason: result.reason }, 'Salesforce poll failed');
      results.push(result);
    }
    return results;
  }
}
