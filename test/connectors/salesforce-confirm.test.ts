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
    expect(balance.creditBalance.totals[0].remaining).toBe('20000');

    const invoices = await t.gqlOk<{
      invoices: { nodes: Array<{ status: string; total: string; number: string | null }> };
    }>('query($c: ID!) { invoices(customerId: $c, first: 50) { nodes { status total number } } }', {
      c: contract.customer.id,
    });
    const commitment = invoices.invoices.nodes.filter((i) => i.status === 'FINALIZED');
    expect(commitment).toEqual([{ status: 'FINALIZED', total: '17500', number: 'INV-000001' }]);
    expect(invoices.invoices.nodes.filter((i) => i.status === 'DRAFT').length).toBeGreaterThan(0);

    const outbox = (await t.app.db.query(
      "SELECT sobject_type AS sobject, external_id FROM crm_outbox WHERE status = 'PENDING' ORDER BY sobject_type",
    )) as Array<{ sobject: string; external_id: string }>;
    expect(outbox.map((row) => row.sobject)).toEqual(['Account', 'Contract', 'Opportunity', 'Order']);
    expect(outbox.find((row) => row.sobject === 'Contract')?.external_id).toBe(
      confirmed.confirmContractDraft.confirmedContractId,
    );
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
