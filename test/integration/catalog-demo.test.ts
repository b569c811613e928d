import { loadDemo } from '../../src/demo';
import { TestApp } from '../support/test-app';

describe('demo catalog', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  it('creates the AI call-center catalog and Acme Support Co, readable with the printed key', async () => {
    const demo = await loadDemo(t.app);
    type Result = {
      plan: {
        name: string;
        currency: string;
        netTermsDays: number;
        autoPay: boolean;
        items: Array<{
          pricing: {
            id: string;
            name: string;
            model: string;
            fallbackRate: string;
            meter: {
              id: string;
              code: string;
              aggregation: string;
              aggregationKey: string;
              groupKeys: string[];
            };
            rateCard: { id: string; entries: Array<{ dimensions: Record<string, string>; rate: string }> };
          };
        }>;
      };
      customerByExternalId: { id: string; name: string };
    };
    const result = await t.gqlOk<Result>(
      `query($planId: ID!) {
        plan(id: $planId) { name currency netTermsDays autoPay items { pricing {
          id name model fallbackRate
          meter { id code aggregation aggregationKey groupKeys }
          rateCard { id entries { dimensions rate } } } } }
        customerByExternalId(externalId: "acme-support") { id name }
      }`,
      { planId: demo.planId },
      demo.apiKey,
    );
    const { plan, customerByExternalId } = result;
    expect(plan).toMatchObject({ name: 'AI Call Center', currency: 'USD', netTermsDays: 0, autoPay: true });
    expect(plan.items).toHaveLength(1);
    const pricing = plan.items[0].pricing;
    expect(pricing).toMatchObject({
      id: demo.pricingId,
      name: 'AI Call Pricing',
      model: 'PER_UNIT',
      fallbackRate: '0.4',
    });
    expect(pricing.meter).toEqual({
      id: demo.meterId,
      code: 'AI_CALL',
      aggregation: 'SUM',
      aggregationKey: 'duration_minutes',
      groupKeys: ['region', 'call_outcome'],
    });
    expect(pricing.rateCard.id).toBe(demo.rateCardId);
    expect(
      pricing.rateCard.entries.map((e) => `${e.dimensions.region}/${e.dimensions.call_outcome}=${e.rate}`),
    ).toEqual([
      'US/resolved=0.2',
      'US/transferred=0.4',
      'US/escalated=0.6',
      'EU/resolved=0.25',
      'EU/transferred=0.5',
      'EU/escalated=0.75',
      'APAC/resolved=0.3',
      'APAC/transferred=0.6',
      'APAC/escalated=0.9',
    ]);
    expect(customerByExternalId).toEqual({ id: demo.customerId, name: 'Acme Support Co' });
    // The demo lives in its own organization, not in the test organization.
    const mine = await t.gqlOk<{ meters: { nodes: unknown[] } }>('{ meters { nodes { id } } }');
    expect(mine.meters.nodes).toEqual([]);
  });
});
