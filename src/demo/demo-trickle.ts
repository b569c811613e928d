import type { App } from '../app';
import type { RequestContext } from '../context';
import type { Logger } from '../logger';
import { ACME_SUPPORT, AI_CALL_METER, AI_CALL_RATES } from './seed-data';

/** One demo call every 15 seconds: enough to watch the live draft move, too little to matter for load. */
export const TRICKLE_INTERVAL_MS = 15_000;

/**
 * A small steady stream of AI calls for the demo customer, so the live draft invoice visibly moves. Calls
 * cycle through the rate card's combinations with 1 to 3 minutes each; each is stored through the events
 * service like any client's event (the aggregator worker then folds it in).
 */
export class DemoTrickle {
  private sent = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly app: App,
    private readonly env: RequestContext,
    private readonly log: Logger,
  ) {}

  /** The next call: the n-th combination of the rate card, 1 + (n mod 3) minutes, timestamped now. */
  nextCall(): { region: string; outcome: string; minutes: number } {
    const [region, outcome] = AI_CALL_RATES[this.sent % AI_CALL_RATES.length];
    return { region, outcome, minutes: 1 + (this.sent % 3) };
  }

  /** Sends one call; answers the events service's outcome ('accepted', 'duplicate' or 'rejected'). */
  async tick(): Promise<string> {
    const call = this.nextCall();
    const now = this.env.now();
    const result = await this.app.services.events.ingest(this.env, [
      {
        customerId: ACME_SUPPORT.externalId,
        eventName: AI_CALL_METER.eventName,
        idempotencyKey: `demo-trickle-${now.toISOString()}-${this.sent}`,
        timestamp: now.toISOString(),
        properties: { region: call.region, call_outcome: call.outcome, duration_minutes: call.minutes },
      },
    ]);
    this.sent++;
    return result.results[0].status;
  }

  start(intervalMs = TRICKLE_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.tick().catch((error) => this.log.warn({ err: error }, 'demo trickle: event not sent'));
    }, intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
