import type { RequestContext } from '../context';
import type { Logger } from '../logger';
import type { ClaimedDelivery, WebhookDeliveryService, WebhookSender } from '../services/webhooks';
import { PeriodicWorker } from './worker';

/**
 * Delivers webhooks. A run claims due deliveries for endpoints with free slots and starts their HTTP calls
 * without waiting for them: each call records its own outcome and wakes the worker, so a receiver that
 * hangs for the whole timeout holds only its endpoint's slots, never the claims of other endpoints.
 * Claims are leases (no transaction spans a call), so deliveries of a process that dies go out again
 * once the lease lapses: at least once.
 */
export class WebhookDeliveryWorker extends PeriodicWorker {
  /** In-flight calls per endpoint. */
  private readonly inFlight = new Map<string, Set<Promise<void>>>();
  /** Wake-ups for retries due before the next regular run. */
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly deliveries: WebhookDeliveryService,
    private readonly sender: WebhookSender,
    private readonly systemContext: () => RequestContext,
    log: Logger,
    private readonly perEndpoint: number,
    private readonly idleMs = 1_000,
    private readonly batchSize = 200,
  ) {
    super('webhook-delivery', idleMs, log);
  }

  /** One claim; true when it filled the batch (there may be more right away). */
  override async runOnce(): Promise<boolean> {
    const busy = [...this.inFlight].filter(([, calls]) => calls.size >= this.perEndpoint).map(([id]) => id);
    const claimed = await this.deliveries.claim(this.systemContext(), this.batchSize, this.perEndpoint, busy);
    const surplus: ClaimedDelivery[] = [];
    for (const delivery of claimed) {
      const calls = this.inFlight.get(delivery.endpointId) ?? new Set<Promise<void>>();
      this.inFlight.set(delivery.endpointId, calls);
      if (calls.size >= this.perEndpoint) {
        surplus.push(delivery);
        continue;
      }
      const call = this.deliver(delivery).finally(() => {
        calls.delete(call);
        if (!calls.size) this.inFlight.delete(delivery.endpointId);
        this.wake();
      });
      calls.add(call);
    }
    await this.deliveries.release(this.systemContext(), surplus);
    return claimed.length >= this.batchSize;
  }

  /** Runs until nothing is due and nothing is in flight (tests and scripts). */
  override async drain(): Promise<void> {
    for (;;) {
      await super.drain();
      const calls = [...this.inFlight.values()].flatMap((set) => [...set]);
      if (!calls.length) return;
      await Promise.all(calls);
    }
  }

  /** Stops claiming, then lets the calls in flight finish and record their outcome. */
  override async stop(): Promise<void> {
    await super.stop();
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await Promise.all([...this.inFlight.values()].flatMap((set) => [...set]));
    this.sender.close();
  }

  /** A retry due before the next regular run wakes the worker itself (short backoffs stay short). */
  private wakeIn(ms: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.wake();
    }, ms);
    timer.unref();
    this.retryTimers.add(timer);
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    try {
      const result = await this.sender.send(delivery);
      const ctx = this.systemContext();
      const next = await this.deliveries.recordAttempt(ctx, delivery, result);
      const wait = next.nextAttemptAt.getTime() - ctx.now().getTime();
      if (next.status === 'PENDING' && wait > 0 && wait < this.idleMs) this.wakeIn(wait);
    } catch (error) {
      // The lease lapses and the delivery goes out again.
      this.log.error({ err: error, deliveryId: delivery.id }, 'webhook delivery failed to record');
    }
  }
}
