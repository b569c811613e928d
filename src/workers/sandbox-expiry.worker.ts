import type { RequestContext } from '../context';
import type { Logger } from '../logger';
import type { SandboxService } from '../services/platform';
import { PeriodicWorker } from './worker';

const BATCH = 20;
const INTERVAL_MS = 60_000;

/**
 * Deletes sandboxes whose time to live (`createSandbox(ttlHours:)`) has passed, with all their data. A
 * deletion is one transaction that removes the environment row last, so a sandbox two processes both find
 * is deleted once and the second attempt finds nothing left to delete.
 */
export class SandboxExpiryWorker extends PeriodicWorker {
  constructor(
    private readonly sandboxes: SandboxService,
    private readonly systemContext: () => RequestContext,
    log: Logger,
    intervalMs = INTERVAL_MS,
  ) {
    super('sandbox-expiry', intervalMs, log);
  }

  protected async runOnce(): Promise<boolean> {
    const deleted = await this.sandboxes.deleteExpired(this.systemContext(), BATCH);
    if (deleted.length) this.log.info({ sandboxes: deleted.map((d) => d.id) }, 'expired sandboxes deleted');
    return deleted.length === BATCH;
  }
}
