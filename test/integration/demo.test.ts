import { DemoTrickle, demoContext, loadDemo, type DemoResult } from '../../src/demo';
import { summarize, type InvoiceLineResult } from '../support/billing-api';
import { TestApp } from '../support/test-app';

/**
 * `npm run demo`'s seeding (loadDemo) against a test database, read back through the public GraphQL and REST
 * APIs with the key it prints. The clock stands on Nov 10, 2026, 06:00 UTC: the contract runs from Oct 1,
 * last month (October) is finalized and November is the live draft.
 */
describe('the demo: the seeds/002 AI call-center walkthrough, alive', () => {
  let t: TestApp;
  let demo: DemoResult;
  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-11-10T06:00:00Z');
    demo = await loadDemo(t.app);
  });
  afterAll(() => t.stop());

  interface Invoice {
    id: string;
    status: string;
    number: string | null;
    periodStart: string;
    subtotal: string;
    creditsApplied: string;
    amountDue: string;
    creditBalanceRemaining: string | null;
    lines: InvoiceLineResult[];
  }
  const INVOICE = `id status number periodStart subtotal creditsApplied amountDue creditBalanceRemaining
    lines { description quantity rate amount rateSource }`;

  const draft = async () =>
    (
      await t.gqlOk<{ draftInvoice: Invoice }>(
        `query($id: ID!) { draftInvoice(contractId: $id) { ${INVOICE} } }`,
        { id: demo.contractId },
        demo.apiKey,
      )
    ).draftInvoice;

  const counts = async (apiKey: string) =>
    t.gqlOk<{
      customers: { nodes: Array<{ id: string }> };
      contracts: { nodes: Array<{ id: string }> };
      contractDrafts: { nodes: Array<{ id: string }> };
      events: { nodes: Array<{ id: string }> };
      invoices: { nodes: Array<{ id: string; status: string }> };
    }>(
      `{ customers(first: 100) { nodes { id } } contracts(first: 100) { nodes { id } }
         contractDrafts(first: 100) { nodes { id } } events(first: 100) { nodes { id } }
         invoices(first: 100) { nodes { id status } } }`,
      {},
      apiKey,
    );

  it("prices this month's six seed calls on the live draft: $21.35, covered by the prepaid credits", async () => {
    const invoice = await draft();
    expect(invoice.id).toBe(demo.draftInvoiceId);
    expect(invoice.periodStart).toBe('2026-11-01T00:00:00.000Z');
    // The seed's day: US resolved 5+8 = 13 min × 0.20 = 2.60; US transferred 12 × 0.40 = 4.80;
    // EU resolved 6 × 0.25 = 1.50; EU escalated 15 × 0.75 = 11.25; APAC resolved 4 × 0.30 = 1.20.
    expect(summarize(invoice.lines)).toEqual([
      'AI Calls - US / resolved | 13 × 0.2 = 2.60 (RATE_CARD)',
      'AI Calls - US / transferred | 12 × 0.4 = 4.80 (RATE_CARD)',
      'AI Calls - EU / resolved | 6 × 0.25 = 1.50 (RATE_CARD)',
      'AI Calls - EU / escalated | 15 × 0.75 = 11.25 (RATE_CARD)',
      'AI Calls - APAC / resolved | 4 × 0.3 = 1.20 (RATE_CARD)',
    ]);
    // 2.60 + 4.80 + 1.50 + 11.25 + 1.20 = 21.35, all covered by the grant's 82.95 left after October:
    // 82.95 - 21.35 = 61.60 would remain.
    expect(invoice).toMatchObject({
      status: 'DRAFT',
      subtotal: '21.35',
      creditsApplied: '21.35',
      amountDue: '0.00',
      creditBalanceRemaining: '61.60',
    });
  });

  it('finalized October, drawing the $100 prepaid grant down, with a PDF', async () => {
    const { invoice } = await t.gqlOk<{ invoice: Invoice }>(
      `query($id: ID!) { invoice(id: $id) { ${INVOICE} } }`,
      { id: demo.pastInvoiceId },
      demo.apiKey,
    );
    // Oct 31: US resolved 5 × 0.20 = 1.00; US transferred 12 × 0.40 = 4.80; EU escalated 15 × 0.75 = 11.25;
    // 1.00 + 4.80 + 11.25 = 17.05, drawn from the $100.00 grant: 100.00 - 17.05 = 82.95 left.
    expect(invoice).toMatchObject({
      status: 'FINALIZED',
      number: expect.any(String),
      periodStart: '2026-10-01T00:00:00.000Z',
      subtotal: '17.05',
      creditsApplied: '17.05',
      amountDue: '0.00',
      creditBalanceRemaining: '82.95',
    });
    expect(summarize(invoice.lines)).toEqual([
      'AI Calls - US / resolved | 5 × 0.2 = 1.00 (RATE_CARD)',
      'AI Calls - US / transferred | 12 × 0.4 = 4.80 (RATE_CARD)',
      'AI Calls - EU / escalated | 15 × 0.75 = 11.25 (RATE_CARD)',
    ]);
    const balance = await t.gqlOk<{ creditBalance: { totals: Array<{ remaining: string }> } }>(
      'query($id: ID!) { creditBalance(customerId: $id) { totals { remaining } } }',
      { id: demo.customerId },
      demo.apiKey,
    );
    expect(balance.creditBalance.totals.map((x) => x.remaining)).toEqual(['82.95']);

    const pdf = await fetch(`${t.url}/v1/invoices/${demo.pastInvoiceId}.pdf`, {
      headers: { authorization: `Bearer ${demo.apiKey}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  });

  it('has a Contract Extraction draft of the canned Salesforce deal waiting for review', async () => {
    const { contractDrafts } = await t.gqlOk<{
      contractDrafts: {
        nodes: Array<{
          id: string;
          status: string;
          source: string;
          opportunityName: string;
          contractStart: string;
          contractEnd: string;
          paymentTermsDays: number;
          billingCycle: string;
          customer: { proposedName: string; matchedCustomerId: string | null };
          plan: { planId: string } | null;
          prepaidCredits: { grantAmount: string } | null;
          unmatchedLineItems: unknown[];
        }>;
      };
    }>(
      `{ contractDrafts(first: 10) { nodes { id status source opportunityName contractStart contractEnd
          paymentTermsDays billingCycle customer { proposedName matchedCustomerId } plan { planId }
          prepaidCredits { grantAmount } unmatchedLineItems { productCode } } } }`,
      {},
      demo.apiKey,
    );
    expect(contractDrafts.nodes).toEqual([
      {
        id: demo.contractDraftId,
        status: 'PENDING',
        source: 'SALESFORCE',
        opportunityName: 'Globex Support - AI Call Center',
        // A one-year contract from the first of next month: Dec 1, 2026 to Nov 30, 2027.
        contractStart: '2026-12-01',
        contractEnd: '2027-11-30',
        paymentTermsDays: 30,
        billingCycle: 'MONTHLY',
        customer: { proposedName: 'Globex Support', matchedCustomerId: null },
        plan: { planId: demo.planId },
        prepaidCredits: { grantAmount: '500.00' },
        unmatchedLineItems: [],
      },
    ]);
  });

  it('re-running adds nothing: same organization, customer, contract, invoices, events and draft', async () => {
    const before = await counts(demo.apiKey);
    // 1 customer, 1 contract, 1 draft; 3 October calls + 6 November calls = 9 events.
    expect(before.customers.nodes).toHaveLength(1);
    expect(before.contracts.nodes).toHaveLength(1);
    expect(before.contractDrafts.nodes).toHaveLength(1);
    expect(before.events.nodes).toHaveLength(9);

    const again = await loadDemo(t.app);
    expect(again).toMatchObject({
      organizationId: demo.organizationId,
      environmentId: demo.environmentId,
      customerId: demo.customerId,
      contractId: demo.contractId,
      pastInvoiceId: demo.pastInvoiceId,
      draftInvoiceId: demo.draftInvoiceId,
      contractDraftId: demo.contractDraftId,
    });
    // A new key (secrets are stored hashed, so the first one cannot be printed again); both work.
    expect(again.apiKey).not.toBe(demo.apiKey);
    expect(await counts(again.apiKey)).toEqual(before);
    expect((await draft()).subtotal).toBe('21.35');
  });

  it('the trickle moves the live draft, one call at a time', async () => {
    const trickle = new DemoTrickle(
      t.app,
      demoContext(t.app, demo.environmentId, demo.organizationId),
      t.app.log,
    );
    // First call: the rate card's first combination, US/resolved, 1 minute × 0.20 = 0.20.
    expect(await trickle.tick()).toBe('accepted');
    await t.app.workers.aggregator.drain();
    expect((await draft()).subtotal).toBe('21.55');
    // Second: US/transferred, 2 minutes × 0.40 = 0.80; 21.55 + 0.80 = 22.35.
    expect(await trickle.tick()).toBe('accepted');
    await t.app.workers.aggregator.drain();
    expect((await draft()).subtotal).toBe('22.35');
  });

  it('lives in its own organization, not in the test organization', async () => {
    const mine = await t.gqlOk<{ meters: { nodes: unknown[] } }>('{ meters { nodes { id } } }');
    expect(mine.meters.nodes).toEqual([]);
  });
});
