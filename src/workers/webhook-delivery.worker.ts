import type { RequestContext } from '../context';
import type { Logger } from '../logger';
import type {
  AttemptResult,
  ClaimedDelivery,
  WebhookDeliveryService,
  WebhookSender,
} from '../services/webhooks';
import { PeriodicWorker } from './worker';

/** Claimed deliveries an endpoint may have waiting for a slot, as a multiple of its slots. */
const QUEUE_PER_SLOT = 25;

interface EndpointLane {
  calls: Set<Promise<void>>;
  queue: Array<{ delivery: ClaimedDelivery; claimedAt: number }>;
}

/**
 * Delivers webhooks. A run claims due deliveries (a capped share per endpoint) and queues them on their
 * endpoint's lane, which sends at most `perEndpoint` at once; calls are not awaited by the run, so a receiver
 * that hangs for the whole timeout holds only its own lane, never another endpoint's deliveries. Each call
 * records its own outcome. Claims are leases (no transaction spans a call): deliveries of a process that dies
 * go out again once the lease lapses, so delivery is at least once; a queued delivery whose lease is about to
 * lapse is given back rather than sent, so it is not sent twice by two processes.
 */
export class WebhookDeliveryWorker extends PeriodicWorker {
  private readonly lanes = new Map<string, EndpointLane>();
  /** Wake-ups for retries due before the next regular run. */
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** Answers waiting to be recorded; recorded in batches, one transaction each (group commit). */
  private readonly unrecorded: Array<{ delivery: ClaimedDelivery; result: AttemptResult }> = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly deliveries: WebhookDeliveryService,
    private readonly sender: WebhookSender,
    private readonly systemContext: () => RequestContext,
    log: Logger,
    private readonly perEndpoint: number,
    /** A queued delivery is sent only while this much of its lease is left (one timeout and a margin). */
    private readonly minLeaseLeftMs: number,
    private readonly leaseMs: number,
    private readonly idleMs = 1_000,
    private readonly batchSize = 500,
  ) {
    super('webhook-delivery', idleMs, log);
  }

  /** One claim; true when it filled the batch (there may be more right away). */
  override async runOnce(): Promise<boolean> {
    const share = this.perEndpoint * QUEUE_PER_SLOT;
    const full = [...this.lanes].filter(([, lane]) => lane.queue.length >= share / 2).map(([id]) => id);
    const claimed = await this.deliveries.claim(this.systemContext(), this.batchSize, share, full);
    const claimedAt = Date.now();
    for (const delivery of claimed) this.lane(delivery.endpointId).queue.push({ delivery, claimedAt });
    for (const endpointId of new Set(claimed.map((d) => d.endpointId))) this.pump(endpointId);
    return claimed.length >= this.batchSize;
  }

  /** Runs until nothing is due, queued or in flight (tests and scripts). */
  override async drain(): Promise<void> {
    for (;;) {
      await super.drain();
      const calls = [...this.lanes.values()].flatMap((lane) => [...lane.calls]);
      if (!calls.length && !this.flushing) return;
      await Promise.all(calls);
      await this.flushing;
    }
  }

  /** Stops claiming, gives queued deliveries back, lets the calls in flight finish and record their outcome. */
  override async stop(): Promise<void> {
    await super.stop();
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    const queued = [...this.lanes.values()].flatMap((lane) => lane.queue.splice(0).map((q) => q.delivery));
    await this.release(queued);
    await Promise.all([...this.lanes.values()].flatMap((lane) => [...lane.calls]));
    await this.flushing;
    this.sender.close();
  }

  private lane(endpointId: string): EndpointLane {
    let lane = this.lanes.get(endpointId);
    if (!lane) {
      lane = { calls: new Set(), queue: [] };
      this.lanes.set(endpointId, lane);
    }
    return lane;
  }

  /** Starts queued deliveries of the endpoint while it has free slots. */
  private pump(endpointId: string): void {
    const lane = this.lane(endpointId);
    const stale: ClaimedDelivery[] = [];
    while (lane.calls.size < this.perEndpoint && lane.queue.length) {
      const { delivery, claimedAt } = lane.queue.shift()!;
      if (claimedAt + this.leaseMs - Date.now() < this.minLeaseLeftMs) {
        stale.push(delivery);
        continue;
      }
      const call = this.deliver(delivery)
        .catch((error: unknown) =>
          this.log.error({ err: error, deliveryId: delivery.id }, 'webhook send failed'),
        )
        .finally(() => {
          lane.calls.delete(call);
          this.pump(endpointId);
          if (!lane.calls.size && !lane.queue.length) this.lanes.delete(endpointId);
          if (lane.queue.length < (this.perEndpoint * QUEUE_PER_SLOT) / 2) this.wake();
        });
      lane.calls.add(call);
    }
    if (stale.length) void this.release(stale);
  }

  private async release(deliveries: ClaimedDelivery[]): Promise<void> {
    const byToken = new Map<string, ClaimedDelivery[]>();
    for (const d of deliveries) byToken.set(d.token, [...(byToken.get(d.token) ?? []), d]);
    try {
      for (const group of byToken.values()) await this.deliveries.release(this.systemContext(), group);
    } catch (error) {
      this.log.warn({ err: error }, 'webhook claims not given back; their leases will lapse');
    }
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

  /**
   * Sends one delivery; the slot is free again as soon as the receiver answered (recording the answer is
   * batched). Until recorded, the delivery stays PENDING under its lease, so no later event of the same
   * object can be claimed meanwhile.
   */
  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const result = await this.sender.send(delivery);
    this.unrecorded.push({ delivery, result });
    this.flushing ??= this.flush().finally(() => {
      this.flushing = null;
    });
  }

  private async flush(): Promise<void> {
    while (this.unrecorded.length) {
      const batch = this.unrecorded.splice(0, 200);
      try {
        const ctx = this.systemContext();
        const outcomes = await this.deliveries.recordAttempts(ctx, batch);
        const soonest = Math.min(
          ...outcomes
            .filter((o) => o.status === 'PENDING')
            .map((o) => o.nextAttemptAt.getTime() - ctx.now().getTime())
            .filter((wait) => wait > 0),
        );
        if (soonest < this.idleMs) this.wakeIn(soonest);
        this.wake();
      } catch (error) {
        // Their leases lapse and the deliveries go out again (at least once).
        this.log.error({ err: error, deliveries: batch.length }, 'webhook outcomes failed to record');
      }
    }
  }
}
