import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createPlan,
  createPricing,
  invoicesOf,
} from '../support/billing-api';
import { createMeter, sendBatch, usage, type WireEvent } from '../support/usage-helpers';

const DAY = { from: '2026-03-10T00:00:00Z', to: '2026-03-11T00:00:00Z' };

interface Failure {
  id: string;
  eventId: string;
  customerId: string | null;
  eventName: string | null;
  code: string;
  reason: string;
  attempts: number;
  retryRequestedAt: string | null;
  resolvedAt: string | null;
}

const FAILURE_FIELDS = 'id eventId customerId eventName code reason attempts retryRequestedAt resolvedAt';
const FAILURES = `query($includeResolved: Boolean) {
  usageEventFailures(first: 20, includeResolved: $includeResolved) { nodes { ${FAILURE_FIELDS} } }
}`;
const RETRY = `mutation($ids: [ID!]!) { retryUsageEventFailures(ids: $ids) { ${FAILURE_FIELDS} } }`;
const CREATE_METER = `mutation($input: CreateMeterInput!) { createMeter(input: $input) { id } }`;
const MINUTES = {
  code: 'MINUTES',
  displayName: 'Minutes',
  eventName: 'ai_call',
  aggregation: 'SUM',
  aggregationKey: 'minutes',
  groupKeys: ['region'],
};

/**
 * A poison event (a group-key value too long for the aggregates' dimension_key) is stored directly in
 * SQL, as if ingestion had let it through: the aggregator must set it aside, aggregate everything else for
 * every environment, list it with its reason, and count it exactly once after a fix and a retry.
 */
