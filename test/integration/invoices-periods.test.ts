import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createFlatFee,
  createMeter,
  createPlan,
  createPricing,
  createRateCard,
  draftInvoice,
  invoicesOf,
  sendEvent,
  summarize,
} from '../support/billing-api';

/**
 * Billing periods and pricing models: a quarterly, net-45 contract that starts on a 31st and ends
 * mid-quarter (periods, due dates, a flat fee prorated by days in the last period), a rate card version
 * change inside a period (two lines), and the tiered models.
 */
describe('Billing periods, rate versions and pricing models', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  it('bills a quarterly net-45 contract from Jan 31 to Nov 15 with a prorated last quarter', async () => {
    t.clock.set('2026-08-21T00:00:00Z');
    await createMeter(t, {
      code: 'API_CALLS',
      displayName: 'API Calls',
      eventName: 'api_call',
      aggregation: 'COUNT',
      groupKeys: [],
    });
    // Rate card version change on Aug 15: $0.10 per call before, $0.08 from then on.
    const rateCardId = await createRateCard(t, 'API_CALLS', [
      { dimensions: {}, rate: '0.10', effectiveTo: '2026-08-15T00:00:00Z' },
      { dimensions: {}, rate: '0.08', effectiveFrom: '2026-08-15T00:00:00Z' },
    ]);
    const usage = await createPricing(t, {
      name: 'API calls',
      meterCode: 'API_CALLS',
      model: 'PER_UNIT',
      fallbackRate: '0.5',
      rateCardId,
    });
    const fee = await createFlatFee(t, 'Platform fee', '300');
    const planId = await createPlan(t, {
      name: 'Platform',
      billingCycle: 'MONTHLY',
      netTermsDays: 30,
      items: [{ pricingId: fee }, { pricingId: usage }],
    });
    const customerId = await createCustomer(t, 'Quarterly Co', 'quarterly');
    const contractId = await createContract(t, {
      customerId,
      planId,
      startDate: '2026-01-31',
      endDate: '2026-11-15',
      billingCycle: 'QUARTERLY',
      paymentTermsDays: 45,
    });

    // Every period of the term is pre-generated; a start on the 31st clamps to Apr 30, then back to Jul 31.
    const periods = (await invoicesOf(t, customerId))
      .map((i) => [i.periodStart, i.periodEnd, i.status])
      .reverse();
    expect(periods).toEqual([
      ['2026-01-31T00:00:00.000Z', '2026-04-30T00:00:00.000Z', 'DRAFT'],
      ['2026-04-30T00:00:00.000Z', '2026-07-31T00:00:00.000Z', 'DRAFT'],
      ['2026-07-31T00:00:00.000Z', '2026-10-31T00:00:00.000Z', 'DRAFT'],
      ['2026-10-31T00:00:00.000Z', '2026-11-16T00:00:00.000Z', 'DRAFT'],
    ]);

    const send = async (key: string, at: string, count: number) => {
      for (let i = 0; i < count; i++) {
        const response = await sendEvent(t, {
          customer_id: 'quarterly',
          event_name: 'api_call',
          idempotency_key: `${key}-${i}`,
          timestamp: at,
          properties: {},
        });
        expect(response.status).toBe(202);
      }
    };
    await send('before', '2026-08-10T12:00:00Z', 3);
    await send('after', '2026-08-20T12:00:00Z', 5);
    await t.app.workers.aggregator.drain();

    const q3 = await draftInvoice(t, contractId);
    expect(q3.periodStart).toBe('2026-07-31T00:00:00.000Z');
    expect(summarize(q3.lines)).toEqual([
      'Platform fee | 1 × 300 = 300.00 (-)',
      'API Calls | 3 × 0.1 = 0.30 (RATE_CARD)',
      'API Calls | 5 × 0.08 = 0.40 (RATE_CARD)',
    ]);
    expect(q3.lines.slice(1).map((l) => [l.serviceFrom, l.serviceTo])).toEqual([
      ['2026-07-31T00:00:00.000Z', '2026-08-15T00:00:00.000Z'],
      ['2026-08-15T00:00:00.000Z', '2026-10-31T00:00:00.000Z'],
    ]);
    expect(q3.total).toBe('300.70');

    t.clock.set('2026-11-06T00:00:00Z');
    await send('q4', '2026-11-05T08:00:00Z', 2);
    await t.app.workers.aggregator.drain();
    const q4 = await draftInvoice(t, contractId);
    expect(summarize(q4.lines)).toEqual([
      'Platform fee (16 of 92 days) | 1 × 300 = 52.17 (-)',
      'API Calls | 2 × 0.08 = 0.16 (RATE_CARD)',
    ]);
    expect(q4.lines[0].preciseAmount).toBe('52.173913043478'); // 300 × 16 / 92, kept to 12 places

    // The last period ends Nov 16 00:00; with 24 h of grace the finalizer takes every period at Nov 17.
    t.clock.set('2026-11-16T23:00:00Z');
    await t.app.workers.invoiceFinalizer.drain();
    expect((await invoicesOf(t, customerId, 'DRAFT')).map((i) => i.periodStart)).toEqual([
      '2026-10-31T00:00:00.000Z',
    ]);
    t.clock.set('2026-11-17T01:00:00Z');
    await t.app.workers.invoiceFinalizer.drain();
    const finalized = (await invoicesOf(t, customerId)).reverse();
    expect(finalized.map((i) => [i.status, i.number, i.total])).toEqual([
      ['FINALIZED', 'INV-000001', '300.00'],
      ['FINALIZED', 'INV-000002', '300.00'],
      ['FINALIZED', 'INV-000003', '300.70'],
      ['FINALIZED', 'INV-000004', '52.33'],
    ]);
    const last = finalized[3];
    expect(last.issuedAt).toBe('2026-11-17T01:00:00.000Z');
    expect(last.dueDate).toBe('2027-01-01T01:00:00.000Z'); // issued + 45 days
    expect(summarize(last.lines)).toEqual(summarize(q4.lines));

    const contract = await t.gqlOk<{ contract: { status: string } }>(
      'query($id: ID!) { contract(id: $id) { status } }',
      {
        id: contractId,
      },
    );
    expect(contract.contract.status).toBe('ENDED');
  });

  it('prices GRADUATED, VOLUME and PACKAGE over the period total', async () => {
    t.clock.set('2026-11-20T00:00:00Z');
    const tiers = [
      { upTo: '1000', unitAmount: '0.01' },
      { upTo: '10000', unitAmount: '0.008' },
      { upTo: null, unitAmount: '0.005', flatAmount: '1' },
    ];
    const items = [];
    for (const [code, model] of [
      ['GRAD', 'GRADUATED'],
      ['VOL', 'VOLUME'],
      ['PKG', 'PACKAGE'],
    ]) {
      await createMeter(t, {
        code,
        displayName: `${model} units`,
        eventName: code.toLowerCase(),
        aggregation: 'SUM',
        aggregationKey: 'n',
        groupKeys: ['region'],
      });
      const pricingId = await createPricing(t, {
        name: model,
        meterCode: code,
        model,
        fallbackRate: model === 'PACKAGE' ? '2' : '0',
        ...(model === 'PACKAGE' ? { unitSize: '100' } : { tiers }),
      });
      items.push({ pricingId });
    }
    const planId = await createPlan(t, { name: 'Tiers', items });
    const customerId = await createCustomer(t, 'Tiers Co', 'tiers');
    const contractId = await createContract(t, { customerId, planId, startDate: '2026-11-01' });
    for (const code of ['grad', 'vol', 'pkg']) {
      // 12,550 units split over two regions: tiers apply to the period's total, not per region.
      for (const [region, n] of [
        ['US', '10000'],
        ['EU', '2550'],
      ]) {
        const response = await sendEvent(t, {
          customer_id: 'tiers',
          event_name: code,
          idempotency_key: `${code}-${region}`,
          timestamp: '2026-11-10T00:00:00Z',
          properties: { region, n },
        });
        expect(response.status).toBe(202);
      }
    }
    await t.app.workers.aggregator.drain();
    const invoice = await draftInvoice(t, contractId);
    expect(summarize(invoice.lines)).toEqual([
      // 1000 × 0.01 + 9000 × 0.008 + 2550 × 0.005 + 1 = 10 + 72 + 12.75 + 1
      'GRADUATED units | 12550 × - = 95.75 (-)',
      // every unit at the tier the total reaches: 12550 × 0.005 + 1
      'VOLUME units | 12550 × - = 63.75 (-)',
      // 126 started packages of 100 at $2
      'PACKAGE units | 12550 × 2 = 252.00 (FALLBACK)',
    ]);
    expect(invoice.total).toBe('411.50');
  });
});
