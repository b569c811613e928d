import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createMeter,
  createPlan,
  createPricing,
  finalizeInvoice,
  invoicesOf,
  sendEvent,
} from '../support/billing-api';

/**
 * A meter created after its events were stored backfills them; while it does, only the invoices whose
 * usage it has yet to roll up may wait. Here STORAGE is created after globex's storage event was stored:
 * acme's invoice prices STORAGE too but acme has no storage event, so it finalizes at once; globex's waits
 * for the backfill.
 */
describe('finalizing while a new meter backfills', () => {
  let t: TestApp;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-10T12:00:00Z');
    acme = await createCustomer(t, 'Acme', 'acme');
    globex = await createCustomer(t, 'Globex', 'globex');
    await createMeter(t, {
      code: 'CALLS',
      displayName: 'Calls',
      eventName: 'api_call',
      aggregation: 'COUNT',
    });
    let key = 0;
    const send = async (customer: string, eventName: string, properties: Record<string, unknown>) => {
      const answer = await sendEvent(t, {
        customer_id: customer,
        event_name: eventName,
        idempotency_key: `k-${++key}`,
        timestamp: '2026-03-05T09:00:00Z',
        properties,
      });
      expect(answer.status).toBe(202);
    };
    await send('acme', 'api_call', {});
    await send('acme', 'api_call', {});
    await send('globex', 'storage', { gb: 5 }); // no meter yet: stored, not aggregated
    await t.app.workers.aggregator.drain();

    await createMeter(t, {
      code: 'STORAGE',
      displayName: 'Storage',
      eventName: 'storage',
      aggregation: 'SUM',
      aggregationKey: 'gb',
    });
    const calls = await createPricing(t, {
      name: 'Calls',
      meterCode: 'CALLS',
      model: 'PER_UNIT',
      fallbackRate: '0.01',
    });
    const storage = await createPricing(t, {
      name: 'Storage',
      meterCode: 'STORAGE',
      model: 'PER_UNIT',
      fallbackRate: '0.10',
    });
    const planId = await createPlan(t, {
      name: 'Usage',
      items: [{ pricingId: calls }, { pricingId: storage }],
    });
    for (const customerId of [acme, globex])
      await createContract(t, { customerId, planId, startDate: '2026-03-01', endDate: '2026-03-31' });
    // One live run registers STORAGE and its backfill of the events the live stream already passed, without
    // running the backfill.
    await t.app.services.usageAggregation.aggregateLive(TestApp.systemContext(t.app, t.clock));
    const pending = (await t.app.db.query(
      'SELECT COUNT(*) AS n FROM usage_meter_backfills WHERE completed_at IS NULL',
    )) as Array<{ n: string }>;
    expect(Number(pending[0].n)).toBe(1);
  });
  afterAll(() => t.stop());

  const marchInvoice = async (customerId: string) =>
    (await invoicesOf(t, customerId, 'DRAFT')).find((i) => i.periodStart === '2026-03-01T00:00:00.000Z')!;

  it('finalizes an invoice the backfill has nothing for', async () => {
    const invoice = await finalizeInvoice(t, (await marchInvoice(acme)).id);
    // 2 calls × 0.01 = 0.02; no storage for acme.
    expect(invoice).toMatchObject({ status: 'FINALIZED', total: '0.02' });
  });

  it('holds an invoice whose usage the backfill has yet to roll up, then finalizes it once done', async () => {
    const { id } = await marchInvoice(globex);
    const refused = await t.gql('mutation($id: ID!) { finalizeInvoice(id: $id) { id } }', { id });
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0].message).toMatch(/still being aggregated/);

    await t.app.workers.aggregator.drain(); // runs the backfill
    const invoice = await finalizeInvoice(t, id);
    // 5 GB × 0.10 = 0.50; no calls for globex.
    expect(invoice).toMatchObject({ status: 'FINALIZED', total: '0.50' });
  });
});
