import WebSocket from 'ws';
import { FeedSubscription } from '../../src/services/live';
import { TestApp } from '../support/test-app';
import { sendBatch } from '../support/usage-helpers';
import {
  DRAFT_BY_CONTRACT,
  createCatalog,
  createCustomerWithContract,
  liveClient,
  sleep,
  subscribe,
  wsUrl,
  type LiveInvoice,
} from './live.support';

/** A bare graphql-transport-ws client on `ws`, to misbehave in ways graphql-ws's client never would. */
async function rawClient(t: TestApp, token: string, options: WebSocket.ClientOptions = {}) {
  const socket = new WebSocket(wsUrl(t), 'graphql-transport-ws', options);
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })),
  );
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const acked = new Promise<void>((resolve) =>
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') resolve();
    }),
  );
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await acked;
  return { socket, closed };
}

/** Polls `condition` until it holds, failing after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('slow and dead WebSocket clients', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ config: { wsKeepAliveMs: 300, wsMaxBufferedBytes: 64 * 1024 } });
  });
  afterAll(() => t.stop());

  it('terminates a client that stops answering pings, keeps one that answers', async () => {
    const dead = await rawClient(t, t.apiKey, { autoPong: false });
    const alive = liveClient(t, t.apiKey);
    await alive.connected;
    const started = Date.now();
    const closed = await dead.closed;
    expect(closed.code).toBe(1006); // terminated: no closing handshake with a dead peer
    expect(closed.at - started).toBeLessThan(2_000);
    await sleep(700);
    let aliveClosed = false;
    void alive.closed.then(() => (aliveClosed = true));
    await sleep(10);
    expect(aliveClosed).toBe(false);
    await alive.client.dispose();
  });

  it('drops a client that does not read, without holding up the others', async () => {
    // Keep-alive far away: only the send-buffer limit can drop the stuck client here. 256 KB is a few
    // messages: more than a healthy reader ever has in flight, far less than the stuck one piles up.
    const t = await TestApp.start({
      databaseSuffix: 'slow',
      config: { wsKeepAliveMs: 600_000, wsMaxBufferedBytes: 256 * 1024 },
    });
    t.clock.set('2026-03-10T12:00:00Z');
    const { planId } = await createCatalog(t);
    const { contractId, customerId } = await createCustomerWithContract(t, planId, 'Slow Co');
    // A stuck reader: subscribes 100 times and stops reading at once, before anything large arrives, so its
    // receive window never grows (Linux only widens it for a reader that keeps up).
    const stuck = await rawClient(t, t.apiKey);
    for (let i = 0; i < 100; i++) {
      stuck.socket.send(
        JSON.stringify({
          id: String(i),
          type: 'subscribe',
          payload: { query: DRAFT_BY_CONTRACT, variables: { contractId } },
        }),
      );
    }
    // ws's own pause (not the raw socket's): ws would resume a raw socket it paused itself once its parser drains.
    stuck.socket.pause();

    const healthy = liveClient(t, t.apiKey);
    const sub = subscribe<LiveInvoice>(healthy.client, DRAFT_BY_CONTRACT, { contractId });
    await sub.count(1);
    const live = t.app.services.live.feeds;
    await until(() => live.stats().subscribers === 101, 10_000, '101 subscribers');
    // Big invoices (one line per region) make every message ~40 KB: 100 subscriptions put ~4 MB per round
    // on the stuck socket. Kernel buffers absorb a few MB at most, so unsent data passes the limit within
    // a few rounds; rounds are counted, not timed, so a loaded machine only makes the test slower.
    let round = 0;
    while (live.stats().subscribers > 1 && round < 20) {
      round++;
      const events = Array.from({ length: 300 }, (_, i) => ({
        customer_id: customerId,
        event_name: 'api_call',
        idempotency_key: `slow-${round}-${i}`,
        timestamp: t.clock.now().toISOString(),
        properties: { units: 1, region: `region-${i}` },
      }));
      expect((await sendBatch(t, events)).status).toBe(202);
      await t.app.workers.aggregator.drain();
      const expected = String((round * 300 * 0.5).toFixed(2));
      // The healthy client gets every round, however stuck the other one is.
      await sub.until((s) => s.last.subtotal === expected, 20_000, `round ${round}`);
      // A dropped socket leaves the feeds once its close completes (or it is terminated a second later).
      await until(() => live.stats().subscribers === 1, 1_500, 'the stuck client dropped').catch(
        () => undefined,
      );
    }
    expect(live.stats().subscribers).toBe(1);
    expect(round).toBeGreaterThan(0);
    // (The stuck client sees the close only once it reads again.)
    stuck.socket.resume();
    // 1008 when the close frame gets through; usually it sits behind the backlog and the socket is terminated.
    expect([1006, 1008]).toContain((await stuck.closed).code);
    await healthy.client.dispose();
    await t.stop();
  }, 180_000);

  it('keeps at most one undelivered state per invoice for a subscriber that does not pull', async () => {
    let left = 0;
    const subscription = new FeedSubscription<number>(() => left++);
    for (let i = 0; i < 1000; i++) subscription.push(`inv_${i % 3}`, i);
    expect(await subscription.next()).toEqual({ value: 997, done: false });
    expect(await subscription.next()).toEqual({ value: 998, done: false });
    expect(await subscription.next()).toEqual({ value: 999, done: false });
    const waiting = subscription.next();
    subscription.push('inv_0', 1000);
    expect(await waiting).toEqual({ value: 1000, done: false });
    const pending = subscription.next();
    await subscription.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(left).toBe(1);
  });
});

describe('shutdown', () => {
  it('closes every socket, stuck ones included, and ends the live feeds', async () => {
    const t = await TestApp.start({ databaseSuffix: 'shutdown' });
    t.clock.set('2026-03-10T12:00:00Z');
    const { planId } = await createCatalog(t);
    const { contractId } = await createCustomerWithContract(t, planId, 'Shutdown Co');
    const polite = liveClient(t, t.apiKey);
    const sub = subscribe<LiveInvoice>(polite.client, DRAFT_BY_CONTRACT, { contractId });
    await sub.count(1);
    const stuck = await rawClient(t, t.apiKey);
    stuck.socket.pause();
    expect(t.app.services.live.feeds.stats().feeds).toBe(1);

    const started = Date.now();
    await t.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await polite.closed).toMatchObject({ code: 1001 });
    stuck.socket.resume();
    expect((await stuck.closed).code).toBeGreaterThan(0);
    expect(t.app.services.live.feeds.stats()).toMatchObject({ feeds: 0, subscribers: 0 });
    await polite.client.dispose();
  });
});
