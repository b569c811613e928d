import { EventEmitter } from 'node:events';

/**
 * Topic-based publish/subscribe for live updates. In-process by default; a Redis-backed
 * transport can be attached so that every server instance sees every message.
 */
export interface PubSubTransport {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Called for every message any instance published. */
  onMessage(listener: (topic: string, payload: unknown) => void): void;
  close(): Promise<void>;
}

export class PubSub {
  private readonly emitter = new EventEmitter();
  private closed = false;

  constructor(private readonly transport: PubSubTransport | null = null) {
    this.emitter.setMaxListeners(0);
    transport?.onMessage((topic, payload) => this.deliver(topic, payload));
  }

  /** True when messages travel through another process (Redis), i.e. reach every server instance. */
  get distributed(): boolean {
    return this.transport !== null;
  }

  /**
   * With a transport the message comes back to this instance through it (one path, one order for every
   * instance); without one it is delivered here before `publish` resolves.
   */
  async publish(topic: string, payload: unknown): Promise<void> {
    if (this.closed) return;
    if (this.transport) await this.transport.publish(topic, payload);
    else this.deliver(topic, payload);
  }

  /** Returns the function that unsubscribes. */
  subscribe(topic: string, listener: (payload: unknown) => void): () => void {
    this.emitter.on(topic, listener);
    return () => this.emitter.off(topic, listener);
  }

  /** How many listeners a topic has (tests check that disconnected clients leave none behind). */
  listenerCount(topic: string): number {
    return this.emitter.listenerCount(topic);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.emitter.removeAllListeners();
    await this.transport?.close();
  }

  private deliver(topic: string, payload: unknown): void {
    if (this.closed) return;
    // One failing listener must not keep the message from the others.
    for (const listener of this.emitter.listeners(topic) as Array<(payload: unknown) => void>) {
      try {
        listener(payload);
      } catch {
        /* listeners handle their own errors; see LiveFeeds */
      }
    }
  }
}
