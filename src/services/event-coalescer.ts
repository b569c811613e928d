import type { RequestContext } from '../context';
import { MAX_BATCH_SIZE } from '../domain/usage-event';
import type { EventOutcome, IngestResult } from './event-ingestion.service';

interface Waiting {
  ctx: RequestContext;
  event: unknown;
  resolve: (outcome: EventOutcome) => void;
  reject: (error: unknown) => void;
}

/** Statements in flight per environment; events arriving meanwhile wait and go together in the next one. */
const MAX_FLUSHES_PER_ENVIRONMENT = 4;

/**
 * Group commit for single events. Each POST /v1/events would otherwise cost a lookup, an INSERT and a
 * commit (an fsync) of its own, which caps single-event ingestion near the database's one-row insert rate
 * (DESIGN §5). Events of one environment that arrive while earlier ones are being stored are queued and
 * stored by the next multi-row statement; every caller is answered, with its own outcome, only after that
 * statement committed. Two requests with the same key in one group: the first wins, the other is a duplicate,
 * exactly as across separate statements. The group runs with the context of its first request (same
 * environment, same clock); work inside a caller's transaction is never grouped.
 */
export class SingleEventCoalescer {
  private readonly queues = new Map<string, Waiting[]>();
  private readonly flushing = new Map<string, number>();

  constructor(private readonly ingest: (ctx: RequestContext, events: unknown[]) => Promise<IngestResult>) {}

  async submit(ctx: RequestContext, event: unknown): Promise<EventOutcome> {
    if (ctx.transaction) return (await this.ingest(ctx, [event])).results[0];
    return new Promise<EventOutcome>((resolve, reject) => {
      const queue = this.queues.get(ctx.environmentId) ?? [];
      queue.push({ ctx, event, resolve, reject });
      this.queues.set(ctx.environmentId, queue);
      this.pump(ctx.environmentId);
    });
  }

  private pump(environmentId: string): void {
    const queue = this.queues.get(environmentId);
    while (queue?.length && (this.flushing.get(environmentId) ?? 0) < MAX_FLUSHES_PER_ENVIRONMENT) {
      this.flushing.set(environmentId, (this.flushing.get(environmentId) ?? 0) + 1);
      void this.flush(environmentId, queue.splice(0, MAX_BATCH_SIZE));
    }
    if (queue && !queue.length) this.queues.delete(environmentId);
  }

  private async flush(environmentId: string, group: Waiting[]): Promise<void> {
    try {
      const result = await this.ingest(
        group[0].ctx,
        group.map((w) => w.event),
      );
      group.forEach((waiting, i) => waiting.resolve({ ...result.results[i], index: 0 }));
    } catch (error) {
      group.forEach((waiting) => waiting.reject(error));
    } finally {
      const left = (this.flushing.get(environmentId) ?? 1) - 1;
      if (left) this.flushing.set(environmentId, left);
      else this.flushing.delete(environmentId);
      this.pump(environmentId);
    }
  }
}
