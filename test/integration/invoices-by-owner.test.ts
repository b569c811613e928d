import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createMeter,
  createPlan,
  createPricing,
} from '../support/billing-api';

/**
 * Invoices by owner: `invoices(contractId:)`, the `Customer.invoices` and `Contract.invoices` connections,
 * and `creditBalance.total` in the contract's currency.
 *
 * Acme has two monthly USD contracts, Jan–Feb 2026 and Mar–Apr 2026 (two period invoices each), and a EUR
 * contract for June 2026 (on its own meter); Globex has one contract, Mar 2026. The clock is 2026-03-10.
 */
describe('invoices by customer and contract; credit total in the contract currency', () => {
  let t: TestApp;
  let acme: string;
  let globex: string;
  let winter: string;
  let spring: string;
  let euro: string;
  let march: string;

  interface InvoiceNode {
    periodStart: string;
    contract: { id: string };
  }
  interface InvoicePage {
    nodes: InvoiceNode[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  }
  const PAGE = 'nodes { periodStart contract { id } } pageInfo { hasNextPage endCursor }';
  const starts = (page: InvoicePage) => page.nodes.map((n) => n.periodStart.slice(0, 10));

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-10T12:00:00Z');
    await createMeter(t, { code: 'CALLS', displayName: 'Calls', eventName: 'call', aggregation: 'COUNT' });
    await createMeter(t, { code: 'SMS', displayName: 'SMS', eventName: 'sms', aggregation: 'COUNT' });
    const calls = await createPricing(t, {
      name: 'Calls',
      meterCode: 'CALLS',
      model: 'PER_UNIT',
      fallbackRate: '1',
    });
    const sms = await createPricing(t, {
      name: 'SMS',
      meterCode: 'SMS',
      model: 'PER_UNIT',
      fallbackRate: '1',
    });
    const usd = await createPlan(t, { name: 'USD', items: [{ pricingId: calls }] });
    const eur = await createPlan(t, { name: 'EUR', currency: 'EUR', items: [{ pricingId: sms }] });
    acme = await createCustomer(t, 'Acme', 'acme');
    globex = await createCustomer(t, 'Globex', 'globex');
    winter = await createContract(t, {
      customerId: acme,
      planId: usd,
      startDate: '2026-01-01',
      endDate: '2026-02-28',
    });
    // 10000 cents = 100.00 USD; 5000 cents = 50.00 EUR.
    spring = await createContract(t, {
      customerId: acme,
      planId: usd,
      startDate: '2026-03-01',
      endDate: '2026-04-30',
      creditGrantCents: 10_000,
    });
    euro = await createContract(t, {
      customerId: acme,
      planId: eur,
      startDate: '2026-06-01',
      endDate: '2026-06-30',
      creditGrantCents: 5_000,
    });
    march = await createContract(t, {
      customerId: globex,
      planId: usd,
      startDate: '2026-03-01',
      endDate: '2026-03-31',
    });
  });
  afterAll(() => t.stop());

  it('filters invoices(...) by contract', async () => {
    const { invoices } = await t.gqlOk<{ invoices: InvoicePage }>(
      `query($c: ID!) { invoices(contractId: $c, first: 10) { ${PAGE} } }`,
      { c: winter },
    );
    expect(starts(invoices)).toEqual(['2026-02-01', '2026-01-01']);
    expect(invoices.nodes.every((n) => n.contract.id === winter)).toBe(true);
  });

  it('lists each customer’s invoices on Customer.invoices, newest period first, page by page', async () => {
    const { customers } = await t.gqlOk<{
      customers: { nodes: Array<{ id: string; invoices: InvoicePage }> };
    }>(`{ customers(first: 10) { nodes { id invoices(first: 3) { ${PAGE} } } } }`);
    const byId = new Map(customers.nodes.map((c) => [c.id, c.invoices]));
    // Acme's five invoices, newest period first: Jun (EUR), Apr and Mar (spring) on the first page of three;
    // Feb and Jan (winter) on the next.
    expect(starts(byId.get(acme)!)).toEqual(['2026-06-01', '2026-04-01', '2026-03-01']);
    expect(byId.get(acme)!.pageInfo.hasNextPage).toBe(true);
    expect(starts(byId.get(globex)!)).toEqual(['2026-03-01']);
    expect(byId.get(globex)!.pageInfo.hasNextPage).toBe(false);

    const next = await t.gqlOk<{ customer: { invoices: InvoicePage } }>(
      `query($id: ID!, $after: String) { customer(id: $id) { invoices(first: 3, after: $after) { ${PAGE} } } }`,
      { id: acme, after: byId.get(acme)!.pageInfo.endCursor },
    );
    expect(starts(next.customer.invoices)).toEqual(['2026-02-01', '2026-01-01']);
    expect(next.customer.invoices.pageInfo.hasNextPage).toBe(false);
  });

  it('lists a contract’s invoices on Contract.invoices, filtered by status', async () => {
    const { contracts } = await t.gqlOk<{
      contracts: { nodes: Array<{ id: string; invoices: InvoicePage }> };
    }>(
      `query($c: ID!) { contracts(customerId: $c, first: 10) { nodes { id invoices(first: 1, status: DRAFT) { ${PAGE} } } } }`,
      { c: acme },
    );
    const byId = new Map(contracts.nodes.map((c) => [c.id, c.invoices]));
    expect(starts(byId.get(winter)!)).toEqual(['2026-02-01']);
    expect(starts(byId.get(spring)!)).toEqual(['2026-04-01']);
    expect(starts(byId.get(euro)!)).toEqual(['2026-06-01']);
    expect(byId.get(spring)!.pageInfo.hasNextPage).toBe(true);

    const { contract } = await t.gqlOk<{ contract: { invoices: InvoicePage } }>(
      `query($id: ID!) { contract(id: $id) { invoices(status: PAID) { ${PAGE} } } }`,
      { id: march },
    );
    expect(contract.invoices.nodes).toEqual([]);
  });

  const balance = (customerId: string, contractId?: string) =>
    t.gql<{ creditBalance: { total: { currency: string; granted: string; remaining: string } | null } }>(
      `query($c: ID!, $k: ID) { creditBalance(customerId: $c, contractId: $k) { total { currency granted remaining } } }`,
      { c: customerId, k: contractId ?? null },
    );

  it('gives one credit total in the currency of the contract in force, or of the contract named', async () => {
    expect((await balance(acme)).data!.creditBalance.total).toEqual({
      currency: 'USD',
      granted: '100.00',
      remaining: '100.00',
    });
    expect((await balance(acme, euro)).data!.creditBalance.total).toEqual({
      currency: 'EUR',
      granted: '50.00',
      remaining: '50.00',
    });
    // Globex has a contract but no grant: a zero total in its currency.
    expect((await balance(globex)).data!.creditBalance.total).toEqual({
      currency: 'USD',
      granted: '0.00',
      remaining: '0.00',
    });
  });

  it("refuses another customer's contract for the total, naming the argument", async () => {
    const result = await balance(globex, spring);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'contractId' });
  });

  it('has no total for a customer without a contract', async () => {
    const initech = await createCustomer(t, 'Initech', 'initech');
    expect((await balance(initech)).data!.creditBalance.total).toBeNull();
  });
});
