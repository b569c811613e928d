import Redis from 'ioredis';
import type { Logger } from '../logger';
import type { PubSubTransport } from './pubsub';

const CHANNEL = 'tally:pubsub';

/** Fans messages out to every server instance through one Redis channel. */
export class RedisTransport implements PubSubTransport {
  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {}

  static async connect(url: string, log: Logger): Promise<RedisTransport> {
    const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const subscriber = new Redis(url, { lazyConnect: true });
    for (const client of [publisher, subscriber])
      client.on('error', (err) => log.warn({ err }, 'redis error'));
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(CHANNEL);
    log.info('pub/sub through Redis');
    return new RedisTransport(publisher, subscriber);
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    await this.publisher.publish(CHANNEL, JSON.stringify({ topic, payload }));
  }

  onMessage(listener: (topic: string, payload: unknown) => void): void {
    this.subscriber.on('message', (_channel: string, message: string) => {
      const { topic, payload } = JSON.parse(message) as { topic: string; payload: unknown };
      listener(topic, payload);
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}
