import { EventIngestionService } from '../../src/services/usage';
import { TestApp } from '../support/test-app';
import { createCustomer } from '../support/billing-api';
import {
  countEvents,
  createMeter,
  sendBatch,
  type BatchAnswer,
  type WireEvent,
} from '../support/usage-helpers';

const NOW = '2026-03-10T12:30:00.000Z';

describe('usage event ingestion (REST and GraphQL)', () => {
  let t: TestApp;
  let customerId: string;
  beforeAll(async () => {
    t = await TestApp.start({ config: { eventGraceDays: 35 } });
    t.clock.set(NOW);
    customerId = await createCustomer(t, 'Acme Support Co', 'acme');
    await createMeter(t, {
      code: 'AI_MINUTES',
      eventName: 'ai_call',
      aggregation: 'SUM',
      aggregationKey: 'duration_minutes',
      groupKeys: ['region', 'call_outcome'],
    });
    await createMeter(t, {
      code: 'SEATS',
      eventName: 'seat_seen',
      aggregation: 'UNIQUE_COUNT',
      aggregationKey: 'user_id',
    });
  });
  afterAll(() => t.stop());

  const call = (key: string, extra: Partial<WireEvent> = {}): WireEvent => ({
    customer_id: 'acme',
    event_name: 'ai_call',
    idempotency_key: key,
    properties: { region: 'US', call_outcome: 'resolved', duration_minutes: 5 },
    ...extra,
  });

  it('accepts one event in the documented shape with 202, by external id or Tally id', async () => {
    const byExternal = await t.rest('POST', '/v1/events', call('ai_call_001'));
    expect(byExternal).toMatchObject({ status: 202, body: { index: 0, status: 'accepted' } });
    const byId = await t.rest('POST', '/v1/events', call('ai_call_002', { customer_id: customerId }));
    expect(byId).toMatchObject({ status: 202, body: { status: 'accepted' } });
    const [row] = (await t.app.db.query(
      'SELECT customer_id, occurred_at, properties FROM usage_events WHERE idempotency_key = ?',
      ['ai_call_001'],
    )) as Array<{ customer_id: string; occurred_at: Date; properties: unknown }>;
    expect(row.customer_id).toBe(customerId);
    expect(new Date(row.occurred_at).toISOString()).toBe(NOW); // no timestamp: the time received
  });

  it('answers a resent event as a duplicate (202) and stores it once', async () => {
    const again = await t.rest(
      'POST',
      '/v1/events',
      call('ai_call_001', { properties: { duration_minutes: 99 } }),
    );
    expect(again).toMatchObject({ status: 202, body: { status: 'duplicate' } });
    const rows = await t.app.db.query('SELECT properties FROM usage_events WHERE idempotency_key = ?', [
      'ai_call_001',
    ]);
    expect(rows).toHaveLength(1);
  });

  it('rejects a single bad event with 422 and the reason', async () => {
    const result = await t.rest('POST', '/v1/events', call('x', { customer_id: 'nobody' }));
    expect(result.status).toBe(422);
    expect(result.body).toMatchObject({
      status: 'rejected',
      error: { code: 'UNKNOWN_CUSTOMER', field: 'customer_id' },
    });
  });

  it('rejects every invalid event with its own code, storing the good ones of the same batch', async () => {
    const future = new Date(Date.parse(NOW) + 6 * 60_000).toISOString();
    const nearFuture = new Date(Date.parse(NOW) + 4 * 60_000).toISOString();
    const tooOld = new Date(Date.parse(NOW) - 36 * 86_400_000).toISOString();
    const oldButInGrace = new Date(Date.parse(NOW) - 34 * 86_400_000).toISOString();
    const cases: Array<[WireEvent | unknown, string | null]> = [
      [call('ok-1'), null],
      [{ ...call('e1'), event_name: undefined }, 'MISSING_EVENT_NAME'],
      [{ ...call('e2'), event_name: '  ' }, 'MISSING_EVENT_NAME'],
      [{ ...call('e3'), idempotency_key: undefined }, 'MISSING_IDEMPOTENCY_KEY'],
      [{ ...call('e4'), idempotency_key: '' }, 'MISSING_IDEMPOTENCY_KEY'],
      [{ ...call('e5'), customer_id: undefined }, 'MISSING_CUSTOMER_ID'],
      [{ ...call('e6'), customer_id: '' }, 'MISSING_CUSTOMER_ID'],
      [call('e7', { customer_id: 'cus_unknown' }), 'UNKNOWN_CUSTOMER'],
      [call('e8', { properties: [1, 2] }), 'INVALID_PROPERTIES'],
      [call('e9', { properties: 'duration=5' }), 'INVALID_PROPERTIES'],
      [call('e10', { properties: { region: 'US' } }), 'MISSING_AGGREGATION_PROPERTY'],
      [call('e11', { properties: { duration_minutes: 'NaN' } }), 'INVALID_AGGREGATION_VALUE'],
      [call('e12', { properties: { duration_minutes: 'Infinity' } }), 'INVALID_AGGREGATION_VALUE'],
      [call('e13', { properties: { duration_minutes: true } }), 'INVALID_AGGREGATION_VALUE'],
      [call('e14', { properties: { duration_minutes: 'twelve' } }), 'INVALID_AGGREGATION_VALUE'],
      [call('ok-2', { properties: { duration_minutes: '12.5' } }), null],
      [call('e15', { timestamp: future }), 'TIMESTAMP_IN_FUTURE'],
      [call('ok-3', { timestamp: nearFuture }), null],
      [call('e16', { timestamp: tooOld }), 'TIMESTAMP_TOO_OLD'],
      [call('ok-4', { timestamp: oldButInGrace }), null],
      [call('e17', { timestamp: 'yesterday' }), 'INVALID_TIMESTAMP'],
      [call('e18', { idempotency_key: 'k'.repeat(256) }), 'FIELD_TOO_LONG'],
      ['not an object', 'INVALID_EVENT'],
      [
        { customer_id: 'acme', event_name: 'seat_seen', idempotency_key: 'e19', properties: {} },
        'MISSING_AGGREGATION_PROPERTY',
      ],
      [
        {
          customer_id: 'acme',
          event_name: 'seat_seen',
          idempotency_key: 'ok-5',
          properties: { user_id: 'u1' },
        },
        null,
      ],
    ];
    const before = await countEvents(t);
    const result = await sendBatch(
      t,
      cases.map(([event]) => event as WireEvent),
    );
    expect(result.status).toBe(207);
    cases.forEach(([, code], index) => {
      const answer = result.body.results[index];
      expect({ index, status: answer.status, code: answer.error?.code ?? null }).toEqual({
        index,
        status: code ? 'rejected' : 'accepted',
        code,
      });
      if (code) expect(answer.error?.message).toEqual(expect.any(String));
    });
    expect(result.body).toMatchObject({ accepted: 5, duplicates: 0, rejected: cases.length - 5 });
    expect(await countEvents(t)).toBe(before + 5);
  });

  it('rejects events in a finalized period through the guard it was built with', async () => {
    const closedBefore = Date.parse('2026-03-01T00:00:00Z');
    const events = new EventIngestionService(t.app.config, {
      isClosed: async (_ctx, _customer, occurredAt) => occurredAt.getTime() < closedBefore,
    });
    // The service takes events in their internal shape (the REST layer maps snake_case to it).
    const event = (idempotencyKey: string, timestamp: string) => ({
      customerId: 'acme',
      eventName: 'ai_call',
      idempotencyKey,
      timestamp,
      properties: { region: 'US', call_outcome: 'resolved', duration_minutes: 5 },
    });
    const result = await events.ingest(t.system, [
      event('closed-1', '2026-02-27T10:00:00Z'),
      event('open-1', '2026-03-02T10:00:00Z'),
    ]);
    expect(result.results.map((r) => (r.status === 'rejected' ? r.error.code : r.status))).toEqual([
      'PERIOD_CLOSED',
      'accepted',
    ]);
  });

  it('stores the first of two events with the same key in one batch and calls the second a duplicate', async () => {
    const result = await sendBatch(t, [
      call('same-key', { properties: { duration_minutes: 1 } }),
      call('other-key'),
      call('same-key', { properties: { duration_minutes: 2 } }),
    ]);
    expect(result.status).toBe(202);
    expect(result.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'duplicate']);
    const rows = (await t.app.db.query('SELECT properties FROM usage_events WHERE idempotency_key = ?', [
      'same-key',
    ])) as Array<{ properties: unknown }>;
    expect(rows).toHaveLength(1);
    const properties =
      typeof rows[0].properties === 'string' ? JSON.parse(rows[0].properties) : rows[0].properties;
    expect(properties.duration_minutes).toBe(1);
  });

  it('stores an event once when 20 requests send its key at the same moment', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? t.rest<{ status: string }>('POST', '/v1/events', call('race-1'))
          : sendBatch(t, [call(`race-filler-${i}`), call('race-1')]).then((r) => ({
              status: r.status,
              body: { status: (r.body as BatchAnswer).results[1].status },
            })),
      ),
    );
    const statuses = answers.map((a) => a.body.status);
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(19);
    const [{ n }] = (await t.app.db.query(
      'SELECT COUNT(*) AS n FROM usage_events WHERE idempotency_key = ?',
      ['race-1'],
    )) as Array<{ n: string }>;
    expect(Number(n)).toBe(1);
  });

  it('keeps idempotency exact across many concurrent overlapping batches', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `overlap-${i}`);
    const batches = Array.from({ length: 10 }, (_, b) =>
      keys.filter((_, i) => (i + b) % 3 !== 0).map((key) => call(key)),
    );
    const answers = await Promise.all(batches.map((events) => sendBatch(t, events)));
    const accepted = answers.reduce((sum, a) => sum + a.body.accepted, 0);
    const [{ n }] = (await t.app.db.query(
      "SELECT COUNT(*) AS n FROM usage_events WHERE idempotency_key LIKE 'overlap-%'",
    )) as Array<{ n: string }>;
    expect(Number(n)).toBe(200);
    expect(accepted).toBe(200);
  });

  it('refuses more than 1,000 events with 413 and stores none of them', async () => {
    const before = await countEvents(t);
    const events = Array.from({ length: 1001 }, (_, i) => call(`big-${i}`));
    const result = await sendBatch(t, events);
    expect(result.status).toBe(413);
    expect(await countEvents(t)).toBe(before);
    const exactly = await sendBatch(t, events.slice(0, 1000));
    expect(exactly.status).toBe(202);
    expect(exactly.body.accepted).toBe(1000);
  });

  it('answers 400 to a body that is not JSON or not {"events": [...]}', async () => {
    const notJson = await t.rest('POST', '/v1/events/batch', undefined, t.apiKey, '{"events": [');
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'INVALID_JSON' } } });
    const single = await t.rest('POST', '/v1/events', undefined, t.apiKey, 'nope');
    expect(single.status).toBe(400);
    const wrongShape = await t.rest('POST', '/v1/events/batch', [call('a')]);
    expect(wrongShape.status).toBe(400);
  });

  it('requires an API key', async () => {
    const result = await t.rest('POST', '/v1/events', call('no-key'), null);
    expect(result).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
  });

  it('stores events whose name matches no meter', async () => {
    const result = await t.rest('POST', '/v1/events', {
      customer_id: 'acme',
      event_name: 'not_metered_yet',
      idempotency_key: 'nm-1',
      properties: { anything: true },
    });
    expect(result).toMatchObject({ status: 202, body: { status: 'accepted' } });
  });

  it('ingests through the GraphQL mutation with the same semantics', async () => {
    const mutation = `mutation($events: [UsageEventInput!]!) {
      ingestEvents(events: $events) { accepted duplicates rejected results { index status error { code field message } } }
    }`;
    const data = await t.gqlOk<{
      ingestEvents: {
        accepted: number;
        duplicates: number;
        rejected: number;
        results: Array<{ index: number; status: string; error: { code: string; field: string } | null }>;
      };
    }>(mutation, {
      events: [
        {
          customerId: 'acme',
          eventName: 'ai_call',
          idempotencyKey: 'gql-1',
          properties: { duration_minutes: 3 },
        },
        {
          customerId: 'acme',
          eventName: 'ai_call',
          idempotencyKey: 'gql-1',
          properties: { duration_minutes: 3 },
        },
        {
          customerId: 'ghost',
          eventName: 'ai_call',
          idempotencyKey: 'gql-2',
          properties: { duration_minutes: 3 },
        },
        {
          customerId: 'acme',
          eventName: 'ai_call',
          idempotencyKey: 'gql-3',
          timestamp: 'soon',
          properties: {},
        },
        {
          customerId: 'acme',
          eventName: 'ai_call',
          idempotencyKey: 'ai_call_001',
          properties: { duration_minutes: 3 },
        },
      ],
    });
    expect(data.ingestEvents).toMatchObject({ accepted: 1, duplicates: 2, rejected: 2 });
    expect(data.ingestEvents.results.map((r) => r.error?.code ?? r.status)).toEqual([
      'ACCEPTED',
      'DUPLICATE',
      'UNKNOWN_CUSTOMER',
      'INVALID_TIMESTAMP',
      'DUPLICATE',
    ]);
    expect(data.ingestEvents.results[2].error?.field).toBe('customerId');
    const tooMany = await t.gql(mutation, {
      events: Array.from({ length: 1001 }, (_, i) => ({
        customerId: 'acme',
        eventName: 'x',
        idempotencyKey: `m${i}`,
      })),
    });
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
