import { TestApp } from '../support/test-app';
import { createMeter, createPlan, draftInvoice, finalizeInvoice, summarize } from '../support/billing-api';
import {
  createUsagePricing,
  customerOnPlan,
  refusedPricingField,
  sendEvents,
} from '../support/pricing-scenarios';

/** Free units: the first N units of each period cost nothing, on package, per-unit and tiered pricing. */
describe('Pricing: free units', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-01T00:00:00Z');
    await createMeter(t, {
      code: 'REPORTS',
      displayName: 'Reports',
      eventName: 'report',
      aggregation: 'COUNT',
    });
    await createMeter(t, {
      code: 'CALLS',
      displayName: 'Calls',
      eventName: 'call',
      aggregation: 'COUNT',
      groupKeys: ['region'],
    });
  });
  afterAll(() => t.stop());

  const at = (n: number) => ({ at: `2026-03-05T10:${String(n % 60).padStart(2, '0')}:00Z` });

  it('12 reports, 5 free, packages of 10 at 8.00 → one package, in the draft and once finalized', async () => {
    const pricing = await createUsagePricing(t, {
      name: 'Reports (10-packs)',
      meterCode: 'REPORTS',
      model: 'PACKAGE',
      unitSize: '10',
      fallbackRate: '8',
      freeUnits: '5',
    });
    const plan = await createPlan(t, { name: 'Reports', items: [{ pricingId: pricing }] });
    const contract = await customerOnPlan(t, 'packs', plan, '2026-03-01');
    t.clock.set('2026-03-06T00:00:00Z');
    await sendEvents(
      t,
      'packs',
      'report',
      Array.from({ length: 12 }, (_, i) => at(i)),
    );
    await t.app.workers.aggregator.drain();

    // 12 − 5 free = 7 billable; ⌈7 / 10⌉ = 1 package × 8.00 = 8.00 (without free units: 2 packages, 16.00).
    const draft = await draftInvoice(t, contract);
    expect(summarize(draft.lines)).toEqual(['Reports (5 free) | 12 × 8 = 8.00 (FALLBACK)']);
    expect(draft.subtotal).toBe('8.00');

    t.clock.set('2026-04-01T00:30:00Z');
    const final = await finalizeInvoice(t, draft.id);
    expect(summarize(final.lines)).toEqual(summarize(draft.lines));
    expect(final.subtotal).toBe('8.00');
  });

  it('per-unit: 100 free calls are used by the lines in invoice order', async () => {
    t.clock.set('2026-03-01T00:00:00Z');
    const pricing = await createUsagePricing(t, {
      name: 'Calls',
      meterCode: 'CALLS',
      model: 'PER_UNIT',
      fallbackRate: '0.5',
      freeUnits: '100',
    });
    const plan = await createPlan(t, { name: 'Calls', items: [{ pricingId: pricing }] });
    const contract = await customerOnPlan(t, 'calls', plan, '2026-03-01');
    t.clock.set('2026-03-06T00:00:00Z');
    await sendEvents(t, 'calls', 'call', [
      ...Array.from({ length: 60 }, (_, i) => ({ ...at(i), properties: { region: 'eu' } })),
      ...Array.from({ length: 90 }, (_, i) => ({ ...at(i), properties: { region: 'us' } })),
    ]);
    await t.app.workers.aggregator.drain();

    // eu (listed first): 60 calls, all free (40 of the 100 left). us: 90 calls, 40 free, 50 × 0.50 = 25.00.
    const draft = await draftInvoice(t, contract);
    expect(summarize(draft.lines)).toEqual([
      'Calls - eu (60 free) | 60 × 0.5 = 0.00 (FALLBACK)',
      'Calls - us (40 free) | 90 × 0.5 = 25.00 (FALLBACK)',
    ]);
    expect(draft.subtotal).toBe('25.00');
  });

  it('graduated: the ladder starts after the free units', async () => {
    t.clock.set('2026-03-01T00:00:00Z');
    const pricing = await createUsagePricing(t, {
      name: 'Reports (tiers)',
      meterCode: 'REPORTS',
      model: 'GRADUATED',
      freeUnits: '10',
      tiers: [
        { upTo: '20', unitAmount: '1.00' },
        { upTo: null, unitAmount: '0.50' },
      ],
    });
    const plan = await createPlan(t, { name: 'Reports tiers', items: [{ pricingId: pricing }] });
    const contract = await customerOnPlan(t, 'tiers', plan, '2026-03-01');
    t.clock.set('2026-03-06T00:00:00Z');
    await sendEvents(
      t,
      'tiers',
      'report',
      Array.from({ length: 45 }, (_, i) => at(i)),
    );
    await t.app.workers.aggregator.drain();

    // 45 − 10 free = 35 billable: 20 × 1.00 = 20.00, then 15 × 0.50 = 7.50 → 27.50.
    const draft = await draftInvoice(t, contract);
    expect(summarize(draft.lines)).toEqual(['Reports (10 free) | 45 × - = 27.50 (-)']);
  });

  it('refuses negative or over-precise free units, naming the field', async () => {
    const base = { name: 'x', meterCode: 'REPORTS', model: 'PER_UNIT', fallbackRate: '1' };
    expect(await refusedPricingField(t, { ...base, freeUnits: '-1' })).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.freeUnits',
    });
    expect(await refusedPricingField(t, { ...base, freeUnits: '0.0000000001' })).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.freeUnits',
    });
  });

  it('shows the free units on the pricing', async () => {
    const id = await createUsagePricing(t, {
      name: 'y',
      meterCode: 'REPORTS',
      model: 'PER_UNIT',
      freeUnits: '5',
    });
    const data = await t.gqlOk<{ pricing: { freeUnits: string } }>(
      'query($id: ID!) { pricing(id: $id) { freeUnits } }',
      {
        id,
      },
    );
    expect(data.pricing.freeUnits).toBe('5');
  });
});
