import { Decimal } from '../../src/domain/money';
import { TestApp } from '../support/test-app';

/**
 * Cloning a catalog of 100 meters and 1,000 rate card entries into a sandbox copies every row (the time
 * it takes is measured by `npm run bench:sandbox`, not here).
 */
describe('Sandbox catalog clone at size', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  it('clones 100 meters and 1,000 rate card entries', async () => {
    const { meters, rateCards, pricings, plans } = t.app.services;
    const ctx = t.system;
    const planItems: Array<{ pricingId: string }> = [];
    for (let m = 0; m < 100; m++) {
      const code = `METER_${m}`;
      await meters.create(ctx, {
        code,
        displayName: `Meter ${m}`,
        eventName: `event_${m}`,
        aggregation: 'SUM',
        aggregationKey: 'value',
        groupKeys: ['region'],
      });
      const card = await rateCards.create(ctx, {
        meterCode: code,
        name: `${code} rates`,
        entries: Array.from({ length: 10 }, (_, i) => ({
          dimensions: { region: `r${i}` },
          rate: new Decimal(`0.00${i + 1}`),
        })),
      });
      const pricing = await pricings.createUsage(ctx, {
        name: `${code} usage`,
        meterCode: code,
        model: 'PER_UNIT',
        fallbackRate: new Decimal('0.01'),
        rateCardId: card.id,
      });
      planItems.push({ pricingId: pricing.id });
    }
    await plans.create(ctx, {
      name: 'Everything',
      currency: 'USD',
      isPublic: true,
      items: planItems.slice(0, 100),
    });

    const data = await t.gqlOk<{ createSandbox: { cloned: Record<string, number> } }>(
      'mutation { createSandbox(name: "bench", copyCatalogFrom: "live") { cloned { meters rateCardEntries pricings planItems } } }',
    );
    expect(data.createSandbox.cloned).toEqual({
      meters: 100,
      rateCardEntries: 1000,
      pricings: 100,
      planItems: 100,
    });
  });
});
