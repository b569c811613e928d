import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createMeter,
  createPlan,
  draftInvoice,
  sendEvent,
  summarize,
} from '../support/billing-api';

/**
 * GRADUATED pricing with a flat amount on its first tier: zero usage bills nothing by default, and the
 * first tier's flat amount when the pricing says `billFirstTierFlatAtZeroUsage: true`.
 * Tiers of both pricings: up to 100 GB → 0 per GB + 50.00 flat; above → 0.10 per GB.
 */
describe('graduated pricing at zero usage', () => {
  let t: TestApp;
  const contracts: Record<'minimum' | 'standard', string> = { minimum: '', standard: '' };
  const TIERS = [
    { upTo: '100', unitAmount: '0', flatAmount: '50' },
    { upTo: null, unitAmount: '0.10' },
  ];

  const createPricing = async (name: string, flag?: boolean) =>
    t.gql<{ createPricing: { id: string; billFirstTierFlatAtZeroUsage: boolean } }>(
      `mutation($input: CreatePricingInput!) { createPricing(input: $input) { id billFirstTierFlatAtZeroUsage } }`,
      {
        input: {
          name,
          meterCode: 'STORAGE',
          model: 'GRADUATED',
          fallbackRate: '0',
          tiers: TIERS,
          ...(flag === undefined ? {} : { billFirstTierFlatAtZeroUsage: flag }),
        },
      },
    );

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-10T12:00:00Z');
    await createMeter(t, {
      code: 'STORAGE',
      displayName: 'Storage',
      eventName: 'storage',
      aggregation: 'SUM',
      aggregationKey: 'gb',
    });
    const minimum = await createPricing('Storage with minimum', true);
    const standard = await createPricing('Storage');
    expect(minimum.data!.createPricing.billFirstTierFlatAtZeroUsage).toBe(true);
    expect(standard.data!.createPricing.billFirstTierFlatAtZeroUsage).toBe(false); // the default
    for (const [kind, pricing] of [
      ['minimum', minimum],
      ['standard', standard],
    ] as const) {
      const planId = await createPlan(t, {
        name: kind,
        items: [{ pricingId: pricing.data!.createPricing.id }],
      });
      const customerId = await createCustomer(t, kind, kind);
      contracts[kind] = await createContract(t, { customerId, planId, startDate: '2026-03-01' });
    }
  });
  afterAll(() => t.stop());

  it('bills nothing for zero usage by default', async () => {
    const invoice = await draftInvoice(t, contracts.standard);
    expect(invoice.lines).toEqual([]);
    expect(invoice.total).toBe('0.00');
  });

  it("bills the first tier's flat amount for zero usage when the pricing says so", async () => {
    const invoice = await draftInvoice(t, contracts.minimum);
    // No usage: the first tier's flat amount, 50.00, once.
    expect(summarize(invoice.lines)).toEqual(['Storage | 0 × - = 50.00 (-)']);
    expect(invoice.lines[0]).toMatchObject({
      serviceFrom: '2026-03-01T00:00:00.000Z',
      serviceTo: '2026-04-01T00:00:00.000Z',
    });
    expect(invoice.total).toBe('50.00');
  });

  it('prices usage as before once there is some: the flat amount is not billed twice', async () => {
    for (const customer of ['minimum', 'standard']) {
      const answer = await sendEvent(t, {
        customer_id: customer,
        event_name: 'storage',
        idempotency_key: `gb-${customer}`,
        timestamp: '2026-03-05T09:00:00Z',
        properties: { gb: 150 },
      });
      expect(answer.status).toBe(202);
    }
    await t.app.workers.aggregator.drain();
    // 150 GB: tier 1 = 100 × 0 + 50.00 flat; tier 2 = 50 × 0.10 = 5.00 → 55.00, on both pricings.
    for (const contractId of [contracts.minimum, contracts.standard]) {
      const invoice = await draftInvoice(t, contractId);
      expect(summarize(invoice.lines)).toEqual(['Storage | 150 × - = 55.00 (-)']);
    }
  });

  it('refuses the choice on a pricing that is not GRADUATED, naming the field', async () => {
    const result = await t.gql(
      `mutation { createPricing(input: { name: "Flat", meterCode: "STORAGE", model: PER_UNIT, fallbackRate: "1",
         billFirstTierFlatAtZeroUsage: true }) { id } }`,
    );
    expect(result.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.billFirstTierFlatAtZeroUsage',
    });
  });
});
