import { createHash } from 'node:crypto';
import type { Logger } from '../../logger';
import type { PubSub } from '../common';

/** At most one message per feed (so per invoice) in this window; the last message is always the latest state. */
export const DEFAULT_COALESCE_MS = 250;

/** One item of a feed's state: an invoice of a draft-invoice feed, the balance of a credit feed. */
export interface FeedItem<T> {
  /** Identifies the item across recomputations (an invoice id). */
  key: string;
  value: T;
  /** Equal digests mean equal visible state: nothing is sent. */
  digest: string;
}

/** What a feed is: a key shared by every subscriber, the topics that mean "recompute", the computation. */
export interface FeedSpec<T> {
  key: string;
  topics: readonly string[];
  compute: () => Promise<Array<FeedItem<T>>>;
  log: Logger;
}

export function digestOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('base64url');
}

/**
 * One subscriber's view of a feed, as the AsyncIterator a GraphQL `subscribe` function returns.
 *
 * Bounded: undelivered values are kept per item key and a newer value replaces an older one (the
 * older one is moved behind, so order stays "oldest change first"). A slow client therefore holds at most
 * one pending value per invoice, never an unbounded backlog; graphql-ws pulls the next value only once
 * the previous message has been written to the socket.
 */
export class FeedSubscription<T> implements AsyncIterableIterator<T> {
  /** Set once the subscriber has received the feed's whole state (its first message(s)). */
  primed = false;
  private readonly pending = new Map<string, T>();
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | null = null;
  private failure: unknown = null;
  private done = false;

  constructor(private readonly onReturn: (subscription: FeedSubscription<T>) => void) {}

  get closed(): boolean {
    return this.done;
  }

  /** Queues `value` for item `key`, replacing an undelivered older value of the same item. */
  push(key: string, value: T): void {
    if (this.done) return;
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter.resolve({ value, done: false });
      return;
    }
    this.pending.delete(key);
    this.pending.set(key, value);
  }

  /** Ends the iteration with an error (the feed could not compute a first state). */
  fail(error: unknown): void {
    if (this.done) return;
    this.failure = error;
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      this.finish();
      waiter.reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    const first = this.pending.entries().next();
    if (!first.done) {
      this.pending.delete(first.value[0]);
      return Promise.resolve({ value: first.value[1], done: false });
    }
    if (this.failure !== null) {
      const failure = this.failure;
      this.finish();
      return Promise.reject(failure);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** Called by graphql-ws when the client completes the operation or the socket closes: leaves the feed. */
  return(): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.pending.clear();
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.resolve({ value: undefined, done: true });
    this.onReturn(this);
  }
}

/**
 * A shared, reference-counted feed: one per key, whatever the number of subscribers. It listens to its
 * topics while it has subscribers, recomputes at most once per window (single flight: a change during a
 * computation schedules one more run, so the last message always reflects the last change), and sends an
 * item only to subscribers that have not seen its digest.
 */
class Feed<T> {
  readonly subscribers = new Set<FeedSubscription<T>>();
  private readonly latest = new Map<string, FeedItem<T>>();
  private readonly unsubscribe: Array<() => void> = [];
  private initialized = false;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private lastRunAt = -Infinity;
  private lastSentAt = -Infinity;
  closed = false;
  /** Completed computations (tests check that subscribers share them). */
  runs = 0;

  constructor(
    private readonly spec: FeedSpec<T>,
    pubsub: PubSub,
    private readonly windowMs: number,
    private readonly onClosed: () => void,
  ) {
    for (const topic of new Set(spec.topics)) {
      this.unsubscribe.push(pubsub.subscribe(topic, () => this.changed()));
    }
    this.dirty = true;
    void this.run();
  }

  add(subscription: FeedSubscription<T>): void {
    this.subscribers.add(subscription);
    // A feed that has state gives it to a newcomer at once; otherwise the running first computation will.
    if (this.initialized) this.prime(subscription);
  }

  /** A topic fired: the committed state changed. */
  changed(): void {
    if (this.closed) return;
    this.dirty = true;
    this.schedule();
  }

