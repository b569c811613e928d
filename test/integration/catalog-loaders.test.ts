import { Decimal } from '../../src/domain/money';
import { TestApp } from '../support/test-app';

/**
 * Relation fields go through per-request DataLoaders: listing 50 plans with their pricings, meters and
 * rate-card entries costs a handful of statements, not one (or more) per plan.
 */
describe('catalog: DataLoaders and query limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    // Services directly for speed: 50 plans × 2 usage pricings, each on its own meter with a rate card.
    const ctx = t.system;
    const { meters, rateCards, pricings, plans } = t.app.services;
    for (let p = 0; p < 50; p++) {
      const pricingIds: string[] = [];
      for (let k = 0; k < 2; k++) {
        const code = `M${p}_${k}`;
        await meters.create(ctx, {
          code,
          displayName: code,
          eventName: `event_${p}_${k}`,
          aggregation: 'SUM',
          aggregationKey: 'amount',
          groupKeys: ['region'],
        });
        const card = await rateCards.create(ctx, {
          meterCode: code,
          name: `rates ${code}`,
          entries: [
            { dimensions: { region: 'US' }, rate: new Decimal(`0.${p}${k}1`) },
            { dimensions: {}, rate: new Decimal('1') },
          ],
        });
        const pricing = await pricings.createUsage(ctx, {
          name: `pricing ${code}`,
          meterCode: code,
          model: 'PER_UNIT',
          fallbackRate: new Decimal('0.5'),
          rateCardId: card.id,
        });
        pricingIds.push(pricing.id);
      }
      await plans.create(ctx, {
        name: `Plan ${String(p).padStart(2, '0')}`,
        currency: 'USD',
        items: pricingIds.map((pricingId) => ({ pricingId })),
      });
    }
  }, 120_000);
  afterAll(() => t.stop());

  it('lists 50 plans with items, pricings, meters and rate-card entries in a bounded number of statements', async () => {
    type Result = {
      plans: {
        nodes: Array<{
          name: string;
          items: Array<{
            pricing: { meter: { code: string }; rateCard: { entries: Array<{ rate: string }> } };
          }>;
        }>;
      };
    };
    let result: Result | null = null;
    const statements = await t.countQueries(async () => {
      result = await t.gqlOk<Result>(
        '{ plans(first: 50) { nodes { name items { pricing { meter { code } rateCard { entries { rate } } } } } } }',
      );
    });
    const nodes = (result as Result | null)?.plans.nodes ?? [];
    expect(nodes).toHaveLength(50);
    const byName = new Map(nodes.map((n) => [n.name, n]));
    expect(
      byName
        .get('Plan 07')
        ?.items.map((i) => [i.pricing.meter.code, i.pricing.rateCard.entries.map((e) => e.rate)]),
    ).toEqual([
      ['M7_0', ['0.701', '1']],
      ['M7_1', ['0.711', '1']],
    ]);
    // plans page, plan items, pricings, meters, rate cards, entries (+ the API key lookup when not cached).
    expect(statements).toBeLessThanOrEqual(8);
    expect(statements).toBeGreaterThanOrEqual(6);
  });

  it('rejects a query nested too deep with QUERY_TOO_DEEP', async () => {
    const result = await t.gql(
      '{ meters { nodes { rateCards { meter { rateCards { meter { rateCards { meter { rateCards { meter { rateCards { meter { code } } } } } } } } } } } } }',
    );
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(result.data).toBeNull();
  });

  it('rejects an expensive query with QUERY_TOO_COMPLEX, but not the same query on a small page', async () => {
    const query = (first: number) =>
      `{ plans(first: ${first}) { nodes { items { pricing { meter { rateCards { entries { rate dimensions } } } } } } } }`;
    const expensive = await t.gql(query(200));
    expect(expensive.status).toBe(400);
    expect(expensive.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(expensive.errors?.[0].message).toMatch(/Query cost \d+ exceeds the limit of 20000/);
    const cheap = await t.gql(query(2));
    expect(cheap.errors).toBeUndefined();
  });
});
