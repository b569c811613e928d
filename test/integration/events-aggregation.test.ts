import { UsageAggregationService } from '../../src/services/usage';
import { AggregatorWorker } from '../../src/workers/aggregator.worker';
import { TestApp } from '../support/test-app';
import { createCustomer } from '../support/billing-api';
import { createMeter, sendBatch, usage, type WireEvent } from '../support/usage-helpers';

const DAY = { from: '2026-03-10T00:00:00Z', to: '2026-03-11T00:00:00Z' };

describe('usage aggregation', () => {
  let t: TestApp;
  let acme: string;
  let key = 0;
  const event = (
    eventName: string,
    properties: Record<string, unknown>,
    timestamp = '2026-03-10T09:15:00Z',
  ): WireEvent => ({
    customer_id: 'acme',
    event_name: eventName,
    idempotency_key: `k-${++key}`,
    timestamp,
    properties,
  });
  const send = async (events: WireEvent[]) => {
    const result = await sendBatch(t, events);
    expect(result.body.rejected).toBe(0);
  };
  const quantities = async (meterCode: string, groupBy?: string[] | null, customerId = acme) =>
    (await usage(t, { customerId, meterCode, ...DAY, groupBy })).map((u) => [
      u.dimensions,
      u.quantity,
      u.eventCount,
    ]);

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-10T12:00:00Z');
    acme = await createCustomer(t, 'Acme', 'acme');
    await createMeter(t, {
      code: 'MINUTES',
      eventName: 'ai_call',
      aggregation: 'SUM',
      aggregationKey: 'minutes',
      groupKeys: ['region', 'outcome'],
    });
    await createMeter(t, {
      code: 'CALLS',
      eventName: 'ai_call',
      aggregation: 'COUNT',
      groupKeys: ['region'],
    });
    await createMeter(t, {
      code: 'PEAK',
      eventName: 'ai_call',
      aggregation: 'MAX',
      aggregationKey: 'minutes',
    });
    await createMeter(t, {
      code: 'STORAGE',
      eventName: 'storage',
      aggregation: 'LATEST',
      aggregationKey: 'gb',
    });
    await createMeter(t, {
      code: 'USERS',
      eventName: 'login',
      aggregation: 'UNIQUE_COUNT',
      aggregationKey: 'user',
      groupKeys: ['plan'],
    });
  });
  afterAll(() => t.stop());

  it('rolls up SUM, COUNT and MAX per dimension combination, a missing group key under "none"', async () => {
    await send([
      event('ai_call', { region: 'US', outcome: 'resolved', minutes: 5 }),
      event('ai_call', { region: 'US', outcome: 'resolved', minutes: '2.25' }, '2026-03-10T10:59:59.999Z'),
      event('ai_call', { region: 'US', outcome: 'escalated', minutes: 12 }),
      event('ai_call', { region: 'EU', outcome: 'resolved', minutes: 1.5 }, '2026-03-10T11:00:00Z'),
      event('ai_call', { outcome: 'resolved', minutes: 4 }),
    ]);
    await t.app.workers.aggregator.drain();
    // Sorted by canonical dimension key (keys in alphabetical order: outcome, then region).
    expect(await quantities('MINUTES')).toEqual([
      [{ region: 'US', outcome: 'escalated' }, '12', 1],
      [{ region: 'EU', outcome: 'resolved' }, '1.5', 1],
      [{ region: 'US', outcome: 'resolved' }, '7.25', 2],
      [{ region: 'none', outcome: 'resolved' }, '4', 1],
    ]);
    expect(await quantities('MINUTES', ['region'])).toEqual([
      [{ region: 'EU' }, '1.5', 1],
      [{ region: 'US' }, '19.25', 3],
      [{ region: 'none' }, '4', 1],
    ]);
    expect(await quantities('MINUTES', [])).toEqual([[{}, '24.75', 5]]);
    expect(await quantities('CALLS')).toEqual([
      [{ region: 'EU' }, '1', 1],
      [{ region: 'US' }, '3', 3],
      [{ region: 'none' }, '1', 1],
    ]);
    expect(await quantities('PEAK')).toEqual([[{}, '12', 5]]);
    const badGroup = await t.gql(
      '{ usage(customerId: "acme", meterCode: "MINUTES", from: "2026-03-10T00:00:00Z", to: "2026-03-11T00:00:00Z", groupBy: ["agent"]) { quantity } }',
    );
    expect(badGroup.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'groupBy.0' });
  });

  it('only counts the hours inside [from, to)', async () => {
    const morning = await usage(t, {
      customerId: acme,
      meterCode: 'MINUTES',
      from: '2026-03-10T09:00:00Z',
      to: '2026-03-10T11:00:00Z',
      groupBy: [],
    });
    expect(morning).toEqual([{ dimensions: {}, quantity: '23.25', eventCount: 4 }]);
    const unaligned = await t.gql(
      '{ usage(customerId: "acme", meterCode: "MINUTES", from: "2026-03-10T09:30:00Z", to: "2026-03-11T00:00:00Z") { quantity } }',
    );
    expect(unaligned.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('LATEST takes the value of the latest event by timestamp, whatever the arrival order', async () => {
    await send([
      event('storage', { gb: 10 }, '2026-03-10T08:00:00Z'),
      event('storage', { gb: 30 }, '2026-03-10T10:30:00Z'),
    ]);
    await t.app.workers.aggregator.drain();
    await send([event('storage', { gb: 20 }, '2026-03-10T09:00:00Z')]); // late, older event
    await t.app.workers.aggregator.drain();
    expect(await quantities('STORAGE')).toEqual([[{}, '30', 3]]);
    await send([event('storage', { gb: '7.5' }, '2026-03-10T10:45:00Z')]);
    await t.app.workers.aggregator.drain();
    expect(await quantities('STORAGE')).toEqual([[{}, '7.5', 4]]);
  });

  it('UNIQUE_COUNT is exact over the period, not a sum of hourly counts', async () => {
    await send([
      event('login', { user: 'ann', plan: 'pro' }, '2026-03-10T01:00:00Z'),
      event('login', { user: 'ann', plan: 'pro' }, '2026-03-10T05:00:00Z'),
      event('login', { user: 'bob', plan: 'pro' }, '2026-03-10T05:10:00Z'),
      event('login', { user: 'ann', plan: 'free' }, '2026-03-10T06:00:00Z'),
      event('login', { user: 7, plan: 'free' }, '2026-03-10T06:00:00Z'),
      event('login', { user: '7', plan: 'free' }, '2026-03-10T07:00:00Z'),
    ]);
    await t.app.workers.aggregator.drain();
    expect(await quantities('USERS')).toEqual([
      [{ plan: 'free' }, '2', 3],
      [{ plan: 'pro' }, '2', 3],
    ]);
    expect(await quantities('USERS', [])).toEqual([[{}, '3', 6]]);
  });

  it('publishes a usage message per affected customer after each committed chunk', async () => {
    const messages: unknown[] = [];
    const unsubscribe = t.app.services.pubsub.subscribe(`usage:${t.environmentId}:${acme}`, (m) =>
      messages.push(m),
    );
    await send([event('ai_call', { region: 'US', outcome: 'resolved', minutes: 1 })]);
    await t.app.workers.aggregator.drain();
    unsubscribe();
    expect(messages).toEqual([{ environmentId: t.environmentId, customerId: acme }]);
  });

  it('stores unmetered events without aggregating them, and backfills them into a meter created later', async () => {
    await send([
      event('api_request', { endpoint: '/a', bytes: 100 }),
      event('api_request', { endpoint: '/b', bytes: 50 }),
      event('api_request', { endpoint: '/a' }), // no bytes: cannot count for a SUM of bytes
    ]);
    await t.app.workers.aggregator.drain();
    const [{ n }] = (await t.app.db.query(
      'SELECT COUNT(*) AS n FROM usage_aggregates WHERE meter_id NOT IN (SELECT id FROM meters)',
    )) as Array<{ n: string }>;
    expect(Number(n)).toBe(0);

    await createMeter(t, {
      code: 'BYTES',
      eventName: 'api_request',
      aggregation: 'SUM',
      aggregationKey: 'bytes',
      groupKeys: ['endpoint'],
    });
    await send([event('api_request', { endpoint: '/a', bytes: 1 })]); // after the meter: counted live
    await t.app.workers.aggregator.drain();
    expect(await quantities('BYTES')).toEqual([
      [{ endpoint: '/a' }, '101', 2],
      [{ endpoint: '/b' }, '50', 1],
    ]);
    await t.app.workers.aggregator.drain();
    expect(await quantities('BYTES', [])).toEqual([[{}, '151', 3]]);
  });

  it('leaves aggregates and watermark consistent when a chunk fails mid-way, then counts each event once', async () => {
    const aggregator = t.app.workers.aggregator;
    const before = await quantities('MINUTES', []);
    await send([
      event('ai_call', { region: 'EU', outcome: 'resolved', minutes: 100 }),
      event('login', { user: 'crash-user', plan: 'pro' }),
    ]);
    for (const stage of ['after-aggregates', 'after-distinct-values', 'before-commit'] as const) {
      const crashing = new UsageAggregationService({ failAt: stage });
      await expect(crashing.aggregateLive(TestApp.systemContext(t.app, t.clock))).rejects.toThrow(stage);
      expect(await quantities('MINUTES', [])).toEqual(before);
    }
    await aggregator.drain();
    await aggregator.drain();
    const after = await quantities('MINUTES', []);
    expect(after[0][1]).toBe(String(Number(before[0][1]) + 100));
    expect(await quantities('USERS', [])).toEqual([[{}, '4', 7]]);
  });

  it('two aggregator processes running at once never count an event twice', async () => {
    const second = new AggregatorWorker(
      new UsageAggregationService(),
      () => TestApp.systemContext(t.app, t.clock),
      t.app.services.pubsub,
      50,
      t.app.log,
    );
    const before = await quantities('CALLS', []);
    const batches = Array.from({ length: 5 }, (_, b) =>
      Array.from({ length: 200 }, () => event('ai_call', { region: `R${b}`, outcome: 'x', minutes: 1 })),
    );
    await Promise.all([
      ...batches.map((events) => send(events)),
      (async () => {
        for (let i = 0; i < 20; i++) await Promise.all([t.app.workers.aggregator.drain(), second.drain()]);
      })(),
    ]);
    await Promise.all([t.app.workers.aggregator.drain(), second.drain()]);
    const after = await quantities('CALLS', []);
    expect(Number(after[0][1]) - Number(before[0][1])).toBe(1000);
  });

  it('picks up an event committed after the watermark passed its id (out-of-order commits)', async () => {
    const [{ max }] = (await t.app.db.query('SELECT MAX(id) AS max FROM usage_events')) as Array<{
      max: string;
    }>;
    const base = Number(max);
    const insert = (id: number, minutes: number) =>
      t.app.db.query(
        `INSERT INTO usage_events (id, environment_id, customer_id, event_name, idempotency_key, occurred_at, received_at, ingest_batch, properties)
         VALUES (?, ?, ?, 'ai_call', ?, '2026-03-10 09:00:00', '2026-03-10 12:00:00', 1, ?)`,
        [id, t.environmentId, acme, `manual-${id}`, JSON.stringify({ region: 'GAP', outcome: 'x', minutes })],
      );
    await insert(base + 3, 1); // committed first, with the higher id
    await t.app.workers.aggregator.drain();
    const progress = await t.app.services.usageAggregation.liveProgress(t.system);
    const gaps = progress?.gaps ?? [];
    expect(gaps.map(([a, b]: number[]) => [a, b])).toContainEqual([base + 1, base + 2]);
    await insert(base + 1, 10); // the slower insert commits later
    await insert(base + 2, 100);
    await t.app.workers.aggregator.drain();
    await t.app.workers.aggregator.drain();
    expect(await quantities('MINUTES', ['region'])).toContainEqual([{ region: 'GAP' }, '111', 3]);
  });
});
