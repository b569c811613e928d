import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createFlatFee,
  createMeter,
  createPlan,
  draftInvoice,
  finalizeInvoice,
  invoicesOf,
  summarize,
} from '../support/billing-api';
import { createUsagePricing, customerOnPlan, sendEvents } from '../support/pricing-scenarios';

/** Weekly and semiannual billing cycles: periods, a weekly usage invoice, and a prorated last half-year. */
describe('Pricing: weekly and semiannual cycles', () => {
  let t: TestApp;
  let weekly: string;
  let semiannual: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-01-01T00:00:00Z');
    await createMeter(t, { code: 'RIDES', displayName: 'Rides', eventName: 'ride', aggregation: 'COUNT' });
    const rides = await createUsagePricing(t, {
      name: 'Rides',
      meterCode: 'RIDES',
      model: 'PER_UNIT',
      fallbackRate: '1.25',
    });
    const fleetFee = await createFlatFee(t, 'Fleet fee', '70');
    weekly = await createPlan(t, {
      name: 'Weekly',
      billingCycle: 'WEEKLY',
      items: [{ pricingId: fleetFee }, { pricingId: rides }],
    });
    const support = await createFlatFee(t, 'Support', '600');
    semiannual = await createPlan(t, {
      name: 'Half-yearly',
      billingCycle: 'SEMIANNUAL',
      items: [{ pricingId: support }],
    });
  });
  afterAll(() => t.stop());

  it('a weekly contract bills 7-day periods across the month end, the fee in full', async () => {
    t.clock.set('2026-03-27T08:00:00Z');
    const contract = await customerOnPlan(t, 'fleet', weekly, '2026-03-27');
    // Friday Mar 27 + 7 days = Apr 3: the first period spans the end of March.
    t.clock.set('2026-04-03T06:00:00Z');
    await sendEvents(t, 'fleet', 'ride', [
      { at: '2026-03-28T10:00:00Z' },
      { at: '2026-03-31T23:59:59Z' },
      { at: '2026-04-02T12:00:00Z' },
      { at: '2026-04-03T00:00:00Z' }, // the second week
    ]);
    await t.app.workers.aggregator.drain();

    const invoices = (await invoicesOf(t, await customerIdOf(contract))).map((i) => [
      i.periodStart.slice(0, 10),
      i.periodEnd.slice(0, 10),
    ]);
    expect(invoices).toContainEqual(['2026-03-27', '2026-04-03']);
    expect(invoices).toContainEqual(['2026-04-03', '2026-04-10']);

    // Week 1 (Mar 27–Apr 3): fleet fee 70.00 in full; 3 rides × 1.25 = 3.75 → 73.75.
    const first = (await invoicesOf(t, await customerIdOf(contract))).find((i) =>
      i.periodStart.startsWith('2026-03-27'),
    )!;
    const final = await finalizeInvoice(t, first.id);
    expect(summarize(final.lines)).toEqual([
      'Fleet fee | 1 × 70 = 70.00 (-)',
      'Rides | 3 × 1.25 = 3.75 (FALLBACK)',
    ]);
    expect(final.subtotal).toBe('73.75');

    // Week 2 (Apr 3–10), live: 70.00 + 1 ride × 1.25 = 71.25.
    const current = await draftInvoice(t, contract);
    expect(current.periodStart).toBe('2026-04-03T00:00:00.000Z');
    expect(current.subtotal).toBe('71.25');
  });

  it('a semiannual fixed term clamps at month ends and prorates the short last half-year', async () => {
    t.clock.set('2026-01-31T08:00:00Z');
    const customerId = await createCustomer(t, 'halves', 'halves');
    await createContract(t, {
      customerId,
      planId: semiannual,
      startDate: '2026-01-31',
      endDate: '2026-09-30',
    });
    const invoices = await invoicesOf(t, customerId);
    // Jan 31 + 6 months = Jul 31; the term ends with Sep 30 (exclusive Oct 1), before Jan 31, 2027.
    expect(invoices.map((i) => [i.periodStart.slice(0, 10), i.periodEnd.slice(0, 10)]).sort()).toEqual([
      ['2026-01-31', '2026-07-31'],
      ['2026-07-31', '2026-10-01'],
    ]);
    // Last period: Jul 31 → Oct 1 = 1 + 31 + 30 = 62 days of the full Jul 31 → Jan 31 cycle of
    // 1 + 31 + 30 + 31 + 30 + 31 + 30 = 184 days: 600 × 62 / 184 = 202.173913… → 202.17.
    const last = invoices.find((i) => i.periodStart.startsWith('2026-07-31'))!;
    const priced = await t.gqlOk<{ invoice: { lines: Array<{ description: string; amount: string }> } }>(
      'query($id: ID!) { invoice(id: $id) { lines { description amount } } }',
      { id: last.id },
    );
    expect(priced.invoice.lines).toEqual([{ description: 'Support (62 of 184 days)', amount: '202.17' }]);
  });

  async function customerIdOf(contractId: string): Promise<string> {
    const data = await t.gqlOk<{ contract: { customer: { id: string } } }>(
      'query($id: ID!) { contract(id: $id) { customer { id } } }',
      { id: contractId },
    );
    return data.contract.customer.id;
  }
});
