import { InvoiceFinalizerWorker } from '../../src/workers/invoice-finalizer.worker';
import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createMeter,
  createPlan,
  createPricing,
  invoicesOf,
  sendEvent,
} from '../support/billing-api';

const CUSTOMERS = 60;

/**
 * Gap-free numbering under concurrency: two finalizer workers (as in two processes) and a parallel burst of
 * finalizeInvoice mutations race over the same invoices. Every invoice is finalized exactly once and the
 * numbers are exactly 1..N.
 */
describe('Invoice numbering under concurrent finalization', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  it('numbers 1..N with no gap or duplicate, each invoice finalized once', async () => {
    t.clock.set('2026-09-20T00:00:00Z');
    await createMeter(t, {
      code: 'CALLS',
      displayName: 'Calls',
      eventName: 'call',
      aggregation: 'COUNT',
      groupKeys: ['kind'],
    });
    const pricingId = await createPricing(t, {
      name: 'Calls',
      meterCode: 'CALLS',
      model: 'PER_UNIT',
      fallbackRate: '0.01',
    });
    const planId = await createPlan(t, { name: 'Calls', items: [{ pricingId }] });
    const customers: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const customerId = await createCustomer(t, `Customer ${i}`, `c-${i}`);
      customers.push(customerId);
      await createContract(t, { customerId, planId, startDate: '2026-09-01', endDate: '2026-09-30' });
      for (const kind of ['a', 'b']) {
        await sendEvent(t, {
          customer_id: `c-${i}`,
          event_name: 'call',
          idempotency_key: `${i}-${kind}`,
          timestamp: '2026-09-10T00:00:00Z',
          properties: { kind },
        });
      }
    }
    await t.app.workers.aggregator.drain();
    const invoiceIds = (await t.app.db.query('SELECT id FROM invoices ORDER BY id')).map(
      (r: { id: string }) => r.id,
    );
    expect(invoiceIds).toHaveLength(CUSTOMERS);

    t.clock.set('2026-10-05T00:00:00Z');
    const { services } = t.app;
    const newWorker = () =>
      new InvoiceFinalizerWorker(
        services.invoices,
        services.invoiceSchedule,
        () => TestApp.systemContext(t.app, t.clock),
        (environmentId, organizationId) =>
          TestApp.systemContext(t.app, t.clock, environmentId, organizationId),
        t.app.log,
        4,
      );
    const mutations = invoiceIds.map((id: string) =>
      t.gql<{ finalizeInvoice: { number: string } }>(
        'mutation($id: ID!) { finalizeInvoice(id: $id) { number } }',
        { id },
      ),
    );
    const [results] = await Promise.all([Promise.all(mutations), newWorker().drain(), newWorker().drain()]);
    for (const result of results) expect(result.errors).toBeUndefined();

    const rows = (await t.app.db.query(
      `SELECT i.id, i.status, i.number, COUNT(l.id) AS line_count
         FROM invoices i LEFT JOIN invoice_lines l ON l.invoice_id = i.id GROUP BY i.id, i.status, i.number`,
    )) as Array<{ id: string; status: string; number: string; line_count: string }>;
    expect(rows.every((r) => r.status === 'FINALIZED')).toBe(true);
    // Lines written once per invoice (two dimension combinations each), not once per racer.
    expect(rows.every((r) => Number(r.line_count) === 2)).toBe(true);
    const numbers = rows.map((r) => r.number).sort();
    expect(numbers).toEqual(
      Array.from({ length: CUSTOMERS }, (_, i) => `INV-${String(i + 1).padStart(6, '0')}`),
    );
    // The mutations answered the number the invoice kept.
    const byId = new Map(rows.map((r) => [r.id, r.number]));
    results.forEach((result, i) => expect(result.data?.finalizeInvoice.number).toBe(byId.get(invoiceIds[i])));
    const [sequence] = await t.app.db.query('SELECT last_number FROM invoice_number_sequences');
    expect(Number(sequence.last_number)).toBe(CUSTOMERS);
    expect((await invoicesOf(t, customers[0]))[0]).toMatchObject({ total: '0.02', status: 'FINALIZED' });
  });
});
