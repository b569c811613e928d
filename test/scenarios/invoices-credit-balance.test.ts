import { TestApp } from '../support/test-app';
import { createContract, createCustomer, sendEvent } from '../support/billing-api';
import { AI_CALL_CENTER_CALLS, createAiCallCenterPlan } from '../support/seed-catalogs';

/**
 * `Invoice.creditBalanceRemaining`: the seeds/002 walkthrough with its $10,000 prepaid grant. The draft shows
 * the credits applied and the wallet balance left, both recomputed as usage arrives; finalization freezes
 * the balance on the invoice. (The seed's grant expires Oct 31, 2026, before its own November calls; the
 * grant here lasts the contract, so it covers them as the walkthrough's invoice shows.)
 */
describe('credit balance remaining on invoices (seeds/002 with prepaid credits)', () => {
  let t: TestApp;
  let customerId: string;
  let contractId: string;
  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-11-10T06:00:00Z');
    const planId = await createAiCallCenterPlan(t);
    customerId = await createCustomer(t, 'Acme Support Co', 'acme-support');
    contractId = await createContract(t, {
      customerId,
      planId,
      startDate: '2026-11-01',
      endDate: '2028-10-31',
      paymentTermsDays: 45,
      creditGrantCents: 1_000_000,
      creditSettings: { description: 'Prepaid credits for AI usage' },
    });
  });
  afterAll(() => t.stop());

  const INVOICE = `id status number subtotal creditsApplied amountDue creditBalanceRemaining`;
  interface Invoice {
    id: string;
    status: string;
    number: string | null;
    subtotal: string;
    creditsApplied: string;
    amountDue: string;
    creditBalanceRemaining: string | null;
  }

  const draft = async () =>
    (
      await t.gqlOk<{ draftInvoice: Invoice }>(
        `query($id: ID!) { draftInvoice(contractId: $id) { ${INVOICE} } }`,
        {
          id: contractId,
        },
      )
    ).draftInvoice;
  const invoice = async (id: string) =>
    (await t.gqlOk<{ invoice: Invoice }>(`query($id: ID!) { invoice(id: $id) { ${INVOICE} } }`, { id }))
      .invoice;
  const remaining = async () =>
    (
      await t.gqlOk<{ creditBalance: { totals: Array<{ remaining: string }> } }>(
        'query($id: ID!) { creditBalance(customerId: $id) { totals { remaining } } }',
        { id: customerId },
      )
    ).creditBalance.totals[0].remaining;

  async function call(id: string, region: string, outcome: string, minutes: number, at: string) {
    const response = await sendEvent(t, {
      customer_id: 'acme-support',
      event_name: 'ai_call',
      idempotency_key: `ai_call_${id}`,
      timestamp: at,
      properties: { region, call_outcome: outcome, duration_minutes: minutes },
    });
    expect(response.status).toBe(202);
  }

  it('shows $21.35 covered by credits, $0.00 due and $9,978.65 left, recomputed as usage arrives', async () => {
    expect(await draft()).toMatchObject({
      subtotal: '0.00',
      creditsApplied: '0.00',
      creditBalanceRemaining: '10000.00',
    });

    for (const args of AI_CALL_CENTER_CALLS) await call(...args);
    await t.app.workers.aggregator.drain();
    expect(await draft()).toMatchObject({
      status: 'DRAFT',
      subtotal: '21.35',
      creditsApplied: '21.35',
      amountDue: '0.00',
      creditBalanceRemaining: '9978.65',
    });
    // A preview spends nothing: the wallet still holds the whole grant.
    expect(await remaining()).toBe('10000.00');

    // More usage: 10 more US resolved minutes ($2.00) move both amounts.
    await call('call_007', 'US', 'resolved', 10, '2026-11-10T05:50:00Z');
    await t.app.workers.aggregator.drain();
    expect(await draft()).toMatchObject({
      subtotal: '23.35',
      creditsApplied: '23.35',
      creditBalanceRemaining: '9976.65',
    });
  });

  it('freezes the balance at finalization; later grants do not move it, the next draft starts from it', async () => {
    const current = await draft();
    const finalized = (
      await t.gqlOk<{ finalizeInvoice: Invoice }>(
        `mutation($id: ID!) { finalizeInvoice(id: $id) { ${INVOICE} } }`,
        {
          id: current.id,
        },
      )
    ).finalizeInvoice;
    expect(finalized).toMatchObject({
      status: 'FINALIZED',
      creditsApplied: '23.35',
      amountDue: '0.00',
      creditBalanceRemaining: '9976.65',
    });
    expect(await remaining()).toBe('9976.65');

    await t.gqlOk(
      `mutation($id: ID!, $input: GrantPromotionalCreditsInput!) { grantPromotionalCredits(contractId: $id, input: $input) { id } }`,
      { id: contractId, input: { amountCents: 500, description: 'Goodwill' } },
    );
    expect(await remaining()).toBe('9981.65');
    // Read back from the column, not recomputed from today's balance.
    expect((await invoice(current.id)).creditBalanceRemaining).toBe('9976.65');

    t.clock.set('2026-12-02T00:00:00Z');
    expect(await draft()).toMatchObject({
      status: 'DRAFT',
      creditsApplied: '0.00',
      creditBalanceRemaining: '9981.65',
    });
  });

  it('is null for an invoice that never had a drawdown (the commitment invoice of a prepaid grant)', async () => {
    const grant = await t.gqlOk<{ grantPrepaidCredits: { commitmentInvoiceId: string } }>(
      `mutation($id: ID!, $input: GrantPrepaidCreditsInput!) {
         grantPrepaidCredits(contractId: $id, input: $input) { commitmentInvoiceId } }`,
      { id: contractId, input: { amountCents: 10_000, invoiceAmountCents: 9_000, description: 'Top-up' } },
    );
    expect(await invoice(grant.grantPrepaidCredits.commitmentInvoiceId)).toMatchObject({
      status: 'FINALIZED',
      subtotal: '90.00',
      creditBalanceRemaining: null,
    });
  });
});
