import Redis from 'ioredis';
import type { Logger } from '../../logger';
import type { PubSubTransport } from './pubsub';

/** The default channel prefix; several deployments (or test runs) on one Redis use different ones. */
export const DEFAULT_REDIS_PREFIX = 'tally:';

/** Fans messages out to every server instance through one Redis channel (`<prefix>pubsub`). */
export class RedisTransport implements PubSubTransport {
  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly log: Logger,
  ) {}

  static async connect(url: string, log: Logger, prefix = DEFAULT_REDIS_PREFIX): Promise<RedisTransport> {
    const channel = `${prefix}pubsub`;
    const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const subscriber = new Redis(url, { lazyConnect: true });
    for (const client of [publisher, subscriber])
      client.on('error', (err) => log.warn({ err }, 'redis error'));
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(channel);
    log.info({ channel }, 'pub/sub through Redis');
    return new RedisTransport(publisher, subscriber, channel, log);
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify({ topic, payload }));
  }

  onMessage(listener: (topic: string, payload: unknown) => void): void {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      let parsed: { topic?: unknown; payload?: unknown };
      try {
        parsed = JSON.parse(message) as { topic?: unknown; payload?: unknown };
      } catch {
        this.log.warn({ channel }, 'ignoring a pub/sub message that is not JSON');
        return;
      }
      if (typeof parsed.topic === 'string') listener(parsed.topic, parsed.payload);
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}
