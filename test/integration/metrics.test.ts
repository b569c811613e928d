import { createContract, createCustomer, draftInvoice, sendEvent } from '../support/billing-api';
import { createAiCallCenterPlan } from '../support/seed-catalogs';
import { TestApp } from '../support/test-app';
import { liveClient } from './live.support';

const METRICS_TOKEN = 'metrics-scraper-token-0123456789';

/** Prometheus text → the value of the sample `name` whose labels include `labels`; undefined if none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) found[key] = value;
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ config: { metricsToken: METRICS_TOKEN } });
    t.clock.set('2026-11-10T06:00:00Z');
  });
  afterAll(() => t.stop());

  const scrape = async () => {
    const response = await fetch(`${t.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  it('answers 401 without its token or with an API key, and 404 when METRICS_TOKEN is not set', async () => {
    expect((await t.rest('GET', '/metrics', undefined, null)).status).toBe(401);
    const withApiKey = await t.rest<{ error: { code: string } }>('GET', '/metrics');
    expect(withApiKey.status).toBe(401);
    expect(withApiKey.body.error.code).toBe('UNAUTHENTICATED');
    expect((await t.rest('GET', '/metrics', undefined, `${METRICS_TOKEN}x`)).status).toBe(401);

    const off = await TestApp.start({ databaseSuffix: 'off' });
    try {
      expect((await off.rest('GET', '/metrics', undefined, null)).status).toBe(404);
      expect((await off.rest('GET', '/metrics', undefined, METRICS_TOKEN)).status).toBe(404);
    } finally {
      await off.stop();
    }
  });

  it('counts events by outcome, times HTTP routes, and shows the aggregation lag until it catches up', async () => {
    await createAiCallCenterPlan(t);
    await createCustomer(t, 'Acme Support Co', 'acme-support');
    const call = (key: string, customer = 'acme-support') =>
      sendEvent(t, {
        customer_id: customer,
        event_name: 'ai_call',
        idempotency_key: key,
        timestamp: '2026-11-10T05:00:00Z',
        properties: { region: 'US', call_outcome: 'resolved', duration_minutes: 5 },
      });
    // Four posts: two new keys (accepted), one repeated key (duplicate), one unknown customer (rejected).
    expect((await call('m1')).status).toBe(202);
    expect((await call('m2')).status).toBe(202);
    expect((await call('m1')).body).toEqual({ index: 0, status: 'duplicate' });
    expect((await call('m3', 'nobody')).status).toBe(422);

    // The events were received at 06:00:00 on the test clock; the scrape happens 90 s later.
    t.clock.set('2026-11-10T06:01:30Z');
    let text = await scrape();
    expect(sample(text, 'tally_usage_events_total', { outcome: 'accepted' })).toBe(2);
    expect(sample(text, 'tally_usage_events_total', { outcome: 'duplicate' })).toBe(1);
    expect(sample(text, 'tally_usage_events_total', { outcome: 'rejected' })).toBe(1);
    expect(sample(text, 'tally_aggregation_lag_seconds')).toBe(90);
    expect(sample(text, 'tally_aggregation_events_behind')).toBeGreaterThanOrEqual(2);
    // By route pattern and status: accepted and duplicate answers are 202 (3 posts), the rejected one 422.
    const events = (status: string) =>
      sample(text, 'tally_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/events',
        status,
      });
    expect([events('202'), events('422')]).toEqual([3, 1]);

    await t.app.workers.aggregator.drain();
    text = await scrape();
    expect(sample(text, 'tally_aggregation_lag_seconds')).toBe(0);
    expect(sample(text, 'tally_aggregation_events_behind')).toBe(0);
  });

  it('times GraphQL operations by name, type and outcome, and counts finalizations', async () => {
    await t.gqlOk('query CatalogProbe { meters { nodes { id } } }');
    await t.gql('query BrokenProbe { invoice(id: "inv_missing") { id } }');
    const customerId = await createCustomer(t, 'Finalized Co', 'finalized-co');
    const planId = (await t.gqlOk<{ plans: { nodes: Array<{ id: string }> } }>('{ plans { nodes { id } } }'))
      .plans.nodes[0].id;
    const contractId = await createContract(t, { customerId, planId, startDate: '2026-10-01' });
    t.clock.set('2026-11-10T07:00:00Z');
    const october = (
      await t.gqlOk<{ invoices: { nodes: Array<{ id: string; periodStart: string }> } }>(
        'query($c: ID!) { invoices(customerId: $c, first: 10) { nodes { id periodStart } } }',
        { c: customerId },
      )
    ).invoices.nodes.find((i) => i.periodStart === '2026-10-01T00:00:00.000Z')!;
    await t.gqlOk('mutation Close($id: ID!) { finalizeInvoice(id: $id) { id } }', { id: october.id });
    expect((await draftInvoice(t, contractId)).periodStart).toBe('2026-11-01T00:00:00.000Z');

    const text = await scrape();
    const ops = (operation: string, type: string, outcome: string) =>
      sample(text, 'tally_graphql_operation_duration_seconds_count', { operation, type, outcome });
    expect(ops('CatalogProbe', 'query', 'ok')).toBe(1);
    expect(ops('BrokenProbe', 'query', 'error')).toBe(1);
    expect(ops('Close', 'mutation', 'ok')).toBe(1);
    expect(sample(text, 'tally_invoice_finalizations_total', { outcome: 'FINALIZED' })).toBe(1);
  });

  it('shows the CRM outbox depth, its oldest change and the dead letters', async () => {
    // Outbox rows are written by the Salesforce connector; their states are set up directly here.
    const row = (id: string, status: string, createdAt: string) =>
      t.app.db.query(
        `INSERT INTO crm_outbox (id, environment_id, sobject_type, external_id_field, external_id, payload,
           parent_rank, status, pending_key, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, 'Account', 'Billing_Customer_Id__c', ?, '{}', 0, ?, ?, ?, ?, ?)`,
        [id, t.environmentId, id, status, status === 'PENDING' ? id : null, createdAt, createdAt, createdAt],
      );
    // Clock at 07:00:00: the oldest pending change is 2 minutes old.
    await row('cob_1', 'PENDING', '2026-11-10 06:58:00.000');
    await row('cob_2', 'PENDING', '2026-11-10 06:59:30.000');
    await row('cob_3', 'DEAD', '2026-11-10 05:00:00.000');
    await row('cob_4', 'DONE', '2026-11-10 04:00:00.000');
    const text = await scrape();
    expect(sample(text, 'tally_crm_outbox_pending')).toBe(2);
    expect(sample(text, 'tally_crm_outbox_oldest_pending_age_seconds')).toBe(120);
    expect(sample(text, 'tally_crm_outbox_dead_letters')).toBe(1);
  });

  it('shows open WebSockets and the database pool', async () => {
    const { client, connected } = liveClient(t, t.apiKey);
    await connected;
    try {
      const text = await scrape();
      expect(sample(text, 'tally_websocket_connections')).toBe(1);
      expect(sample(text, 'tally_db_pool_connections', { state: 'limit' })).toBe(20);
      expect(sample(text, 'tally_db_pool_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'tally_process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  });
});
