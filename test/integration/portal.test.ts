import { GraphQLList, GraphQLObjectType, GraphQLString } from 'graphql';
import type { Client } from 'graphql-ws';
import { PORTAL_HIDDEN_FIELDS, PortalGuard } from '../../src/graphql/portal/portal-guard';
import { TestApp } from '../support/test-app';
import { createContract, createCustomer } from '../support/billing-api';
import {
  CREDITS,
  DRAFT_BY_CONTRACT,
  DRAFT_BY_CUSTOMER,
  createCatalog,
  createCustomerWithContract,
  liveClient,
  portalToken,
  sendUsage,
  subscribe,
  type LiveInvoice,
} from './live.support';

/**
 * Customer-portal tokens: a token reads its own customer's data only, over HTTP and WebSocket, and every
 * obvious attack fails with FORBIDDEN (someone else's data) or UNAUTHENTICATED (a bad token).
 */
describe('customer portal tokens', () => {
  let t: TestApp;
  let own: { customerId: string; contractId: string; invoiceId: string };
  let other: { customerId: string; contractId: string; invoiceId: string };
  let token: string;
  const clients: Client[] = [];

  const codeOf = (result: { errors?: Array<{ extensions?: { code?: string } }> }) =>
    result.errors?.[0]?.extensions?.code;

  async function withInvoice(c: { customerId: string; contractId: string }) {
    const { draftInvoice } = await t.gqlOk<{ draftInvoice: { id: string } }>(
      'query($id: ID!) { draftInvoice(contractId: $id) { id } }',
      { id: c.contractId },
    );
    return { ...c, invoiceId: draftInvoice.id };
  }

  function ws(tokenOrNull: string | null, params?: Record<string, unknown>, app = t) {
    const live = liveClient(app, tokenOrNull, params);
    clients.push(live.client);
    return live;
  }

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-10T12:00:00Z');
    const { planId } = await createCatalog(t);
    own = await withInvoice(await createCustomerWithContract(t, planId, 'Own Co'));
    other = await withInvoice(await createCustomerWithContract(t, planId, 'Other Co'));
    await sendUsage(t, own.customerId, 10);
    await sendUsage(t, other.customerId, 20);
    await t.app.workers.aggregator.drain();
    await t.gqlOk(
      `mutation($id: ID!, $input: GrantPromotionalCreditsInput!) { grantPromotionalCredits(contractId: $id, input: $input) { id } }`,
      { id: other.contractId, input: { amountCents: '100' } },
    );
    token = await portalToken(t, own.customerId);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.stop();
  });

  it('is issued to API keys only', async () => {
    expect(token).toMatch(/^tpt_/);
    const again = await t.gql(
      'mutation($id: ID!) { createCustomerPortalToken(customerId: $id) { token } }',
      { id: own.customerId },
      token,
    );
    expect(codeOf(again)).toBe('FORBIDDEN');
    const unknown = await t.gql('mutation { createCustomerPortalToken(customerId: "cus_nope") { token } }');
    expect(codeOf(unknown)).toBe('NOT_FOUND');
  });

  it("reads its own customer's data, nested fields included", async () => {
    const data = await t.gqlOk<Record<string, unknown>>(
      `query($customerId: ID!, $contractId: ID!, $invoiceId: ID!) {
        customer(id: $customerId) {
          id name
          contracts { id customer { id } }
          draftInvoices { id amountDue customer { id } contract { id } }
        }
        contracts(customerId: $customerId) { nodes { id } }
        contract(id: $contractId) { id customer { id } draftInvoice { id } }
        invoices(customerId: $customerId) { nodes { id } }
        invoice(id: $invoiceId) { id lines { amount } }
        draftInvoice(contractId: $contractId) { id subtotal }
        draftInvoices(customerId: $customerId) { id }
        creditBalance(customerId: $customerId) { customerId }
        creditLedger(customerId: $customerId) { nodes { id } }
      }`,
      { customerId: own.customerId, contractId: own.contractId, invoiceId: own.invoiceId },
      token,
    );
    expect(data.customer).toMatchObject({
      id: own.customerId,
      contracts: [{ id: own.contractId, customer: { id: own.customerId } }],
      draftInvoices: [
        { id: own.invoiceId, customer: { id: own.customerId }, contract: { id: own.contractId } },
      ],
    });
    expect(data.draftInvoice).toEqual({ id: own.invoiceId, subtotal: '1.00' });
    expect(data.creditBalance).toEqual({ customerId: own.customerId });
  });

  it("is FORBIDDEN another customer's id in every query argument", async () => {
    const attacks: Array<[string, Record<string, unknown>]> = [
      ['query($id: ID!) { customer(id: $id) { id } }', { id: other.customerId }],
      ['query($id: ID!) { contracts(customerId: $id) { nodes { id } } }', { id: other.customerId }],
      ['{ contracts { nodes { id } } }', {}],
      ['query($id: ID!) { contract(id: $id) { id } }', { id: other.contractId }],
      ['query($id: ID!) { invoices(customerId: $id) { nodes { id } } }', { id: other.customerId }],
      ['{ invoices { nodes { id } } }', {}],
      ['query($id: ID!) { invoice(id: $id) { id } }', { id: other.invoiceId }],
      ['query($id: ID!) { draftInvoice(contractId: $id) { id } }', { id: other.contractId }],
      ['query($id: ID!) { draftInvoices(customerId: $id) { id } }', { id: other.customerId }],
      ['query($id: ID!) { creditBalance(customerId: $id) { customerId } }', { id: other.customerId }],
      ['query($id: ID!) { creditLedger(customerId: $id) { nodes { id } } }', { id: other.customerId }],
      // Ids that do not exist look the same as someone else's (no oracle).
      ['query($id: ID!) { contract(id: $id) { id } }', { id: 'ctr_does_not_exist' }],
      ['query($id: ID!) { invoice(id: $id) { id } }', { id: 'inv_does_not_exist' }],
    ];
    for (const [query, variables] of attacks) {
      const result = await t.gql(query, variables, token);
      // Nothing leaks: no data at all, or the (nullable) field is null.
      const leaked = Object.values(result.data ?? {}).filter((value) => value !== null);
      expect({ query, code: codeOf(result), leaked }).toEqual({ query, code: 'FORBIDDEN', leaked: [] });
    }
  });

  it('is FORBIDDEN everything outside its allow-list, API-key-only mutations included', async () => {
    const attacks = [
      '{ customers { nodes { id } } }',
      '{ currentEnvironment { id } }',
      '{ apiKeys { id } }',
      '{ meters { nodes { id } } }',
      `query($id: ID!) { contract(id: $id) { plan { items { pricing { meter { rateCards { id } } } } } } }`,
      'mutation { createCustomer(input: { name: "Mallory" }) { id } }',
      'mutation { createApiKey(name: "x") { secret } }',
      `mutation($id: ID!) { grantPromotionalCredits(contractId: $id, input: { amountCents: "100000" }) { id } }`,
      `mutation($id: ID!) { finalizeInvoice(id: $id) { id } }`,
      `mutation($id: ID!) { voidInvoice(id: $id) { id } }`,
    ];
    const variables = { id: own.contractId };
    for (const query of attacks) {
      const vars = query.includes('Invoice(id')
        ? { id: own.invoiceId }
        : query.includes('$id')
          ? variables
          : {};
      const result = await t.gql(query, vars, token);
      expect({ query, code: codeOf(result) }).toEqual({ query, code: 'FORBIDDEN' });
    }
    const event = await t.rest(
      'POST',
      '/v1/events',
      {
        customer_id: own.customerId,
        event_name: 'api_call',
        idempotency_key: 'mallory',
        properties: { units: 1 },
      },
      token,
    );
    expect(event.status).toBe(403);
  });

  it('is UNAUTHENTICATED with an altered payload or signature', async () => {
    const [body, signature] = token.slice(4).split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forged = (changes: Record<string, unknown>) =>
      `tpt_${Buffer.from(JSON.stringify({ ...payload, ...changes })).toString('base64url')}.${signature}`;
    const tokens = [
      forged({ cus: other.customerId }),
      forged({ exp: (payload.exp as number) + 86_400 * 365 }),
      `tpt_${body}.${signature.slice(0, -2)}xx`,
      `tpt_${body}`,
      'tpt_garbage',
    ];
    for (const bad of tokens) {
      const result = await t.gql(
        'query($id: ID!) { customer(id: $id) { id } }',
        { id: other.customerId },
        bad,
      );
      expect(codeOf(result)).toBe('UNAUTHENTICATED');
    }
    const live = ws(forged({ cus: other.customerId }));
    expect(await live.closed).toEqual({
      code: 4401,
      reason: expect.stringMatching(/^Unauthorized: .*signature/),
    });
  });

  it('is UNAUTHENTICATED once expired, on new requests and new operations of an open socket', async () => {
    const shortLived = await portalToken(t, own.customerId, 60);
    const live = ws(shortLived);
    await live.connected;
    const before = subscribe<LiveInvoice>(live.client, DRAFT_BY_CONTRACT, { contractId: own.contractId });
    await before.count(1);

    t.clock.advance(61_000);
    try {
      const result = await t.gql(
        'query($id: ID!) { customer(id: $id) { id } }',
        { id: own.customerId },
        shortLived,
      );
      expect(codeOf(result)).toBe('UNAUTHENTICATED');
      expect(result.errors?.[0].message).toMatch(/expired/);
      const after = subscribe<LiveInvoice>(live.client, DRAFT_BY_CONTRACT, { contractId: own.contractId });
      expect((await after.failed())[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
      const fresh = ws(shortLived);
      expect(await fresh.closed).toEqual({ code: 4401, reason: expect.stringMatching(/expired/) });
    } finally {
      t.clock.set('2026-03-10T12:00:00Z');
      before.dispose();
    }
  });

  it('closes an open socket with 4401 when its token expires, ending its subscriptions', async () => {
    const shortLived = await portalToken(t, own.customerId, 60);
    // Connect half a second before the token's expiry, as the server's clock sees it.
    t.clock.advance(59_500);
    try {
      const live = ws(shortLived);
      await live.connected;
      const sub = subscribe<LiveInvoice>(live.client, DRAFT_BY_CONTRACT, { contractId: own.contractId });
      await sub.count(1);
      expect(await live.closed).toEqual({ code: 4401, reason: expect.stringMatching(/expired/) });
      sub.dispose();
    } finally {
      t.clock.set('2026-03-10T12:00:00Z');
    }
  });

  it('closes a WebSocket without a valid token with 4401 and a reason', async () => {
    expect(await ws(null).closed).toEqual({
      code: 4401,
      reason: expect.stringMatching(/^Unauthorized: send/),
    });
    expect(await ws('not-a-token').closed).toEqual({
      code: 4401,
      reason: expect.stringMatching(/^Unauthorized/),
    });
    expect(await ws('tly_live_revoked_or_unknown').closed).toMatchObject({ code: 4401 });
    expect(await ws(null, { authorization: 42 }).closed).toMatchObject({ code: 4401 });
  });

  it("is FORBIDDEN another customer's id in every subscription argument", async () => {
    const live = ws(token);
    const attacks: Array<[string, Record<string, unknown>]> = [
      [DRAFT_BY_CUSTOMER, { customerId: other.customerId }],
      [DRAFT_BY_CONTRACT, { contractId: other.contractId }],
      [
        `subscription($a: ID, $b: ID) { draftInvoiceUpdated(customerId: $a, contractId: $b) { id } }`,
        { a: own.customerId, b: other.contractId },
      ],
      ['subscription { draftInvoiceUpdated { id } }', {}],
      [CREDITS, { customerId: other.customerId }],
    ];
    for (const [query, variables] of attacks) {
      const sub = subscribe<unknown>(live.client, query, variables);
      const errors = await sub.failed();
      expect({ query, variables, code: errors[0].extensions?.code }).toEqual({
        query,
        variables,
        code: 'FORBIDDEN',
      });
      expect(sub.values).toEqual([]);
    }
    // Its own subscriptions work on the same socket.
    const mine = subscribe<LiveInvoice>(live.client, DRAFT_BY_CUSTOMER, { customerId: own.customerId });
    const credits = subscribe<{ customerId: string }>(live.client, CREDITS, { customerId: own.customerId });
    await mine.count(1);
    await credits.count(1);
    expect(mine.values[0]).toMatchObject({ id: own.invoiceId, subtotal: '1.00' });
    expect(credits.values[0]).toMatchObject({ customerId: own.customerId });
    mine.dispose();
    credits.dispose();
  });

  it("cannot use a token of another organization on this one's customers", async () => {
    const org = await t.newOrganization('Elsewhere Inc');
    const theirCustomer = await t.gqlOk<{ createCustomer: { id: string } }>(
      'mutation { createCustomer(input: { name: "Theirs" }) { id } }',
      {},
      org.apiKey,
    );
    const issued = await t.gqlOk<{ createCustomerPortalToken: { token: string } }>(
      'mutation($id: ID!) { createCustomerPortalToken(customerId: $id) { token } }',
      { id: theirCustomer.createCustomer.id },
      org.apiKey,
    );
    const theirs = issued.createCustomerPortalToken.token;
    const result = await t.gql(
      'query($id: ID!) { customer(id: $id) { id } }',
      { id: own.customerId },
      theirs,
    );
    expect(codeOf(result)).toBe('FORBIDDEN');
    const mine = await t.gql(
      'query($id: ID!) { customer(id: $id) { id } }',
      { id: theirCustomer.createCustomer.id },
      theirs,
    );
    expect(mine.data).toEqual({ customer: { id: theirCustomer.createCustomer.id } });
    const sub = subscribe<unknown>(ws(theirs).client, DRAFT_BY_CONTRACT, { contractId: own.contractId });
    expect((await sub.failed())[0].extensions?.code).toBe('FORBIDDEN');
    // And our API key cannot name their customer either (environments are separate).
    const crossKey = await t.gql('query($id: ID!) { customer(id: $id) { id } }', {
      id: theirCustomer.createCustomer.id,
    });
    expect(codeOf(crossKey)).toBe('NOT_FOUND');
  });

  it('stops accepting every token once the signing key is rotated', async () => {
    const rotated = await TestApp.start({
      keepDatabase: true,
      config: { portalTokenSecret: 'a-completely-different-portal-secret-0123456789' },
    });
    try {
      rotated.clock.set('2026-03-10T12:00:00Z');
      const old = await rotated.gql(
        'query($id: ID!) { customer(id: $id) { id } }',
        { id: own.customerId },
        token,
      );
      expect(codeOf(old)).toBe('UNAUTHENTICATED');
      const live = ws(token, undefined, rotated);
      expect(await live.closed).toMatchObject({ code: 4401 });
      // A token the rotated server signs works there, and not on the server with the old key.
      // (The same database: this environment's API key works on the rotated server.)
      const issued = await rotated.gqlOk<{ createCustomerPortalToken: { token: string } }>(
        'mutation($id: ID!) { createCustomerPortalToken(customerId: $id) { token } }',
        { id: own.customerId },
        t.apiKey,
      );
      const fresh = issued.createCustomerPortalToken.token;
      const ok = await rotated.gql(
        'query($id: ID!) { customer(id: $id) { id } }',
        { id: own.customerId },
        fresh,
      );
      expect(ok.data).toEqual({ customer: { id: own.customerId } });
      const back = await t.gql('query($id: ID!) { customer(id: $id) { id } }', { id: own.customerId }, fresh);
      expect(codeOf(back)).toBe('UNAUTHENTICATED');
    } finally {
      await rotated.stop({ keepDatabase: true });
    }
  });

  it('lets a second contract of its own be read but not a contract created for someone else', async () => {
    const stranger = await createCustomer(t, 'Stranger');
    const { planId } = await createCatalog(t, 'SEATS');
    const theirs = await createContract(t, { customerId: stranger, planId, startDate: '2026-03-01' });
    const result = await t.gql('query($id: ID!) { contract(id: $id) { id } }', { id: theirs }, token);
    expect(codeOf(result)).toBe('FORBIDDEN');
  });
});

