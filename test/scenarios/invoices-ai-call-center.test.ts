import { TestApp } from '../support/test-app';
import { createContract, createCustomer, draftInvoice, sendEvent, summarize } from '../support/billing-api';
import { AI_CALL_CENTER_CALLS, createAiCallCenterPlan } from '../support/seed-catalogs';

/**
 * The "Billing for AI Products" walkthrough (seeds/002), end to end through the public APIs: the catalog
 * over GraphQL, a contract, the six calls over REST, the aggregator, then the live draft invoice.
 * The rate card is the one of the guide's Step 2 (its first table has two typos).
 */
describe('AI call center walkthrough (seeds/002)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-11-10T06:00:00Z');
  });
  afterAll(() => t.stop());

  it('bills the day of calls as five dimensional lines: 50 minutes, $21.35', async () => {
    const planId = await createAiCallCenterPlan(t);
    const customerId = await createCustomer(t, 'Acme Support Co', 'acme-support');
    const contractId = await createContract(t, {
      customerId,
      planId,
      startDate: '2026-11-01',
      endDate: '2028-10-31',
      paymentTermsDays: 45,
    });

    for (const [callId, region, outcome, minutes, at] of AI_CALL_CENTER_CALLS) {
      const response = await sendEvent(t, {
        customer_id: 'acme-support',
        event_name: 'ai_call',
        idempotency_key: `ai_call_${callId}`,
        timestamp: at,
        properties: { region, call_outcome: outcome, duration_minutes: minutes, agent_id: 'agent_456' },
      });
      expect(response.status).toBe(202);
    }
    await t.app.workers.aggregator.drain();

    const invoice = await draftInvoice(t, contractId);
    expect(invoice).toMatchObject({
      status: 'DRAFT',
      number: null,
      currency: 'USD',
      periodStart: '2026-11-01T00:00:00.000Z',
      periodEnd: '2026-12-01T00:00:00.000Z',
      issuedAt: null,
      dueDate: null,
    });
    expect(summarize(invoice.lines)).toEqual([
      'AI Calls - US / resolved | 13 × 0.2 = 2.60 (RATE_CARD)',
      'AI Calls - US / transferred | 12 × 0.4 = 4.80 (RATE_CARD)',
      'AI Calls - EU / resolved | 6 × 0.25 = 1.50 (RATE_CARD)',
      'AI Calls - EU / escalated | 15 × 0.75 = 11.25 (RATE_CARD)',
      'AI Calls - APAC / resolved | 4 × 0.3 = 1.20 (RATE_CARD)',
    ]);
    expect(invoice.lines[0]).toMatchObject({
      kind: 'USAGE',
      meterCode: 'AI_CALL',
      dimensions: { region: 'US', call_outcome: 'resolved' },
      unitSize: '1',
      preciseAmount: '2.600000000000',
    });
    const minutes = invoice.lines.reduce((sum, l) => sum + Number(l.quantity), 0);
    expect(minutes).toBe(50);
    expect(invoice).toMatchObject({
      subtotal: '21.35',
      total: '21.35',
      creditsApplied: '0.00',
      amountDue: '21.35',
    });

    // The same invoice through the customer.
    const viaCustomer = await t.gqlOk<{ customer: { draftInvoice: { id: string; total: string } } }>(
      'query($id: ID!) { customer(id: $id) { draftInvoice { id total } } }',
      { id: customerId },
    );
    expect(viaCustomer.customer.draftInvoice).toEqual({ id: invoice.id, total: '21.35' });
  });

  it('prices an unknown combination at the fallback rate', async () => {
    const customerId = await createCustomer(t, 'Fallback Co', 'fallback-co');
    const planId = (
      await t.gqlOk<{ contracts: { nodes: Array<{ plan: { id: string } }> } }>(
        '{ contracts(first: 1) { nodes { plan { id } } } }',
      )
    ).contracts.nodes[0].plan.id;
    const contractId = await createContract(t, { customerId, planId, startDate: '2026-11-01' });
    for (const [key, region, minutes] of [
      ['f1', 'LATAM', 10],
      ['f2', 'US', 2],
    ] as const) {
      const outcome = key === 'f2' ? undefined : 'resolved';
      const response = await sendEvent(t, {
        customer_id: 'fallback-co',
        event_name: 'ai_call',
        idempotency_key: key,
        timestamp: '2026-11-09T10:00:00Z',
        properties: { region, ...(outcome ? { call_outcome: outcome } : {}), duration_minutes: minutes },
      });
      expect(response.status).toBe(202);
    }
    await t.app.workers.aggregator.drain();
    const invoice = await draftInvoice(t, contractId);
    expect(summarize(invoice.lines)).toEqual([
      'AI Calls - LATAM / resolved | 10 × 0.4 = 4.00 (FALLBACK)',
      'AI Calls - US | 2 × 0.4 = 0.80 (FALLBACK)',
    ]);
    // The missing key is kept in the dimensions (valued "none", as the events API stores it).
    expect(invoice.lines[1].dimensions).toEqual({ region: 'US', call_outcome: 'none' });
    expect(invoice.total).toBe('4.80');
  });
});
