import type { Logger } from '../logger';

export interface Worker {
  readonly name: string;
  start(): void;
  /** Stops scheduling and waits for the run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `runOnce` every `intervalMs`, never two runs at once in this process (single-flight).
 * When a run reports it did work, the next one starts at once, so a backlog drains quickly.
 * `wake()` starts a run now (used after commits that create work).
 */
export abstract class PeriodicWorker implements Worker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private wakeRequested = false;

  protected constructor(
    readonly name: string,
    private readonly intervalMs: number,
    protected readonly log: Logger,
  ) {}

  /** Does one unit of work; returns true when there may be more to do right away. */
  protected abstract runOnce(): Promise<boolean>;

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  /** Runs until there is nothing left to do (tests and scripts use this instead of waiting). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    while (await this.runOnce()) {
      /* keep going */
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.running) await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.stopped || this.running) return;
    let more = false;
    this.running = (async () => {
      try {
        more = await this.runOnce();
      } catch (error) {
        this.log.error({ err: error, worker: this.name }, 'worker run failed');
      }
    })();
    await this.running;
    this.running = null;
    if (this.stopped) return;
    const again = more || this.wakeRequested;
    this.wakeRequested = false;
    this.schedule(again ? 0 : this.intervalMs);
  }
}
