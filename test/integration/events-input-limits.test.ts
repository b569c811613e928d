import { createCustomer } from '../support/billing-api';
import { TestApp } from '../support/test-app';
import { createMeter, sendBatch, usage, type WireEvent } from '../support/usage-helpers';

const NOW = '2026-03-10T12:30:00.000Z';

const INGEST = `mutation($events: [UsageEventInput!]!) {
  ingestEvents(events: $events) { accepted duplicates rejected results { index status error { code field } } }
}`;

interface GqlIngest {
  ingestEvents: {
    accepted: number;
    duplicates: number;
    rejected: number;
    results: Array<{ index: number; status: string; error: { code: string; field: string } | null }>;
  };
}

/** `{a: {a: … {a: 1}}}`, `levels` objects deep counting the outer one. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

/**
 * What ingestion refuses before it reaches the database, and what the database must keep apart: every
 * event the database could not store exactly as sent is answered `rejected` with a code.
 */
describe('usage event input limits (REST and GraphQL)', () => {
  let t: TestApp;
  let seq = 0;
  beforeAll(async () => {
    t = await TestApp.start({ config: { eventGraceDays: 35 } });
    t.clock.set(NOW);
    await createCustomer(t, 'Acme Support Co', 'acme');
    await createMeter(t, {
      code: 'TOKENS',
      eventName: 'llm_call',
      aggregation: 'SUM',
      aggregationKey: 'tokens',
      groupKeys: ['model'],
    });
    await createMeter(t, {
      code: 'WIDE',
      eventName: 'wide_call',
      aggregation: 'COUNT',
      groupKeys: ['a', 'b', 'c'],
    });
    await createMeter(t, {
      code: 'ADJUSTMENTS',
      eventName: 'adjustment',
      aggregation: 'SUM',
      aggregationKey: 'amount',
      allowNegative: true,
    });
  });
  afterAll(() => t.stop());

  const llm = (extra: Partial<WireEvent> = {}): WireEvent => ({
    customer_id: 'acme',
    event_name: 'llm_call',
    idempotency_key: `k-${++seq}`,
    properties: { model: 'gpt-4', tokens: 10 },
    ...extra,
  });

  const codesOf = (results: Array<{ status: string; error?: { code: string } | null }>) =>
    results.map((r) => (r.status === 'rejected' || r.status === 'REJECTED' ? r.error?.code : r.status));

  describe('dimension values', () => {
    it('rejects a group-key value longer than 200 characters, alone and in a batch', async () => {
      const single = await t.rest(
        'POST',
        '/v1/events',
        llm({ properties: { model: 'm'.repeat(600), tokens: 1 } }),
      );
      expect(single).toMatchObject({
        status: 422,
        body: { status: 'rejected', error: { code: 'DIMENSION_VALUE_TOO_LONG', field: 'properties.model' } },
      });
      const batch = await sendBatch(t, [
        llm({ properties: { model: 'm'.repeat(201), tokens: 1 } }),
        llm({ properties: { model: 'm'.repeat(200), tokens: 1 } }),
      ]);
      expect(codesOf(batch.body.results)).toEqual(['DIMENSION_VALUE_TOO_LONG', 'accepted']);
    });

    it('rejects values that fit one by one but not together in the stored dimension key', async () => {
      const wide = (a: string, b: string, c: string): WireEvent => ({
        customer_id: 'acme',
        event_name: 'wide_call',
        idempotency_key: `w-${++seq}`,
        properties: { a, b, c },
      });
      const batch = await sendBatch(t, [
        wide('x'.repeat(200), 'y'.repeat(200), 'z'.repeat(200)),
        wide('x', 'y', 'z'),
      ]);
      expect(codesOf(batch.body.results)).toEqual(['DIMENSION_KEY_TOO_LONG', 'accepted']);
    });

    it('keeps values that differ only by trailing spaces apart', async () => {
      t.clock.set('2026-03-10T13:30:00.000Z');
      const batch = await sendBatch(t, [
        llm({ timestamp: '2026-03-10T13:05:00Z', properties: { model: 'gpt-3.5', tokens: 1 } }),
        llm({ timestamp: '2026-03-10T13:05:00Z', properties: { model: 'gpt-3.5 ', tokens: 2 } }),
      ]);
      expect(batch.body).toMatchObject({ accepted: 2, rejected: 0 });
      await t.app.workers.aggregator.drain();
      const rows = await usage(t, {
        customerId: 'acme',
        meterCode: 'TOKENS',
        from: '2026-03-10T13:00:00Z',
        to: '2026-03-10T14:00:00Z',
      });
      const byModel = Object.fromEntries(rows.map((r) => [r.dimensions.model, Number(r.quantity)]));
      expect(byModel).toEqual({ 'gpt-3.5': 1, 'gpt-3.5 ': 2 });
      t.clock.set(NOW);
    });
  });

  describe('idempotency keys', () => {
    it('keeps keys that differ only by trailing spaces apart', async () => {
      const first = await t.rest('POST', '/v1/events', llm({ idempotency_key: 'pad-k' }));
      const second = await t.rest('POST', '/v1/events', llm({ idempotency_key: 'pad-k ' }));
      const again = await t.rest('POST', '/v1/events', llm({ idempotency_key: 'pad-k ' }));
      expect([first.body, second.body, again.body]).toMatchObject([
        { status: 'accepted' },
        { status: 'accepted' },
        { status: 'duplicate' },
      ]);
    });

    it('rejects strings that are not well-formed UTF-16 instead of storing U+FFFD', async () => {
      const batch = await sendBatch(t, [
        llm({ idempotency_key: 'lone-\uD800' }),
        llm({ idempotency_key: 'lone-\uDBFF' }),
        llm({ idempotency_key: 'pair-\uD83D\uDE00' }),
        llm({ customer_id: 'acme\uDC00' }),
        llm({ event_name: 'llm_call\uD800' }),
        llm({ properties: { model: 'gpt-\uDFFF', tokens: 1 } }),
      ]);
      expect(codesOf(batch.body.results)).toEqual([
        'INVALID_UNICODE',
        'INVALID_UNICODE',
        'accepted',
        'INVALID_UNICODE',
        'INVALID_UNICODE',
        'INVALID_UNICODE',
      ]);
      expect(batch.body.results[5].error?.field).toBe('properties.model');
    });

    it('rejects them through GraphQL too', async () => {
      const data = await t.gqlOk<GqlIngest>(INGEST, {
        events: [
          {
            customerId: 'acme',
            eventName: 'llm_call',
            idempotencyKey: 'g-\uD800',
            properties: { tokens: 1 },
          },
          {
            customerId: 'acme',
            eventName: 'llm_call',
            idempotencyKey: 'g-\uD801',
            properties: { tokens: 1 },
          },
        ],
      });
      expect(data.ingestEvents.results.map((r) => [r.error?.code, r.error?.field])).toEqual([
        ['INVALID_UNICODE', 'idempotencyKey'],
        ['INVALID_UNICODE', 'idempotencyKey'],
      ]);
    });
  });

  describe('properties', () => {
    it('rejects properties nested too deep: never a 500 alone, never a duplicate in a batch', async () => {
      const single = await t.rest('POST', '/v1/events', llm({ properties: { tokens: 1, deep: nested(40) } }));
      expect(single).toMatchObject({
        status: 422,
        body: { status: 'rejected', error: { code: 'PROPERTIES_TOO_DEEP', field: 'properties' } },
      });
      const batch = await sendBatch(t, [
        llm({ properties: { tokens: 1, deep: nested(40) } }),
        llm({ properties: { tokens: 1, deep: nested(8) } }),
        llm({ properties: { tokens: 1, deep: nested(7) } }),
      ]);
      expect(codesOf(batch.body.results)).toEqual(['PROPERTIES_TOO_DEEP', 'PROPERTIES_TOO_DEEP', 'accepted']);
    });

    it('rejects more than 1,000 keys and array items', async () => {
      const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`p${i}`, i]));
      const batch = await sendBatch(t, [
        llm({ properties: { ...many, tokens: 1 } }),
        llm({ properties: { tokens: 1, list: Array.from({ length: 998 }, () => 0) } }),
      ]);
      expect(codesOf(batch.body.results)).toEqual(['TOO_MANY_PROPERTIES', 'accepted']);
    });

    it('answers the same through GraphQL', async () => {
      const data = await t.gqlOk<GqlIngest>(INGEST, {
        events: [
          {
            customerId: 'acme',
            eventName: 'llm_call',
            idempotencyKey: 'g-deep',
            properties: { tokens: 1, d: nested(33) },
          },
        ],
      });
      expect(data.ingestEvents).toMatchObject({ rejected: 1, duplicates: 0 });
      expect(data.ingestEvents.results[0].error?.code).toBe('PROPERTIES_TOO_DEEP');
    });
  });

  describe('values', () => {
    it('rejects negative values for a SUM meter unless it allows them', async () => {
      const batch = await sendBatch(t, [
        llm({ properties: { model: 'gpt-4', tokens: -5 } }),
        llm({ properties: { model: 'gpt-4', tokens: '-0.5' } }),
        llm({ properties: { model: 'gpt-4', tokens: 0 } }),
        {
          customer_id: 'acme',
          event_name: 'adjustment',
          idempotency_key: `adj-${++seq}`,
          properties: { amount: -5 },
        },
      ]);
      expect(codesOf(batch.body.results)).toEqual([
        'NEGATIVE_VALUE',
        'NEGATIVE_VALUE',
        'accepted',
        'accepted',
      ]);
      expect(batch.body.results[0].error?.field).toBe('properties.tokens');
    });

    it('only lets SUM meters allow negative values', async () => {
      const result = await t.gql(
        'mutation($input: CreateMeterInput!) { createMeter(input: $input) { id } }',
        {
          input: {
            code: 'NEG_COUNT',
            displayName: 'x',
            eventName: 'x',
            aggregation: 'COUNT',
            groupKeys: [],
            allowNegative: true,
          },
        },
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.allowNegative',
      });
      const meter = await t.gqlOk<{ meterByCode: { allowNegative: boolean } }>(
        '{ meterByCode(code: "TOKENS") { allowNegative } }',
      );
      expect(meter.meterByCode.allowNegative).toBe(false);
    });

    it('lets a SUM meter be declared signed later, and unsigned again', async () => {
      const meterId = await createMeter(t, {
        code: 'CREDITS_USED',
        eventName: 'credits_used',
        aggregation: 'SUM',
        aggregationKey: 'n',
      });
      const correction = () =>
        sendBatch(t, [
          {
            customer_id: 'acme',
            event_name: 'credits_used',
            idempotency_key: `cu-${++seq}`,
            properties: { n: -2 },
          },
        ]);
      const setSigned = (allowNegative: boolean) =>
        t.gql<{ updateMeter: { allowNegative: boolean } }>(
          'mutation($id: ID!, $input: UpdateMeterInput!) { updateMeter(id: $id, input: $input) { allowNegative } }',
          { id: meterId, input: { allowNegative } },
        );
      expect(codesOf((await correction()).body.results)).toEqual(['NEGATIVE_VALUE']);
      expect((await setSigned(true)).data?.updateMeter.allowNegative).toBe(true);
      expect(codesOf((await correction()).body.results)).toEqual(['accepted']);
      expect((await setSigned(false)).data?.updateMeter.allowNegative).toBe(false);
      expect(codesOf((await correction()).body.results)).toEqual(['NEGATIVE_VALUE']);

      const wide = await t.gqlOk<{ meterByCode: { id: string } }>('{ meterByCode(code: "WIDE") { id } }');
      const refused = await t.gql(
        'mutation($id: ID!) { updateMeter(id: $id, input: { allowNegative: true }) { id } }',
        { id: wide.meterByCode.id },
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.allowNegative',
      });
    });

    it('rejects values that could never be billed', async () => {
      const batch = await sendBatch(t, [
        llm({ properties: { model: 'gpt-4', tokens: 1e16 } }),
        llm({ properties: { model: 'gpt-4', tokens: '99999999999999999999.5' } }),
        llm({ properties: { model: 'gpt-4', tokens: 1e15 } }),
      ]);
      expect(codesOf(batch.body.results)).toEqual(['VALUE_OUT_OF_RANGE', 'VALUE_OUT_OF_RANGE', 'accepted']);
    });
  });

  describe('timestamps', () => {
    it('refuses impossible dates in GraphQL DateTime arguments too', async () => {
      const query = `query($from: DateTime!) {
        usage(customerId: "acme", meterCode: "TOKENS", from: $from, to: "2026-03-10T00:00:00Z") { quantity }
      }`;
      for (const from of ['2026-02-30T00:00:00Z', '2026-02-29', '2026-03-05T24:00:00Z']) {
        const result = await t.gql(query, { from });
        expect([from, result.errors?.[0]?.extensions?.code]).toEqual([from, 'BAD_USER_INPUT']);
      }
      for (const from of ['2026-02-28T00:00:00Z', '2026-02-28', '2026-02-28T00:00:00']) {
        const result = await t.gql(query, { from });
        expect([from, result.errors]).toEqual([from, undefined]);
      }
    });

    it('rejects dates and times the calendar does not have instead of rolling them over', async () => {
      const at = (timestamp: string) => llm({ timestamp });
      const batch = await sendBatch(t, [
        at('2026-02-29T12:00:00Z'),
        at('2026-02-30T12:00:00Z'),
        at('2026-02-31T12:00:00Z'),
        at('2026-03-05T24:00:00Z'),
        at('2026-03-05T12:60:00Z'),
        at('2026-03-05T12:00:60Z'),
        at('2026-03-05T12:00:00+24:00'),
        at('2026-13-01T12:00:00Z'),
        at('2026-02-28T23:59:59.999Z'),
        at('2026-03-05T12:00:00+01:30'),
        at('2026-03-05T12:00Z'),
      ]);
      expect(codesOf(batch.body.results)).toEqual([
        ...Array.from({ length: 8 }, () => 'INVALID_TIMESTAMP'),
        'accepted',
        'accepted',
        'accepted',
      ]);
    });
  });
});
