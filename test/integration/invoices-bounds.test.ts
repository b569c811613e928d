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
import { TestApp } from '../support/test-app';

/**
 * Figures an invoice cannot hold are refused with a coded error naming the figure, never an
 * INTERNAL_SERVER_ERROR from the database, and nothing is written. Rounded money is DECIMAL(20,4): at most
 * 9999999999999999.9999. Events carry at most 1e15 (MAX_EVENT_VALUE), so with a rate of 6 one event prices
 * at 6e15 (fits) but two of them at 1.2e16 (does not).
 */
describe('invoice figures beyond their columns', () => {
  let t: TestApp;
  let planId: string;
  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-10-05T00:00:00Z');
    await createMeter(t, {
      code: 'TOKENS',
      displayName: 'Tokens',
      eventName: 'llm_call',
      aggregation: 'SUM',
      aggregationKey: 'tokens',
      groupKeys: ['region'],
    });
    const pricingId = await createPricing(t, {
      name: 'Tokens',
      meterCode: 'TOKENS',
      model: 'PER_UNIT',
      fallbackRate: '6',
    });
    planId = await createPlan(t, { name: 'Tokens', items: [{ pricingId }] });
  });
  afterAll(() => t.stop());

  /** A customer on the plan from October 1st with one event of 1e15 tokens per region given. */
  async function customerWithUsage(ref: string, regions: string[]): Promise<string> {
    const customerId = await createCustomer(t, ref, ref);
    await createContract(t, { customerId, planId, startDate: '2026-10-01' });
    for (const [i, region] of regions.entries()) {
      const sent = await sendEvent(t, {
        customer_id: ref,
        event_name: 'llm_call',
        idempotency_key: `${ref}-${i}`,
        timestamp: '2026-10-03T10:00:00Z',
        properties: { region, tokens: 1e15 },
      });
      expect(sent.status).toBe(202);
    }
    await t.app.workers.aggregator.drain();
    const october = (await invoicesOf(t, customerId, 'DRAFT')).find(
      (i) => i.periodStart === '2026-10-01T00:00:00.000Z',
    );
    return october!.id;
  }

  const finalizeError = async (invoiceId: string) =>
    (await t.gql('mutation($id: ID!) { finalizeInvoice(id: $id) { id } }', { id: invoiceId })).errors?.[0]
      ?.extensions;

  const stored = async (invoiceId: string) => ({
    invoice: (await t.app.db.query('SELECT status, number FROM invoices WHERE id = ?', [
      invoiceId,
    ])) as unknown[],
    lines: Number(
      (
        (await t.app.db.query('SELECT COUNT(*) n FROM invoice_lines WHERE invoice_id = ?', [
          invoiceId,
        ])) as Array<{
          n: number | string;
        }>
      )[0].n,
    ),
  });

  it('finalizes an invoice at the edge: 1e15 tokens × 6 = 6,000,000,000,000,000.00', async () => {
    const invoiceId = await customerWithUsage('edge', ['EU']);
    const invoice = await finalizeInvoice(t, invoiceId);
    expect(invoice).toMatchObject({ status: 'FINALIZED', total: '6000000000000000.00' });
  });

  it('refuses a line amount beyond DECIMAL(20,4): 2e15 tokens × 6 = 1.2e16', async () => {
    const invoiceId = await customerWithUsage('one-line', ['EU', 'EU']);
    expect(await finalizeError(invoiceId)).toMatchObject({ code: 'CONFLICT', field: 'lines.0.amount' });
    expect(await stored(invoiceId)).toEqual({ invoice: [{ status: 'DRAFT', number: null }], lines: 0 });
  });

  it('refuses a subtotal beyond DECIMAL(20,4) when every line fits: 6e15 + 6e15', async () => {
    const invoiceId = await customerWithUsage('two-lines', ['EU', 'US']);
    expect(await finalizeError(invoiceId)).toMatchObject({ code: 'CONFLICT', field: 'subtotal' });
    expect(await stored(invoiceId)).toEqual({ invoice: [{ status: 'DRAFT', number: null }], lines: 0 });
  });
});