  close(): Promise<void> {
    if (!this.closed) this.onClosed();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const off of this.unsubscribe.splice(0)) off();
    for (const subscription of [...this.subscribers]) void subscription.return();
    return this.running ?? Promise.resolve();
  }

  private schedule(): void {
    if (this.closed || this.running || this.timer || !this.dirty) return;
    const now = Date.now();
    const at = Math.max(this.lastRunAt + this.windowMs, this.lastSentAt + this.windowMs, now);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, at - now);
    this.timer.unref?.();
  }

  private async run(): Promise<void> {
    if (this.closed || this.running) return;
    this.dirty = false;
    this.lastRunAt = Date.now();
    this.running = this.computeAndSend();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    this.schedule();
  }

  private async computeAndSend(): Promise<void> {
    let items: Array<FeedItem<T>>;
    try {
      items = await this.spec.compute();
      this.runs++;
    } catch (error) {
      if (this.closed) return;
      if (!this.initialized) {
        // No state to show: the subscribers get the error and the feed goes (the next subscriber retries).
        this.spec.log.error(
          { err: error, feed: this.spec.key },
          'live feed could not compute its first state',
        );
        for (const subscription of [...this.subscribers]) subscription.fail(error);
        void this.close();
      } else {
        // Keep the last state; the next change (or this one, retried once) recomputes.
        this.spec.log.warn({ err: error, feed: this.spec.key }, 'live feed recomputation failed');
      }
      return;
    }
    if (this.closed) return;
    const changed: Array<FeedItem<T>> = [];
    const keys = new Set(items.map((item) => item.key));
    for (const item of items) {
      if (this.latest.get(item.key)?.digest !== item.digest) changed.push(item);
      this.latest.set(item.key, item);
    }
    for (const key of [...this.latest.keys()]) if (!keys.has(key)) this.latest.delete(key);
    this.initialized = true;
    let sent = false;
    for (const subscription of this.subscribers) {
      if (!subscription.primed) {
        this.prime(subscription);
        sent = true;
        continue;
      }
      for (const item of changed) subscription.push(item.key, item.value);
      sent ||= changed.length > 0;
    }
    if (sent) this.lastSentAt = Date.now();
  }

  private prime(subscription: FeedSubscription<T>): void {
    subscription.primed = true;
    for (const item of this.latest.values()) subscription.push(item.key, item.value);
  }
}

/**
 * The registry of live feeds of one server instance: `subscribe(spec)` joins (or starts) the feed of
 * `spec.key` and returns the subscriber's iterator; its `return()` leaves, and the last one out stops
 * the feed and its topic listeners.
 */
export class LiveFeeds {
  private readonly feeds = new Map<string, Feed<unknown>>();
  private closed = false;

  constructor(
    private readonly pubsub: PubSub,
    private readonly windowMs = DEFAULT_COALESCE_MS,
  ) {}

  subscribe<T>(spec: FeedSpec<T>): FeedSubscription<T> {
    if (this.closed) throw new Error('The server is shutting down');
    let feed = this.feeds.get(spec.key) as Feed<T> | undefined;
    if (!feed || feed.closed) {
      const created: Feed<T> = new Feed<T>(spec, this.pubsub, this.windowMs, () => {
        if (this.feeds.get(spec.key) === created) this.feeds.delete(spec.key);
      });
      this.feeds.set(spec.key, created as Feed<unknown>);
      feed = created;
    }
    const owner = feed;
    const subscription = new FeedSubscription<T>((s) => {
      owner.subscribers.delete(s);
      // The last subscriber out stops the feed: no listener, timer or computation is left behind.
      if (!owner.subscribers.size && !owner.closed) void owner.close();
    });
    feed.add(subscription);
    return subscription;
  }

  /** Open feeds and their subscriber counts (tests and diagnostics). */
  stats(): { feeds: number; subscribers: number; runs: number } {
    let subscribers = 0;
    let runs = 0;
    for (const feed of this.feeds.values()) {
      subscribers += feed.subscribers.size;
      runs += feed.runs;
    }
    return { feeds: this.feeds.size, subscribers, runs };
  }

  /** Ends every subscription (their clients get `complete`) and waits for computations in flight. */
  async close(): Promise<void> {
    this.closed = true;
    const feeds = [...this.feeds.values()];
    this.feeds.clear();
    await Promise.allSettled(feeds.map((feed) => feed.close()));
  }
}
