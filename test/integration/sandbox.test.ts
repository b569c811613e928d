import { TestApp } from '../support/test-app';
import { createContract, createCustomer } from '../support/billing-api';
import { createSaasCatalog, errorOf, SIGN_UP, type Gql } from '../support/saas-catalog';

const CREATE = `mutation($name: String!, $from: String) {
  createSandbox(name: $name, copyCatalogFrom: $from) {
    apiKey cloneMs environment { id name kind }
    cloned { meters rateCards rateCardEntries pricings plans planItems }
  }
}`;

/** Sandboxes on the fly: a cloned catalog, used in isolation, then deleted without a trace. */
describe('Sandboxes', () => {
  let t: TestApp;
  let liveCustomerId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-06-01T10:00:00Z');
    const catalog = await createSaasCatalog(t);
    liveCustomerId = await createCustomer(t, 'Live Customer', 'live-customer');
    await createContract(t, {
      customerId: liveCustomerId,
      planId: catalog.starterId,
      startDate: '2026-06-01',
    });
  });
  afterAll(() => t.stop());

  it('creates a sandbox with a copy of the live catalog, uses it in isolation and deletes it without trace', async () => {
    const created = await t.gqlOk<{ createSandbox: Gql }>(CREATE, { name: 'staging', from: 'live' });
    const sandbox = created.createSandbox;
    expect(sandbox.environment).toMatchObject({ name: 'staging', kind: 'SANDBOX' });
    expect(sandbox.cloned).toEqual({
      meters: 1,
      rateCards: 1,
      rateCardEntries: 2,
      pricings: 6,
      plans: 4,
      planItems: 7,
    });
    const key: string = sandbox.apiKey;

    // The sandbox sees its own copy of the catalog, with new ids, and none of live's customers.
    const liveCatalog = await t.gqlOk<{
      productCatalog: Array<{ id: string; name: string; items: unknown[] }>;
    }>('{ productCatalog { id name items { name flatAmount rates { dimensions rate } } } }');
    const copy = await t.gqlOk<{ productCatalog: Array<{ id: string; name: string; items: unknown[] }> }>(
      '{ productCatalog { id name items { name flatAmount rates { dimensions rate } } } }',
      {},
      key,
    );
    expect(copy.productCatalog.map(({ name, items }) => ({ name, items }))).toEqual(
      liveCatalog.productCatalog.map(({ name, items }) => ({ name, items })),
    );
    expect(copy.productCatalog[0].id).not.toBe(liveCatalog.productCatalog[0].id);
    const noLive = await t.gql('query($id: ID!) { customer(id: $id) { id } }', { id: liveCustomerId }, key);
    expect(errorOf(noLive).code).toBe('NOT_FOUND');
    expect(
      (
        await t.gqlOk<{ customers: { nodes: unknown[] } }>(
          '{ customers(first: 10) { nodes { id } } }',
          {},
          key,
        )
      ).customers.nodes,
    ).toEqual([]);
    // A live plan id means nothing in the sandbox.
    const crossed = await t.gql(
      SIGN_UP,
      { input: { customer: { name: 'X' }, planId: liveCatalog.productCatalog[0].id, idempotencyKey: 'x' } },
      key,
    );
    expect(errorOf(crossed).code).toBe('NOT_FOUND');

    // Use it: sign up, send usage, read the draft.
    const signed = await t.gqlOk<{ signUp: Gql }>(
      SIGN_UP,
      {
        input: {
          customer: { name: 'Test Co', externalId: 'test-co' },
          planId: copy.productCatalog[0].id,
          idempotencyKey: 'signup',
        },
      },
      key,
    );
    const events = await t.rest(
      'POST',
      '/v1/events',
      {
        customer_id: 'test-co',
        event_name: 'api_call',
        idempotency_key: 'e1',
        timestamp: '2026-06-01T09:00:00Z',
        properties: { region: 'EU' },
      },
      key,
    );
    expect(events.status).toBe(202);
    await t.app.workers.aggregator.drain();
    const draft = await t.gqlOk<{ draftInvoice: { total: string } }>(
      'query($c: ID!) { draftInvoice(contractId: $c) { total } }',
      { c: signed.signUp.contract.id },
      key,
    );
    expect(draft.draftInvoice.total).toBe('29.01'); // Starter fee + 1 EU call at the cloned 0.012

    // Environments: live keys see the organization, a sandbox key only itself; only live keys manage sandboxes.
    const envs = await t.gqlOk<{ environments: Array<{ name: string; kind: string }> }>(
      '{ environments { name kind } }',
    );
    expect(envs.environments).toEqual([
      { name: 'live', kind: 'LIVE' },
      { name: 'staging', kind: 'SANDBOX' },
    ]);
    const own = await t.gqlOk<{ environments: Array<{ name: string }> }>(
      '{ environments { name } }',
      {},
      key,
    );
    expect(own.environments).toEqual([{ name: 'staging' }]);
    expect(errorOf(await t.gql(CREATE, { name: 'nested', from: 'live' }, key)).code).toBe('FORBIDDEN');
    expect(
      errorOf(
        await t.gql(
          'mutation($id: ID!) { deleteSandbox(id: $id) { id } }',
          { id: sandbox.environment.id },
          key,
        ),
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      errorOf(await t.gql('mutation($id: ID!) { deleteSandbox(id: $id) { id } }', { id: t.environmentId }))
        .code,
    ).toBe('CONFLICT');
    expect(errorOf(await t.gql(CREATE, { name: 'staging' })).code).toBe('CONFLICT');

    // Delete: every environment-scoped table is empty for it, and its key stops working.
    const deleted = await t.gqlOk<{ deleteSandbox: { deletedRows: number } }>(
      'mutation($id: ID!) { deleteSandbox(id: $id) { id name deletedRows } }',
      { id: sandbox.environment.id },
    );
    expect(deleted.deleteSandbox.deletedRows).toBeGreaterThan(20);
    const tables = await t.app.services.selfServe.sandboxes.environmentTables(t.system);
    expect(tables).toEqual(
      expect.arrayContaining([
        'usage_events',
        'usage_aggregates',
        'customers',
        'contracts',
        'idempotency_records',
        'api_keys',
      ]),
    );
    for (const table of tables) {
      const [row] = (await t.app.db.query(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE environment_id = ?`, [
        sandbox.environment.id,
      ])) as Array<{ n: string }>;
      expect([table, Number(row.n)]).toEqual([table, 0]);
    }
    const [env] = (await t.app.db.query('SELECT COUNT(*) AS n FROM environments WHERE id = ?', [
      sandbox.environment.id,
    ])) as Array<{ n: string }>;
    expect(Number(env.n)).toBe(0);
    expect((await t.gql('{ productCatalog { id } }', {}, key)).status).toBe(401);

    // Live is untouched.
    expect(
      (await t.gqlOk<{ productCatalog: unknown[] }>('{ productCatalog { id } }')).productCatalog,
    ).toHaveLength(3);
    expect(
      (
        await t.gqlOk<{ customer: { id: string } }>('query($id: ID!) { customer(id: $id) { id } }', {
          id: liveCustomerId,
        })
      ).customer.id,
    ).toBe(liveCustomerId);
    expect((await draftInvoiceOfCustomer()).length).toBe(1);
  });

  it('creates an empty sandbox when no catalog is copied', async () => {
    const created = await t.gqlOk<{ createSandbox: Gql }>(CREATE, { name: 'empty' });
    expect(created.createSandbox.cloned).toEqual({
      meters: 0,
      rateCards: 0,
      rateCardEntries: 0,
      pricings: 0,
      plans: 0,
      planItems: 0,
    });
    expect(
      (
        await t.gqlOk<{ productCatalog: unknown[] }>(
          '{ productCatalog { id } }',
          {},
          created.createSandbox.apiKey,
        )
      ).productCatalog,
    ).toEqual([]);
  });

  async function draftInvoiceOfCustomer() {
    const data = await t.gqlOk<{ draftInvoices: unknown[] }>(
      'query($c: ID!) { draftInvoices(customerId: $c) { id } }',
      { c: liveCustomerId },
    );
    return data.draftInvoices;
  }
});