describe('aggregation with a poison event', () => {
  let t: TestApp;
  let acme: string;
  let other: { apiKey: string; environmentId: string; customerId: string };
  let poisonId: string;
  let marchInvoiceId: string;
  let key = 0;
  const event = (customer: string, region: string, minutes: number): WireEvent => ({
    customer_id: customer,
    event_name: 'ai_call',
    idempotency_key: `k-${++key}`,
    timestamp: '2026-03-10T09:15:00Z',
    properties: { region, minutes },
  });
  const minutes = async (customerId: string, token?: string) => {
    const rows =
      token === undefined
        ? await usage(t, { customerId, meterCode: 'MINUTES', ...DAY })
        : (
            await t.gqlOk<{
              usage: Array<{ dimensions: { region: string }; quantity: string; eventCount: number }>;
            }>(
              `query($customerId: String!, $from: DateTime!, $to: DateTime!) {
                usage(customerId: $customerId, meterCode: "MINUTES", from: $from, to: $to) { dimensions quantity eventCount }
              }`,
              { customerId, ...DAY },
              token,
            )
          ).usage;
    return Object.fromEntries(rows.map((r) => [r.dimensions.region, [r.quantity, r.eventCount]]));
  };
  const failures = async (includeResolved = false, token?: string) =>
    (await t.gqlOk<{ usageEventFailures: { nodes: Failure[] } }>(FAILURES, { includeResolved }, token))
      .usageEventFailures.nodes;
  const finalizeMarch = () =>
    t.gql(`mutation($id: ID!) { finalizeInvoice(id: $id) { id status total } }`, { id: marchInvoiceId });

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-10T12:00:00Z');
    acme = await createCustomer(t, 'Acme', 'acme');
    await createMeter(t, MINUTES);
    const pricingId = await createPricing(t, {
      name: 'Minutes',
      meterCode: 'MINUTES',
      model: 'PER_UNIT',
      fallbackRate: '0.10',
    });
    const planId = await createPlan(t, { name: 'Minutes', items: [{ pricingId }] });
    await createContract(t, { customerId: acme, planId, startDate: '2026-03-01' });
    const march = (await invoicesOf(t, acme)).find((i) => i.periodStart.startsWith('2026-03-01'));
    marchInvoiceId = march!.id;
    const org = await t.newOrganization('Globex Org');
    await t.gqlOk(CREATE_METER, { input: MINUTES }, org.apiKey);
    const customer = await t.gqlOk<{ createCustomer: { id: string } }>(
      'mutation { createCustomer(input: { name: "Globex", externalId: "globex" }) { id } }',
      {},
      org.apiKey,
    );
    other = { apiKey: org.apiKey, environmentId: org.environment.id, customerId: customer.createCustomer.id };

    expect((await sendBatch(t, [event('acme', 'US', 5), event('acme', 'US', 3)])).body.accepted).toBe(2);
    await t.app.db.query(
      `INSERT INTO usage_events
         (environment_id, customer_id, event_name, idempotency_key, occurred_at, received_at, ingest_batch, properties)
       VALUES (?, ?, 'ai_call', 'poison', '2026-03-10 09:30:00.000', '2026-03-10 12:00:00.000', 1, ?)`,
      [t.environmentId, acme, JSON.stringify({ region: 'x'.repeat(600), minutes: 7 })],
    );
    const [row] = (await t.app.db.query(
      `SELECT id FROM usage_events WHERE idempotency_key = 'poison'`,
    )) as Array<{
      id: string | number;
    }>;
    poisonId = String(row.id);
    expect((await sendBatch(t, [event('acme', 'EU', 2)])).body.accepted).toBe(1);
    const globex = await t.rest<{ accepted: number }>(
      'POST',
      '/v1/events/batch',
      { events: [event('globex', 'US', 4)] },
      other.apiKey,
    );
    expect(globex.body.accepted).toBe(1);
  });
  afterAll(() => t.stop());

  it('aggregates every other event, of every environment, and sets the poison event aside', async () => {
    await t.app.workers.aggregator.drain();
    expect(await minutes(acme)).toEqual({ US: ['8', 2], EU: ['2', 1] });
    expect(await minutes(other.customerId, other.apiKey)).toEqual({ US: ['4', 1] });
    // A second run does not trip over it again.
    await t.app.workers.aggregator.drain();
    expect(await minutes(acme)).toEqual({ US: ['8', 2], EU: ['2', 1] });
  });

  it('lists the set-aside event with its reason, in its own environment only, never to a portal', async () => {
    const [failure, ...rest] = await failures();
    expect(rest).toEqual([]);
    expect(failure).toMatchObject({
      eventId: poisonId,
      customerId: acme,
      eventName: 'ai_call',
      code: 'DATA_TOO_LONG',
      attempts: 1,
      retryRequestedAt: null,
      resolvedAt: null,
    });
    expect(failure.reason).toMatch(/dimension_key/);
    expect(await failures(false, other.apiKey)).toEqual([]);
    const portal = await t.gqlOk<{ createCustomerPortalToken: { token: string } }>(
      'mutation($id: ID!) { createCustomerPortalToken(customerId: $id) { token } }',
      { id: acme },
    );
    const refused = await t.gql(FAILURES, {}, portal.createCustomerPortalToken.token);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('makes finalization of the period say the usage was set aside instead of waiting', async () => {
    const refused = await finalizeMarch();
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(
      new RegExp(`set aside \\(event ids ${poisonId}\\).*retryUsageEventFailures`),
    );
  });

  it('a retry of a still broken event keeps it set aside with its new failure', async () => {
    const [failure] = await failures();
    const [queued] = (await t.gqlOk<{ retryUsageEventFailures: Failure[] }>(RETRY, { ids: [failure.id] }))
      .retryUsageEventFailures;
    expect(queued.retryRequestedAt).not.toBeNull();
    await t.app.workers.aggregator.drain();
    const [again] = await failures();
    expect(again).toMatchObject({ id: failure.id, attempts: 2, retryRequestedAt: null, resolvedAt: null });
    expect(await minutes(acme)).toEqual({ US: ['8', 2], EU: ['2', 1] });
  });

  it('after a fix, retryUsageEventFailures aggregates the event exactly once', async () => {
    await t.app.db.query(`UPDATE usage_events SET properties = ? WHERE id = ?`, [
      JSON.stringify({ region: 'APAC', minutes: 7 }),
      poisonId,
    ]);
    const [failure] = await failures();
    await t.gqlOk(RETRY, { ids: [failure.id] });
    await t.app.workers.aggregator.drain();
    expect(await minutes(acme)).toEqual({ US: ['8', 2], EU: ['2', 1], APAC: ['7', 1] });
    expect(await failures()).toEqual([]);
    const [resolved] = await failures(true);
    expect(resolved.resolvedAt).not.toBeNull();

    // Retrying a resolved failure changes nothing.
    const [again] = (await t.gqlOk<{ retryUsageEventFailures: Failure[] }>(RETRY, { ids: [failure.id] }))
      .retryUsageEventFailures;
    expect(again.retryRequestedAt).toBeNull();
    await t.app.workers.aggregator.drain();
    expect(await minutes(acme)).toEqual({ US: ['8', 2], EU: ['2', 1], APAC: ['7', 1] });
    // March finalizes now, with the retried event: (8 + 2 + 7) minutes × 0.10 = 1.70.
    const finalized = await finalizeMarch();
    expect(finalized.errors).toBeUndefined();
    expect(finalized.data).toMatchObject({ finalizeInvoice: { status: 'FINALIZED', total: '1.70' } });
  });

  it('refuses failure ids of another environment', async () => {
    const [failure] = await failures(true);
    const result = await t.gql(RETRY, { ids: [failure.id] }, other.apiKey);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'ids.0' });
  });
  it('sets a poison event aside for a meter created later (its backfill), and counts it per meter after a retry', async () => {
    const APRIL = { from: '2026-04-02T00:00:00Z', to: '2026-04-03T00:00:00Z' };
    await t.app.db.query(
      `INSERT INTO usage_events
         (environment_id, customer_id, event_name, idempotency_key, occurred_at, received_at, ingest_batch, properties)
       VALUES (?, ?, 'ai_call', 'poison-2', '2026-04-02 08:00:00.000', '2026-04-02 08:00:00.000', 2, ?)`,
      [t.environmentId, acme, JSON.stringify({ region: 'y'.repeat(600), minutes: 4 })],
    );
    const [row] = (await t.app.db.query(
      `SELECT id FROM usage_events WHERE idempotency_key = 'poison-2'`,
    )) as Array<{ id: string | number }>;
    const poison2 = String(row.id);
    await t.app.workers.aggregator.drain();
    // A meter on the same events, created after the aggregator passed them: its backfill trips on it too.
    await createMeter(t, {
      code: 'CALLS',
      eventName: 'ai_call',
      aggregation: 'COUNT',
      groupKeys: ['region'],
    });
    await t.app.workers.aggregator.drain();
    const open = (await failures()).filter((f) => f.eventId === poison2);
    expect(open).toHaveLength(2); // one per meter: MINUTES (live stream), CALLS (backfill)
    expect(open.every((f) => f.code === 'DATA_TOO_LONG')).toBe(true);
    // CALLS counted every other ai_call event of acme in March: US 2, EU 1, APAC 1 (the fixed one).
    expect(
      Object.fromEntries(
        (await usage(t, { customerId: acme, meterCode: 'CALLS', ...DAY })).map((r) => [
          r.dimensions.region,
          r.quantity,
        ]),
      ),
    ).toEqual({ US: '2', EU: '1', APAC: '1' });

    await t.app.db.query(`UPDATE usage_events SET properties = ? WHERE id = ?`, [
      JSON.stringify({ region: 'US', minutes: 4 }),
      poison2,
    ]);
    await t.gqlOk(RETRY, { ids: open.map((f) => f.id) });
    await t.app.workers.aggregator.drain();
    expect(await failures()).toEqual([]);
    // 2 April: the fixed event alone, once per meter: 4 minutes, 1 call.
    expect(await usage(t, { customerId: acme, meterCode: 'MINUTES', ...APRIL })).toEqual([
      { dimensions: { region: 'US' }, quantity: '4', eventCount: 1 },
    ]);
    expect(await usage(t, { customerId: acme, meterCode: 'CALLS', ...APRIL })).toEqual([
      { dimensions: { region: 'US' }, quantity: '1', eventCount: 1 },
    ]);
  });
});
