import {
  createContract,
  createCustomer,
  createMeter,
  createPlan,
  createPricing,
  createRateCard,
  draftInvoice,
  sendEvent,
  summarize,
} from '../support/billing-api';
import { TestApp } from '../support/test-app';

/**
 * Dimension values compare exactly, trailing spaces included (NO PAD collation): "gpt-3.5 " is not the
 * rate card's "gpt-3.5", so it is its own usage line, priced at the fallback rate, and "gpt-3.5" keeps its
 * rate-card price. Under a PAD SPACE collation both were one line.
 */
describe('dimension values that differ only by trailing spaces', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-10-05T00:00:00Z');
  });
  afterAll(() => t.stop());

  it('bills them as two lines at their own rates', async () => {
    await createMeter(t, {
      code: 'TOKENS',
      displayName: 'Tokens',
      eventName: 'llm_call',
      aggregation: 'SUM',
      aggregationKey: 'tokens',
      groupKeys: ['model'],
    });
    const rateCardId = await createRateCard(t, 'TOKENS', [
      { dimensions: { model: 'gpt-3.5' }, rate: '0.002' },
    ]);
    const pricingId = await createPricing(t, {
      name: 'Tokens',
      meterCode: 'TOKENS',
      model: 'PER_UNIT',
      fallbackRate: '0.01',
      rateCardId,
    });
    const planId = await createPlan(t, { name: 'Tokens', items: [{ pricingId }] });
    const customerId = await createCustomer(t, 'Acme', 'acme');
    const contractId = await createContract(t, { customerId, planId, startDate: '2026-10-01' });
    for (const [key, model, tokens] of [
      ['a', 'gpt-3.5', 1000],
      ['b', 'gpt-3.5 ', 500],
    ] as const) {
      const sent = await sendEvent(t, {
        customer_id: 'acme',
        event_name: 'llm_call',
        idempotency_key: key,
        timestamp: '2026-10-03T10:00:00Z',
        properties: { model, tokens },
      });
      expect(sent.status).toBe(202);
    }
    await t.app.workers.aggregator.drain();
    const draft = await draftInvoice(t, contractId);
    // 1000 × 0.002 = 2.00 (rate card); 500 × 0.01 = 5.00 (fallback: no entry for "gpt-3.5 ").
    expect(draft.lines.map((l) => [l.dimensions?.model, l.quantity, l.rate, l.amount, l.rateSource])).toEqual(
      expect.arrayContaining([
        ['gpt-3.5', '1000', '0.002', '2.00', 'RATE_CARD'],
        ['gpt-3.5 ', '500', '0.01', '5.00', 'FALLBACK'],
      ]),
    );
    expect(summarize(draft.lines)).toHaveLength(2);
    expect(draft.total).toBe('7.00');
  });
});
