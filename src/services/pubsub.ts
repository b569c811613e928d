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

  constructor(private readonly transport: PubSubTransport | null = null) {
    this.emitter.setMaxListeners(0);
    transport?.onMessage((topic, payload) => this.emitter.emit(topic, payload));
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    if (this.transport) await this.transport.publish(topic, payload);
    else this.emitter.emit(topic, payload);
  }

  /** Returns the function that unsubscribes. */
  subscribe(topic: string, listener: (payload: unknown) => void): () => void {
    this.emitter.on(topic, listener);
    return () => this.emitter.off(topic, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
    await this.transport?.close();
  }
}
