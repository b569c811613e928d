import { TestApp } from '../support/test-app';
import { createCustomer, createMeter, sendBatch, usage } from '../support/usage-helpers';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  it('ingests and aggregates', async () => {
    t.clock.set('2026-03-10T12:30:00Z');
    const c = await createCustomer(t, 'Acme', 'acme');
    await createMeter(t, { code: 'AI', eventName: 'ai_call', aggregation: 'SUM', aggregationKey: 'duration_minutes', groupKeys: ['region'] });
    const r = await sendBatch(t, [
      { customer_id: 'acme', event_name: 'ai_call', idempotency_key: 'a', properties: { region: 'US', duration_minutes: 5 } },
      { customer_id: c, event_name: 'ai_call', idempotency_key: 'b', properties: { region: 'EU', duration_minutes: '2.5' } },
      { customer_id: c, event_name: 'ai_call', idempotency_key: 'a', properties: { region: 'EU', duration_minutes: 1 } },
      { customer_id: c, event_name: 'ai_call', idempotency_key: 'c', properties: { duration_minutes: 1 } },
      { customer_id: 'nope', event_name: 'ai_call', idempotency_key: 'd', properties: { duration_minutes: 1 } },
    ]);
    console.log(JSON.stringify(r.body), r.status);
    const r2 = await sendBatch(t, [
      { customer_id: c, event_name: 'ai_call', idempotency_key: 'b', properties: { region: 'EU', duration_minutes: '2.5' } },
      { customer_id: c, event_name: 'ai_call', idempotency_key: 'e', properties: { region: 'EU', duration_minutes: '2.5' } },
    ]);
    console.log(JSON.stringify(r2.body), r2.status);
    await t.app.workers.aggregator.drain();
    console.log(await usage(t, { customerId: c, meterCode: 'AI', from: '2026-03-10T00:00:00Z', to: '2026-03-11T00:00:00Z' }));
    console.log(await t.app.db.query('select * from usage_aggregator_progress'));
  });
});
