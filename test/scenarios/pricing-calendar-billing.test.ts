import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createFlatFee,
  createMeter,
  createPlan,
  invoicesOf,
  summarize,
} from '../support/billing-api';
import { createUsagePricing, sendEvents } from '../support/pricing-scenarios';

/** Calendar billing: periods on calendar months and quarters, after a first stub prorated over its period. */
describe('Pricing: calendar billing', () => {
  let t: TestApp;
  let monthly: string;
  let quarterly: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-01-01T00:00:00Z');
    await createMeter(t, { code: 'SCANS', displayName: 'Scans', eventName: 'scan', aggregation: 'COUNT' });
    const scans = await createUsagePricing(t, {
      name: 'Scans',
      meterCode: 'SCANS',
      model: 'PER_UNIT',
      fallbackRate: '0.1',
    });
    monthly = await createPlan(t, {
      name: 'Monthly',
      items: [{ pricingId: await createFlatFee(t, 'Platform', '31') }, { pricingId: scans }],
    });
    quarterly = await createPlan(t, {
      name: 'Quarterly',
      billingCycle: 'QUARTERLY',
      items: [{ pricingId: await createFlatFee(t, 'Platform (quarter)', '90') }],
    });
  });
  afterAll(() => t.stop());

  const periodsOf = (invoices: Array<{ periodStart: string; periodEnd: string }>) =>
    invoices.map((i) => `${i.periodStart.slice(0, 10)}..${i.periodEnd.slice(0, 10)}`).sort();

  it('monthly from the 17th: the first invoice covers the 17th to the end of the month, prorated', async () => {
    t.clock.set('2026-03-17T09:00:00Z');
    const customerId = await createCustomer(t, 'calendar', 'calendar');
    const created = await t.gqlOk<{ createContract: { id: string; billingAlignment: string } }>(
      `mutation($input: CreateContractInput!) { createContract(input: $input) { id billingAlignment } }`,
      { input: { customerId, planId: monthly, startDate: '2026-03-17', billingAlignment: 'CALENDAR' } },
    );
    expect(created.createContract.billingAlignment).toBe('CALENDAR');
    t.clock.set('2026-04-02T09:00:00Z');
    await sendEvents(t, 'calendar', 'scan', [
      { at: '2026-03-20T10:00:00Z' },
      { at: '2026-03-31T23:59:59Z' },
      { at: '2026-04-01T00:00:00Z' }, // April's period
    ]);
    await t.app.workers.aggregator.drain();

    // Evergreen: drafted at creation for the current period (the stub) and the next (April).
    const invoices = await invoicesOf(t, customerId);
    expect(periodsOf(invoices)).toEqual(['2026-03-17..2026-04-01', '2026-04-01..2026-05-01']);
    const stub = invoices.find((i) => i.periodStart.startsWith('2026-03-17'))!;
    const april = invoices.find((i) => i.periodStart.startsWith('2026-04-01'))!;
    // Stub: Mar 17 → Apr 1 is 15 of March's 31 days: 31.00 × 15 / 31 = 15.00; 2 scans × 0.10 = 0.20.
    expect(summarize(stub.lines)).toEqual([
      'Platform (15 of 31 days) | 1 × 31 = 15.00 (-)',
      'Scans | 2 × 0.1 = 0.20 (FALLBACK)',
    ]);
    expect(stub.subtotal).toBe('15.20');
    // April in full: 31.00; 1 scan × 0.10 = 0.10.
    expect(april.subtotal).toBe('31.10');
  });

  it('quarterly from Feb 20: a stub to the end of Q1, then calendar quarters', async () => {
    t.clock.set('2026-02-20T09:00:00Z');
    const customerId = await createCustomer(t, 'quarters', 'quarters');
    await createContract(t, {
      customerId,
      planId: quarterly,
      startDate: '2026-02-20',
      endDate: '2026-12-31',
      billingAlignment: 'CALENDAR',
    });
    const invoices = await invoicesOf(t, customerId);
    expect(periodsOf(invoices)).toEqual([
      '2026-02-20..2026-04-01',
      '2026-04-01..2026-07-01',
      '2026-07-01..2026-10-01',
      '2026-10-01..2027-01-01',
    ]);
    // Stub: Feb 20 → Apr 1 = 9 days of February (20th–28th) + 31 of March = 40 days of Q1's
    // 31 + 28 + 31 = 90: 90.00 × 40 / 90 = 40.00.
    const stub = invoices.find((i) => i.periodStart.startsWith('2026-02-20'))!;
    expect(summarize(stub.lines)).toEqual(['Platform (quarter) (40 of 90 days) | 1 × 90 = 40.00 (-)']);
  });
});
