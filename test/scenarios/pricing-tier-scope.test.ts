import { TestApp } from '../support/test-app';
import { createMeter, createPlan, draftInvoice, summarize } from '../support/billing-api';
import {
  createUsagePricing,
  customerOnPlan,
  refusedPricingField,
  sendEvents,
} from '../support/pricing-scenarios';

/** Tiers per dimension combination: each model has its own ladder and its own invoice line. */
describe('Pricing: tiers per group', () => {
  let t: TestApp;
  const TIERS = [
    { upTo: '1000', unitAmount: '0.02' },
    { upTo: null, unitAmount: '0.01' },
  ];

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-01T00:00:00Z');
    await createMeter(t, {
      code: 'TOKENS',
      displayName: 'Tokens',
      eventName: 'completion',
      aggregation: 'SUM',
      aggregationKey: 'tokens',
      groupKeys: ['model'],
    });
  });
  afterAll(() => t.stop());

  async function billed(name: string, pricing: Record<string, unknown>) {
    t.clock.set('2026-03-01T00:00:00Z');
    const id = await createUsagePricing(t, { name, meterCode: 'TOKENS', ...pricing });
    const plan = await createPlan(t, { name, items: [{ pricingId: id }] });
    const contract = await customerOnPlan(t, name, plan, '2026-03-01');
    t.clock.set('2026-03-10T00:00:00Z');
    await sendEvents(t, name, 'completion', [
      { at: '2026-03-02T10:00:00Z', properties: { model: 'gpt-4', tokens: 900 } },
      { at: '2026-03-05T10:00:00Z', properties: { model: 'gpt-4', tokens: 600 } },
      { at: '2026-03-06T10:00:00Z', properties: { model: 'claude', tokens: 800 } },
    ]);
    await t.app.workers.aggregator.drain();
    return draftInvoice(t, contract);
  }

  it('GRADUATED per group: one line per model, each on its own ladder', async () => {
    const draft = await billed('per-group', { model: 'GRADUATED', tiers: TIERS, tierScope: 'PER_GROUP' });
    // claude: 800 × 0.02 = 16.00. gpt-4: 900 + 600 = 1,500 → 1,000 × 0.02 = 20.00 + 500 × 0.01 = 5.00 → 25.00.
    expect(summarize(draft.lines)).toEqual([
      'Tokens - claude | 800 × - = 16.00 (-)',
      'Tokens - gpt-4 | 1500 × - = 25.00 (-)',
    ]);
    expect(draft.lines.map((l) => l.dimensions)).toEqual([{ model: 'claude' }, { model: 'gpt-4' }]);
    expect(draft.subtotal).toBe('41.00'); // 16.00 + 25.00
  });

  it('GRADUATED over the total (the default) shares one ladder', async () => {
    const draft = await billed('total', { model: 'GRADUATED', tiers: TIERS });
    // 1,500 + 800 = 2,300 → 1,000 × 0.02 = 20.00 + 1,300 × 0.01 = 13.00 → 33.00.
    expect(summarize(draft.lines)).toEqual(['Tokens | 2300 × - = 33.00 (-)']);
  });

  it('VOLUME per group: each model reaches its own tier', async () => {
    const draft = await billed('volume', { model: 'VOLUME', tiers: TIERS, tierScope: 'PER_GROUP' });
    // claude: 800 ≤ 1,000 → 800 × 0.02 = 16.00. gpt-4: 1,500 > 1,000 → 1,500 × 0.01 = 15.00.
    expect(summarize(draft.lines)).toEqual([
      'Tokens - claude | 800 × - = 16.00 (-)',
      'Tokens - gpt-4 | 1500 × - = 15.00 (-)',
    ]);
  });

  it('reads the scope back and refuses it on PER_UNIT, naming the field', async () => {
    const data = await t.gqlOk<{ pricings: { nodes: Array<{ name: string; tierScope: string }> } }>(
      '{ pricings(first: 10) { nodes { name tierScope } } }',
    );
    expect(data.pricings.nodes.map((p) => [p.name, p.tierScope]).sort()).toEqual([
      ['per-group', 'PER_GROUP'],
      ['total', 'TOTAL'],
      ['volume', 'PER_GROUP'],
    ]);
    expect(
      await refusedPricingField(t, {
        name: 'x',
        meterCode: 'TOKENS',
        model: 'PER_UNIT',
        tierScope: 'PER_GROUP',
      }),
    ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.tierScope' });
  });
});
