import { randomUUID } from 'node:crypto';
import { TestApp } from '../support/test-app';
import {
  createCatalog,
  createCustomerWithContract,
  DRAFT_BY_CUSTOMER,
  liveClient,
  portalToken,
  subscribe,
  type Closed,
  type LiveInvoice,
} from './live.support';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ME = '{ customer(id: $id) { id } }';

async function closedWithin(closed: Promise<Closed>, ms: number, what: string): Promise<Closed> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still open after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([closed, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Revoking or rotating a customer's portal tokens ends what they authenticated, on every instance: two
 * server instances share one database and one Redis; a revocation made through one closes the sockets
 * the token opened on both (4403), and only those.
 */
describe('graphql-ws: revoked or rotated portal tokens stop streaming on every instance', () => {
  let a: TestApp;
  let b: TestApp;
  let planId: string;
  const prefix = `tally-test:${randomUUID()}:`;

  beforeAll(async () => {
    const config = { redisUrl: REDIS_URL, redisPrefix: prefix };
    a = await TestApp.start({ config });
    b = await TestApp.start({ config, keepDatabase: true });
    for (const app of [a, b]) app.clock.set('2026-03-10T12:00:00Z');
    ({ planId } = await createCatalog(a));
  });
  afterAll(async () => {
    await b?.stop({ keepDatabase: true });
    await a?.stop();
  });

  /** A socket on `t` authenticated with `token`, with a running draft-invoice subscription. */
  async function streaming(t: TestApp, token: string, customerId: string) {
    const live = liveClient(t, token);
    await live.connected;
    await subscribe<LiveInvoice>(live.client, DRAFT_BY_CUSTOMER, { customerId }).count(1);
    return live;
  }

  it("revoking closes the customer's sockets on both instances with 4403; other customers stream on", async () => {
    const target = await createCustomerWithContract(a, planId, 'Revoked Co');
    const other = await createCustomerWithContract(a, planId, 'Bystander Co');
    const token = await portalToken(a, target.customerId);
    const otherToken = await portalToken(a, other.customerId);
    const onA = await streaming(a, token, target.customerId);
    const onB = await streaming(b, token, target.customerId);
    const bystander = await streaming(a, otherToken, other.customerId);

    const revoked = await b.gqlOk<{ revokeCustomerPortalTokens: { customerId: string; revokedAt: string } }>(
      'mutation($id: ID!) { revokeCustomerPortalTokens(customerId: $id) { customerId revokedAt } }',
      { id: target.customerId },
      a.apiKey, // B serves the same database: A's key is valid there
    );
    expect(revoked.revokeCustomerPortalTokens).toEqual({
      customerId: target.customerId,
      revokedAt: '2026-03-10T12:00:00.000Z',
    });

    expect(await closedWithin(onA.closed, 5_000, 'socket on A')).toMatchObject({ code: 4403 });
    expect(await closedWithin(onB.closed, 5_000, 'socket on B')).toMatchObject({ code: 4403 });
    // The other customer's socket is still open: a new subscription on it is served.
    await subscribe<LiveInvoice>(bystander.client, DRAFT_BY_CUSTOMER, { customerId: other.customerId }).count(
      1,
    );
    // The revoked token is refused everywhere from now on: over HTTP, and for a new socket (4401).
    const http = await a.gql(`query($id: ID!) ${ME}`, { id: target.customerId }, token);
    expect(http.errors?.[0]).toMatchObject({
      message: 'The customer token has been revoked',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const again = liveClient(b, token);
    expect(await closedWithin(again.closed, 5_000, 'new socket')).toMatchObject({ code: 4401 });
    await Promise.all([onA.client.dispose(), onB.client.dispose(), bystander.client.dispose()]);
    await again.client.dispose();
  });

  it('rotating issues a working token and closes the sockets of the earlier ones', async () => {
    const target = await createCustomerWithContract(a, planId, 'Rotated Co');
    const old = await portalToken(a, target.customerId);
    const oldSocket = await streaming(b, old, target.customerId);

    const rotated = await a.gqlOk<{ rotateCustomerPortalToken: { token: string; customerId: string } }>(
      'mutation($id: ID!) { rotateCustomerPortalToken(customerId: $id, ttlSeconds: 600) { token customerId } }',
      { id: target.customerId },
    );
    const fresh = rotated.rotateCustomerPortalToken.token;
    expect(fresh).not.toBe(old);

    expect(await closedWithin(oldSocket.closed, 5_000, 'socket of the old token')).toMatchObject({
      code: 4403,
    });
    const newSocket = await streaming(b, fresh, target.customerId);
    const readFresh = await b.gqlOk<{ customer: { id: string } }>(
      `query($id: ID!) ${ME}`,
      { id: target.customerId },
      fresh,
    );
    expect(readFresh.customer.id).toBe(target.customerId);
    const readOld = await b.gql(`query($id: ID!) ${ME}`, { id: target.customerId }, old);
    expect(readOld.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    await Promise.all([oldSocket.client.dispose(), newSocket.client.dispose()]);
  });

  it('is for operators only', async () => {
    const target = await createCustomerWithContract(a, planId, 'Self Revoker Co');
    const token = await portalToken(a, target.customerId);
    const refused = await a.gql(
      'mutation($id: ID!) { revokeCustomerPortalTokens(customerId: $id) { revokedAt } }',
      { id: target.customerId },
      token,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const unknown = await a.gql(
      'mutation($id: ID!) { revokeCustomerPortalTokens(customerId: $id) { revokedAt } }',
      { id: 'cus_missing' },
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'customerId' });
  });
});