describe('PortalGuard on nested fields', () => {
  const Customer = new GraphQLObjectType({ name: 'Customer', fields: { id: { type: GraphQLString } } });
  const Contract = new GraphQLObjectType({ name: 'Contract', fields: { id: { type: GraphQLString } } });
  const Plan = new GraphQLObjectType({ name: 'Plan', fields: { id: { type: GraphQLString } } });

  async function resolve(returnType: unknown, value: unknown, parent = 'Contract', caller = 'PORTAL') {
    const context = {
      ctx: {
        caller:
          caller === 'PORTAL'
            ? { kind: 'PORTAL', customerId: 'cus_own' }
            : { kind: 'API_KEY', apiKeyId: 'k' },
        portalCustomerId: caller === 'PORTAL' ? 'cus_own' : null,
      },
    };
    const info = { parentType: { name: parent }, fieldName: 'any', returnType };
    return (PortalGuard as unknown as (data: unknown, next: () => Promise<unknown>) => Promise<unknown>)(
      { context, info, args: {}, root: {} },
      async () => value,
    );
  }

  it("refuses any resolved row of another customer, whatever the path, and passes the token's own", async () => {
    await expect(resolve(Customer, { id: 'cus_other' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      resolve(new GraphQLList(Contract), [
        { id: 'c1', customerId: 'cus_own' },
        { id: 'c2', customerId: 'cus_other' },
      ]),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      resolve(Contract, { nodes: [{ customerId: 'cus_other' }], edges: [] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(resolve(Customer, { id: 'cus_own' })).resolves.toEqual({ id: 'cus_own' });
    await expect(resolve(Plan, { id: 'pln_1' })).resolves.toEqual({ id: 'pln_1' });
    // A JSON scalar may hold any key: only object types are rows.
    await expect(resolve(GraphQLString, { customerId: 'cus_other' })).resolves.toBeTruthy();
    // API keys are not concerned.
    await expect(resolve(Customer, { id: 'cus_other' }, 'Contract', 'API_KEY')).resolves.toEqual({
      id: 'cus_other',
    });
    // Listed nested fields stay hidden from portal tokens.
    expect(PORTAL_HIDDEN_FIELDS.has('Meter.rateCards')).toBe(true);
  });
});
