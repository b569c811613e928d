import { TestApp } from '../support/test-app';
import { createMeter, createPlan, draftInvoice, summarize } from '../support/billing-api';
import {
  createUsagePricing,
  customerOnPlan,
  refusedPricingField,
  sendEvents,
} from '../support/pricing-scenarios';

/** Tiered packages: SMS in blocks of 100 at 2.95 up to 10 blocks, then blocks of 1,000 at 5.95. */
describe('Pricing: tiered packages', () => {
  let t: TestApp;
  let plan: string;
  const LADDER = [
    { upTo: '1000', unitAmount: '2.95', packageSize: '100' },
    { upTo: null, unitAmount: '5.95', packageSize: '1000' },
  ];

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-01T00:00:00Z');
    await createMeter(t, {
      code: 'SMS',
      displayName: 'SMS',
      eventName: 'sms',
      aggregation: 'SUM',
      aggregationKey: 'messages',
    });
    const pricing = await createUsagePricing(t, {
      name: 'SMS blocks',
      meterCode: 'SMS',
      model: 'TIERED_PACKAGE',
      tiers: LADDER,
    });
    plan = await createPlan(t, { name: 'SMS', items: [{ pricingId: pricing }] });
  });
  afterAll(() => t.stop());

  it('2,350 messages: 10 blocks of 100 and 2 blocks of 1,000', async () => {
    const contract = await customerOnPlan(t, 'sms', plan, '2026-03-01');
    t.clock.set('2026-03-10T00:00:00Z');
    await sendEvents(t, 'sms', 'sms', [
      { at: '2026-03-02T08:00:00Z', properties: { messages: 1200 } },
      { at: '2026-03-09T08:00:00Z', properties: { messages: 1150 } },
    ]);
    await t.app.workers.aggregator.drain();

    // 1,200 + 1,150 = 2,350. Tier 1: 1,000 units = 10 blocks × 2.95 = 29.50. Tier 2: 1,350 units,
    // ⌈1,350 / 1,000⌉ = 2 blocks × 5.95 = 11.90. Total 41.40.
    const draft = await draftInvoice(t, contract);
    expect(summarize(draft.lines)).toEqual(['SMS | 2350 × - = 41.40 (-)']);
    expect(draft.subtotal).toBe('41.40');
  });

  it('shows the ladder with its package sizes', async () => {
    const data = await t.gqlOk<{ pricings: { nodes: Array<{ model: string; tiers: unknown }> } }>(
      '{ pricings(first: 5) { nodes { model tiers { upTo unitAmount flatAmount packageSize } } } }',
    );
    expect(data.pricings.nodes[0]).toEqual({
      model: 'TIERED_PACKAGE',
      tiers: [
        { upTo: '1000', unitAmount: '2.95', flatAmount: '0', packageSize: '100' },
        { upTo: null, unitAmount: '5.95', flatAmount: '0', packageSize: '1000' },
      ],
    });
  });

  it('a public plan shows the ladder, its package sizes and the free units on the pricing page', async () => {
    const pricing = await createUsagePricing(t, {
      name: 'SMS blocks (public)',
      meterCode: 'SMS',
      model: 'TIERED_PACKAGE',
      tiers: LADDER,
      freeUnits: '50',
    });
    await t.gqlOk('mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }', {
      input: { name: 'SMS public', currency: 'USD', isPublic: true, items: [{ pricingId: pricing }] },
    });
    const data = await t.gqlOk<{ productCatalog: Array<{ items: unknown[] }> }>(
      '{ productCatalog { items { model freeUnits tierScope percent tiers { upTo unitAmount packageSize } } } }',
    );
    expect(data.productCatalog.map((plan) => plan.items)).toEqual([
      [
        {
          model: 'TIERED_PACKAGE',
          freeUnits: '50',
          tierScope: 'TOTAL',
          percent: null,
          tiers: [
            { upTo: '1000', unitAmount: '2.95', packageSize: '100' },
            { upTo: null, unitAmount: '5.95', packageSize: '1000' },
          ],
        },
      ],
    ]);
  });

  it('refuses a ladder it cannot price, naming the field', async () => {
    const base = { name: 'x', meterCode: 'SMS', model: 'TIERED_PACKAGE' };
    // A tier without a package size.
    expect(
      await refusedPricingField(t, { ...base, tiers: [LADDER[0], { upTo: null, unitAmount: '5.95' }] }),
    ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.tiers.1.packageSize' });
    // 1,050 units is not a whole number of blocks of 100.
    expect(
      await refusedPricingField(t, { ...base, tiers: [{ ...LADDER[0], upTo: '1050' }, LADDER[1]] }),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.tiers.0.upTo',
    });
    // Package sizes belong to TIERED_PACKAGE tiers only.
    expect(await refusedPricingField(t, { ...base, model: 'GRADUATED', tiers: LADDER })).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.tiers.0.packageSize',
    });
    // The packages are per tier, so the pricing's unit size stays 1.
    expect(await refusedPricingField(t, { ...base, unitSize: '100', tiers: LADDER })).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.unitSize',
    });
  });
});
