import nock from 'nock';
import type { TestApp } from '../support/test-app';
import {
  SYNC,
  answerSync,
  connectSalesforce,
  createCatalog,
  isolateNetwork,
  mapProducts,
  startApp,
  wonOpportunity,
  type Catalog,
} from './support';

/** Closed-won deal → pending draft → ops confirm → customer, contract, credits, invoices and CRM changes. */
describe('Confirming a Salesforce contract draft', () => {
  let t: TestApp;
  let catalog: Catalog;

  beforeAll(async () => {
    isolateNetwork();
    t = await startApp();
    catalog = await createCatalog(t);
    await mapProducts(t, catalog);
    await connectSalesforce(t);
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    // Take nock's interceptor off the http module: later test files in this worker (WebSockets) need real sockets.
    nock.restore();
    await t.stop();
  });

  it('creates the customer, contract, prepaid credits, commitment invoice and outbox rows in one step', async () => {
    answerSync([wonOpportunity()]);
    await t.gqlOk(SYNC);
    const { contractDrafts } = await t.gqlOk<{ contractDrafts: { nodes: Array<{ id: string }> } }>(
      '{ contractDrafts(status: PENDING) { nodes { id } } }',
    );
    expect(contractDrafts.nodes).toHaveLength(1);

    const confirmed = await t.gqlOk<{
      confirmContractDraft: { status: string; confirmedContractId: string };
    }>('mutation($id: ID!) { confirmContractDraft(id: $id) { status confirmedContractId } }', {
      id: contractDrafts.nodes[0].id,
    });
    expect(confirmed.confirmContractDraft.status).toBe('CONFIRMED');

    const { contract } = await t.gqlOk<{
      contract: {
        startDate: string;
        endDate: string;
        billingCycle: string;
        paymentTermsDays: number;
        customer: { id: string; name: string; salesforceAccountId: string };
      };
    }>(
      `query($id: ID!) { contract(id: $id) { startDate endDate billingCycle paymentTermsDays
         customer { id name salesforceAccountId } } }`,
      { id: confirmed.confirmContractDraft.confirmedContractId },
    );
    expect(contract).toMatchObject({
      billingCycle: 'ANNUAL',
      paymentTermsDays: 45,
      customer: { name: 'Acme Corp', salesforceAccountId: '0015g00000QxYzAAAV' },
    });
    expect(contract.startDate.slice(0, 10)).toBe('2025-02-01');

    const balance = await t.gqlOk<{ creditBalance: { totals: Array<{ remaining: string }> } }>(
      'query($c: ID!) { creditBalance(customerId: $c) { totals { remaining } } }',
      { c: contract.customer.id },
    );
    expect(balance.creditBalance.totals[0].remaining).toBe('20000.00');

    const invoices = await t.gqlOk<{
      invoices: { nodes: Array<{ status: string; total: string; number: string | null }> };
    }>('query($c: ID!) { invoices(customerId: $c, first: 50) { nodes { status total number } } }', {
      c: contract.customer.id,
    });
    const commitment = invoices.invoices.nodes.filter((i) => i.status === 'FINALIZED');
    expect(commitment).toEqual([{ status: 'FINALIZED', total: '17500.00', number: 'INV-000001' }]);
    expect(invoices.invoices.nodes.filter((i) => i.status === 'DRAFT').length).toBeGreaterThan(0);

    const outbox = (await t.app.db.query(
      "SELECT sobject_type AS sobject, external_id FROM crm_outbox WHERE status = 'PENDING' ORDER BY sobject_type",
    )) as Array<{ sobject: string; external_id: string }>;
    expect(outbox.map((row) => row.sobject)).toEqual(['Account', 'Contract', 'Opportunity', 'Order']);
    expect(outbox.find((row) => row.sobject === 'Contract')?.external_id).toBe(
      confirmed.confirmContractDraft.confirmedContractId,
    );
  });

  it("bills the deal's onboarding fee once, on the first period, covered by the prepaid credits", async () => {
    const { contractDrafts } = await t.gqlOk<{
      contractDrafts: { nodes: Array<{ confirmedContractId: string }> };
    }>('{ contractDrafts(status: CONFIRMED) { nodes { confirmedContractId } } }');
    const contractId = contractDrafts.nodes[0].confirmedContractId;

    const { contract } = await t.gqlOk<{ contract: { oneTimeCharges: unknown[] } }>(
      'query($id: ID!) { contract(id: $id) { oneTimeCharges { description amount quantity chargeDate } } }',
      { id: contractId },
    );
    // The recorded line item: "Onboarding fee", 1 × 2000.00, service date 2025-02-01 (the contract start).
    expect(contract.oneTimeCharges).toEqual([
      {
        description: 'Onboarding fee',
        amount: '2000',
        quantity: '1',
        chargeDate: '2025-02-01T00:00:00.000Z',
      },
    ]);

    const { draftInvoice } = await t.gqlOk<{
      draftInvoice: {
        periodStart: string;
        total: string;
        creditsApplied: string;
        creditBalanceRemaining: string;
        amountDue: string;
        lines: Array<{ kind: string; description: string; quantity: string; rate: string; amount: string }>;
      };
    }>(
      `query($id: ID!) { draftInvoice(contractId: $id) { periodStart total creditsApplied creditBalanceRemaining
         amountDue lines { kind description quantity rate amount creditsApplied } } }`,
      { id: contractId },
    );
    expect(draftInvoice.periodStart).toBe('2025-02-01T00:00:00.000Z');
    expect(draftInvoice.lines).toEqual([
      {
        kind: 'ONE_TIME',
        description: 'Onboarding fee',
        quantity: '1',
        rate: '2000',
        amount: '2000.00',
        creditsApplied: '2000.00',
      },
    ]);
    // Prepaid credits cover any charge but the commitment itself: 20,000 granted, 2,000 drawn, nothing due.
    expect(draftInvoice).toMatchObject({
      total: '2000.00',
      creditsApplied: '2000.00',
      creditBalanceRemaining: '18000.00',
      amountDue: '0.00',
    });
  });

  it('turns a fee with a catalog pricing into a recurring add-on, and flags a deal price that differs', async () => {
    const support = await t.gqlOk<{ createFlatFee: { id: string } }>(
      'mutation { createFlatFee(input: { name: "Premium support", amount: "500" }) { id } }',
    );
    const pricingId = support.createFlatFee.id;
    const created = await t.gqlOk<{
      createContractDraft: { id: string; issues: Array<{ code: string; field: string; blocking: boolean }> };
    }>(
      `mutation($pricing: ID!, $plan: ID!) { createContractDraft(input: {
         proposedCustomer: { name: "Initech", email: "ap@initech.example" },
         contractStart: "2025-03-01", contractEnd: "2025-05-31", paymentTermsDays: 30, billingCycle: MONTHLY,
         autoPay: false, plan: { planId: $plan },
         flatFees: [
           { pricingId: $pricing, description: "Premium support", quantity: "2", unitPrice: "450" },
           { description: "Data migration", quantity: "3", unitPrice: "99.995", serviceDate: "2025-04-15" }
         ] }) { id issues { code field blocking } } }`,
      { pricing: pricingId, plan: catalog.planId },
    );
    expect(created.createContractDraft.issues).toEqual([
      { code: 'FEE_RECURRING', field: 'flatFees.0', blocking: false },
      { code: 'FEE_PRICE_DIFFERS', field: 'flatFees.0.unitPrice', blocking: false },
      { code: 'FEE_ONE_TIME', field: 'flatFees.1', blocking: false },
    ]);

    const confirmed = await t.gqlOk<{ confirmContractDraft: { confirmedContractId: string } }>(
      'mutation($id: ID!) { confirmContractDraft(id: $id) { confirmedContractId } }',
      { id: created.createContractDraft.id },
    );
    const contractId = confirmed.confirmContractDraft.confirmedContractId;
    const { contract } = await t.gqlOk<{
      contract: {
        customer: { id: string };
        items: Array<{ quantity: string; pricing: { id: string } }>;
        oneTimeCharges: unknown[];
      };
    }>(
      `query($id: ID!) { contract(id: $id) { customer { id } items { quantity pricing { id } }
         oneTimeCharges { description amount quantity chargeDate } } }`,
      { id: contractId },
    );
    expect(contract.items).toEqual([
      { quantity: '1', pricing: { id: catalog.pricingId } },
      { quantity: '2', pricing: { id: pricingId } },
    ]);
    expect(contract.oneTimeCharges).toEqual([
      {
        description: 'Data migration',
        amount: '99.995',
        quantity: '3',
        chargeDate: '2025-04-15T00:00:00.000Z',
      },
    ]);

    // The add-on bills every period at the catalog amount; the one-time charge only in April.
    const listed = await t.gqlOk<{
      invoices: { nodes: Array<{ periodStart: string; lines: Array<{ kind: string; amount: string }> }> };
    }>(
      'query($c: ID!) { invoices(customerId: $c, first: 10) { nodes { periodStart lines { kind amount } } } }',
      { c: contract.customer.id },
    );
    const byMonth = Object.fromEntries(
      listed.invoices.nodes.map((i) => [
        i.periodStart.slice(0, 7),
        i.lines.map((l) => `${l.kind} ${l.amount}`),
      ]),
    );
    expect(byMonth).toEqual({
      '2025-03': ['FLAT_FEE 1000.00'],
      // 3 × 99.995 = 299.985, rounded half-up once for the line.
      '2025-04': ['FLAT_FEE 1000.00', 'ONE_TIME 299.99'],
      '2025-05': ['FLAT_FEE 1000.00'],
    });
  });

  it('refuses to confirm the same draft twice', async () => {
    const { contractDrafts } = await t.gqlOk<{ contractDrafts: { nodes: Array<{ id: string }> } }>(
      '{ contractDrafts(status: CONFIRMED) { nodes { id } } }',
    );
    const again = await t.gql('mutation($id: ID!) { confirmContractDraft(id: $id) { status } }', {
      id: contractDrafts.nodes[0].id,
    });
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  });
});
