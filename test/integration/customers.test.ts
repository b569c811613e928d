import { TestApp, type GraphQLResult } from '../support/test-app';

const FIELDS = 'id name externalId email salesforceAccountId createdAt updatedAt';
const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { ${FIELDS} } }`;

type Customer = {
  id: string;
  name: string;
  externalId: string | null;
  email: string | null;
  salesforceAccountId: string | null;
  createdAt: string;
  updatedAt: string;
};

function expectError(result: GraphQLResult, code: string, field?: string) {
  expect(result.errors?.length).toBe(1);
  expect(result.errors?.[0].extensions?.code).toBe(code);
  if (field !== undefined) expect(result.errors?.[0].extensions?.field).toBe(field);
  expect(result.data).toBeNull();
}

describe('customers', () => {
  let t: TestApp;
  let acme: Customer;
  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-01T10:00:00Z');
    const created = await t.gqlOk<{ createCustomer: Customer }>(CREATE, {
      input: { name: 'Acme Support Co', externalId: 'acme-support', email: 'billing@acme.example' },
    });
    acme = created.createCustomer;
  });
  afterAll(() => t.stop());

  it('creates a customer with trimmed fields and reads it by id and by external id', async () => {
    expect(acme).toEqual({
      id: expect.stringMatching(/^cus_/),
      name: 'Acme Support Co',
      externalId: 'acme-support',
      email: 'billing@acme.example',
      salesforceAccountId: null,
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
    });
    const byId = await t.gqlOk<{ customer: Customer }>(
      `query($id: ID!) { customer(id: $id) { ${FIELDS} } }`,
      {
        id: acme.id,
      },
    );
    expect(byId.customer).toEqual(acme);
    const byExternal = await t.gqlOk<{ customerByExternalId: { id: string } }>(
      '{ customerByExternalId(externalId: "acme-support") { id } }',
    );
    expect(byExternal.customerByExternalId.id).toBe(acme.id);
    expectError(await t.gql('{ customerByExternalId(externalId: "ACME-SUPPORT") { id } }'), 'NOT_FOUND');
  });

  it('rejects a duplicate external id with CONFLICT', async () => {
    const result = await t.gql(CREATE, { input: { name: 'Copycat', externalId: 'acme-support' } });
    expectError(result, 'CONFLICT', 'input.externalId');
    const rows = await t.app.db.query("SELECT COUNT(*) AS n FROM customers WHERE name = 'Copycat'");
    expect(Number(rows[0].n)).toBe(0);
  });

  it.each([
    ['an empty name', { name: '   ' }, 'input.name'],
    ['a too long name', { name: 'n'.repeat(201) }, 'input.name'],
    ['an invalid email', { name: 'x', email: 'not-an-email' }, 'input.email'],
    ['an external id with spaces', { name: 'x', externalId: 'has space' }, 'input.externalId'],
    ['a malformed Salesforce id', { name: 'x', salesforceAccountId: '001-bad' }, 'input.salesforceAccountId'],
  ])('rejects %s with BAD_USER_INPUT', async (_name, input, field) => {
    expectError(await t.gql(CREATE, { input }), 'BAD_USER_INPUT', field);
  });

  it('updates only the fields given, clears with null, and bumps updatedAt', async () => {
    const created = await t.gqlOk<{ createCustomer: Customer }>(CREATE, {
      input: {
        name: 'Globex',
        externalId: 'globex',
        email: 'ap@globex.example',
        salesforceAccountId: '001000000000001AAA',
      },
    });
    t.clock.set('2026-03-02T09:00:00Z');
    const { updateCustomer } = await t.gqlOk<{ updateCustomer: Customer }>(UPDATE, {
      id: created.createCustomer.id,
      input: { name: 'Globex Corp', email: null },
    });
    expect(updateCustomer).toEqual({
      ...created.createCustomer,
      name: 'Globex Corp',
      email: null,
      updatedAt: '2026-03-02T09:00:00.000Z',
    });
    const reread = await t.gqlOk<{ customer: Customer }>(
      `query($id: ID!) { customer(id: $id) { ${FIELDS} } }`,
      {
        id: created.createCustomer.id,
      },
    );
    expect(reread.customer).toEqual(updateCustomer);
  });

  it('rejects bad updates: taken external id, null name, bad email, unknown id', async () => {
    const created = await t.gqlOk<{ createCustomer: Customer }>(CREATE, { input: { name: 'Initech' } });
    const id = created.createCustomer.id;
    expectError(
      await t.gql(UPDATE, { id, input: { externalId: 'acme-support' } }),
      'CONFLICT',
      'input.externalId',
    );
    expectError(await t.gql(UPDATE, { id, input: { name: null } }), 'BAD_USER_INPUT', 'input.name');
    expectError(await t.gql(UPDATE, { id, input: { email: 'nope@' } }), 'BAD_USER_INPUT', 'input.email');
    expectError(await t.gql(UPDATE, { id: 'cus_missing', input: { name: 'x' } }), 'NOT_FOUND');
    // Setting its own external id again is not a conflict.
    await t.gqlOk(UPDATE, { id, input: { externalId: 'initech' } });
    const again = await t.gqlOk<{ updateCustomer: Customer }>(UPDATE, {
      id,
      input: { externalId: 'initech' },
    });
    expect(again.updateCustomer.externalId).toBe('initech');
  });

  it('searches by case-insensitive prefix of name, email or external id, and paginates', async () => {
    for (const [name, externalId, email] of [
      ['Alpha Labs', 'alpha-1', 'ops@alpha.example'],
      ['alphabet soup', 'soup', 'kitchen@soup.example'],
      ['Beta', 'ALPHA-beta', null],
      ['Gamma', 'gamma', 'ALPHAMAIL@gamma.example'],
      ['Delta 100%', 'delta', null],
    ] as const) {
      await t.gqlOk(CREATE, { input: { name, externalId, email } });
    }
    const search = async (text: string, first = 50, after: string | null = null) =>
      (
        await t.gqlOk<{
          customers: {
            nodes: Array<{ name: string }>;
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        }>(
          'query($s: String, $first: Int, $after: String) { customers(search: $s, first: $first, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }',
          { s: text, first, after },
        )
      ).customers;
    const names = async (text: string) => (await search(text)).nodes.map((n) => n.name).sort();
    expect(await names('alpha')).toEqual(['Alpha Labs', 'Beta', 'Gamma', 'alphabet soup']);
    expect(await names('SOUP')).toEqual(['alphabet soup']);
    expect(await names('kitchen@')).toEqual(['alphabet soup']);
    expect(await names('labs')).toEqual([]);
    // LIKE wildcards in the search text are literal.
    expect(await names('Delta 100%')).toEqual(['Delta 100%']);
    expect(await names('%')).toEqual([]);
    expect(await names('_')).toEqual([]);

    const page1 = await search('alpha', 3);
    expect(page1.nodes).toHaveLength(3);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = await search('alpha', 3, page1.pageInfo.endCursor);
    expect(page2.nodes).toHaveLength(1);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect([...page1.nodes, ...page2.nodes].map((n) => n.name).sort()).toEqual(await names('alpha'));
  });

  it("keeps environments apart: another organization's key cannot read or change a customer", async () => {
    const other = await t.newOrganization();
    expectError(
      await t.gql('query($id: ID!) { customer(id: $id) { id } }', { id: acme.id }, other.apiKey),
      'NOT_FOUND',
    );
    expectError(
      await t.gql('{ customerByExternalId(externalId: "acme-support") { id } }', {}, other.apiKey),
      'NOT_FOUND',
    );
    expectError(await t.gql(UPDATE, { id: acme.id, input: { name: 'Hijacked' } }, other.apiKey), 'NOT_FOUND');
    const list = await t.gqlOk<{ customers: { nodes: unknown[] } }>(
      '{ customers { nodes { id } } }',
      {},
      other.apiKey,
    );
    expect(list.customers.nodes).toEqual([]);
    // The same external id is free in the other environment.
    const theirs = await t.gqlOk<{ createCustomer: Customer }>(
      CREATE,
      { input: { name: 'Their Acme', externalId: 'acme-support' } },
      other.apiKey,
    );
    expect(theirs.createCustomer.externalId).toBe('acme-support');
    const ours = await t.gqlOk<{ customer: Customer }>('query($id: ID!) { customer(id: $id) { name } }', {
      id: acme.id,
    });
    expect(ours.customer.name).toBe('Acme Support Co');
  });
});
