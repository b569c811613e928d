import type { RequestContext } from '../context';
import type { Logger } from '../logger';
import type { CrmOutboxService, PushBatchResult } from '../services/crm';
import { PeriodicWorker } from './worker';

/**
 * Pushes the CRM outbox to Salesforce: claims due rows (SKIP LOCKED, so several instances can run),
 * upserts them parents first and records each row's outcome. Woken right after an enqueue commits.
 */
export class CrmOutboxWorker extends PeriodicWorker {
  constructor(
    private readonly outbox: CrmOutboxService,
    private readonly systemContext: () => RequestContext,
    log: Logger,
    intervalMs = 2_000,
    private readonly batchSize = 1_000,
  ) {
    super('crm-outbox', intervalMs, log);
  }

  /** One cycle; true when a full batch was claimed (there may be more right away). */
  override async runOnce(): Promise<boolean> {
    const result = await this.pushOnce();
    return result.claimed >= this.batchSize;
  }

  async pushOnce(): Promise<PushBatchResult> {
    const result = await this.outbox.pushBatch(this.systemContext(), this.batchSize);
    if (result.claimed) this.log.debug({ ...result }, 'CRM outbox batch pushed');
    return result;
  }
}
