import type { RequestContext } from '../context';
import type { Logger } from '../logger';
import type { CreditService } from '../services/credits';
import { PeriodicWorker } from './worker';

/** Expiry is due at most this long after `expiresAt` (breakage is an accounting entry, not a race). */
export const CREDIT_EXPIRY_INTERVAL_MS = 60_000;
const PAGE_SIZE = 200;

/**
 * Writes the EXPIRY entry (breakage) for every grant whose `expiresAt` has passed. Safe in several
 * processes: `CreditService.expireGrant` locks the grant and re-checks its status, so each grant expires
 * exactly once. A grant an open invoice may still draw on is skipped and retried on a later run.
 */
export class CreditExpiryWorker extends PeriodicWorker {
  constructor(
    private readonly credits: CreditService,
    /** A system context; `forEnvironment` scopes each grant's work to its environment. */
    private readonly systemContext: () => RequestContext,
    log: Logger,
    intervalMs = CREDIT_EXPIRY_INTERVAL_MS,
  ) {
    super('credit-expiry', intervalMs, log);
  }

  /** One pass over every grant past its expiry. Returns false: one pass leaves nothing due behind. */
  protected async runOnce(): Promise<boolean> {
    const ctx = this.systemContext();
    let after: { expiresAt: Date; id: string } | null = null;
    for (;;) {
      const due = await this.credits.findGrantsPastExpiry(ctx, PAGE_SIZE, after);
      for (const grant of due) {
        try {
          const expired = await this.credits.expireGrant(
            ctx.forEnvironment(grant.environmentId, grant.organizationId),
            grant.id,
          );
          if (expired) this.log.info({ grantId: grant.id }, 'credit grant expired');
        } catch (error) {
          // One bad grant must not stop the others; it is retried on the next run.
          this.log.error({ err: error, grantId: grant.id }, 'credit grant expiry failed');
        }
      }
      if (due.length < PAGE_SIZE) return false;
      const last = due[due.length - 1];
      after = { expiresAt: last.expiresAt, id: last.id };
    }
  }
}
