import { TestApp } from '../support/test-app';
import { createMeter, createPlan, draftInvoice, finalizeInvoice, summarize } from '../support/billing-api';
import {
  createUsagePricing,
  customerOnPlan,
  refusedPricingField,
  sendEvents,
} from '../support/pricing-scenarios';

/**
 * Percentage pricing on payment volume: 2.9 % + 0.30 per transaction, and graduated percentages. The meter
 * sums the `amount` property of each payment event; the hourly roll-ups carry the event count the fee needs.
 */
describe('Pricing: percentage of an amount', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-01T00:00:00Z');
    await createMeter(t, {
      code: 'VOLUME',
      displayName: 'Payment volume',
      eventName: 'payment',
      aggregation: 'SUM',
      aggregationKey: 'amount',
    });
    await createMeter(t, {
      code: 'PAYMENTS',
      displayName: 'Payments',
      eventName: 'payment',
      aggregation: 'COUNT',
    });
  });
  afterAll(() => t.stop());

  it('2.9 % + 0.30 per transaction, in the draft and once finalized', async () => {
    const pricing = await createUsagePricing(t, {
      name: 'Card processing',
      meterCode: 'VOLUME',
      model: 'PERCENTAGE',
      percent: '2.9',
      feePerTransaction: '0.30',
    });
    const plan = await createPlan(t, { name: 'Processing', items: [{ pricingId: pricing }] });
    const contract = await customerOnPlan(t, 'shop', plan, '2026-03-01');
    t.clock.set('2026-03-20T00:00:00Z');
    await sendEvents(t, 'shop', 'payment', [
      { at: '2026-03-02T09:15:00Z', properties: { amount: '120.00' } },
      { at: '2026-03-02T09:45:00Z', properties: { amount: '80.50' } },
      { at: '2026-03-11T17:00:00Z', properties: { amount: '1000.00' } },
      { at: '2026-03-19T23:59:59Z', properties: { amount: '49.50' } },
    ]);
    await t.app.workers.aggregator.drain();

    // Volume 120.00 + 80.50 + 1,000.00 + 49.50 = 1,250.00 × 2.9 % = 36.25; 4 transactions × 0.30 = 1.20.
    // 36.25 + 1.20 = 37.45.
    const draft = await draftInvoice(t, contract);
    expect(summarize(draft.lines)).toEqual([
      'Payment volume (2.9% + 0.3 × 4 transactions) | 1250 × - = 37.45 (-)',
    ]);
    expect(draft.subtotal).toBe('37.45');

    t.clock.set('2026-04-01T00:30:00Z');
    const final = await finalizeInvoice(t, draft.id);
    expect(summarize(final.lines)).toEqual(summarize(draft.lines));
    expect(final.subtotal).toBe('37.45');
  });

  it('graduated percentages: 3 % up to 10,000, then 2 %', async () => {
    t.clock.set('2026-03-01T00:00:00Z');
    const pricing = await createUsagePricing(t, {
      name: 'Volume discount',
      meterCode: 'VOLUME',
      model: 'PERCENTAGE',
      tiers: [
        { upTo: '10000', unitAmount: '3' },
        { upTo: null, unitAmount: '2' },
      ],
    });
    const plan = await createPlan(t, { name: 'Graduated %', items: [{ pricingId: pricing }] });
    const contract = await customerOnPlan(t, 'market', plan, '2026-03-01');
    t.clock.set('2026-03-20T00:00:00Z');
    await sendEvents(t, 'market', 'payment', [
      { at: '2026-03-03T10:00:00Z', properties: { amount: '8000' } },
      { at: '2026-03-04T10:00:00Z', properties: { amount: '6500.40' } },
    ]);
    await t.app.workers.aggregator.drain();

    // 8,000 + 6,500.40 = 14,500.40: 10,000 × 3 % = 300.00, 4,500.40 × 2 % = 90.008 → 390.008 → 390.01.
    const draft = await draftInvoice(t, contract);
    expect(summarize(draft.lines)).toEqual(['Payment volume (graduated %) | 14500.4 × - = 390.01 (-)']);
    expect(draft.lines[0].preciseAmount).toBe('390.008000000000'); // at the column's 12 decimals
  });

  it('refuses what it cannot price, naming the field', async () => {
    const base = { name: 'x', meterCode: 'VOLUME', model: 'PERCENTAGE' };
    const refused = (field: string) => ({ code: 'BAD_USER_INPUT', field });
    expect(await refusedPricingField(t, base)).toEqual(refused('input.percent'));
    expect(await refusedPricingField(t, { ...base, percent: '101' })).toEqual(refused('input.percent'));
    expect(
      await refusedPricingField(t, { ...base, percent: '2', tiers: [{ upTo: null, unitAmount: '2' }] }),
    ).toEqual(refused('input.percent'));
    expect(await refusedPricingField(t, { ...base, tiers: [{ upTo: null, unitAmount: '150' }] })).toEqual(
      refused('input.tiers.0.unitAmount'),
    );
    expect(await refusedPricingField(t, { ...base, percent: '2', feePerTransaction: '-1' })).toEqual(
      refused('input.feePerTransaction'),
    );
    // A count is not an amount to take a percentage of.
    expect(await refusedPricingField(t, { ...base, meterCode: 'PAYMENTS', percent: '2' })).toEqual(
      refused('input.meterCode'),
    );
    // Percentages belong to PERCENTAGE pricing.
    expect(await refusedPricingField(t, { ...base, model: 'PER_UNIT', percent: '2' })).toEqual(
      refused('input.percent'),
    );
  });
});
