import { randomUUID } from 'node:crypto';
import { TestApp } from '../support/test-app';
import {
  CREDITS,
  DRAFT_BY_CONTRACT,
  DRAFT_BY_CUSTOMER,
  createCatalog,
  createCustomerWithContract,
  liveClient,
  portalToken,
  sendUsage,
  sleep,
  subscribe,
  type LiveInvoice,
} from './live.support';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Two server instances over one database and one Redis: a client connected to A sees the changes made
 * through B (events ingested and aggregated on B, credits granted on B, a rate card changed on B).
 * The channel prefix is unique to this run so parallel runs on the same Redis do not hear each other.
 */
describe('live updates across server instances (Redis)', () => {
  let a: TestApp;
  let b: TestApp;
  const prefix = `tally-test:${randomUUID()}:`;

  beforeAll(async () => {
    const config = { redisUrl: REDIS_URL, redisPrefix: prefix };
    a = await TestApp.start({ config });
    b = await TestApp.start({ config, keepDatabase: true });
    for (const app of [a, b]) app.clock.set('2026-03-10T12:00:00Z');
  });
  afterAll(async () => {
    await b?.stop({ keepDatabase: true });
    await a?.stop();
  });

  it("delivers to A's subscribers the usage ingested and aggregated on B", async () => {
    const { planId } = await createCatalog(a);
    const { customerId, contractId } = await createCustomerWithContract(a, planId, 'Fan-out Co');
    const token = await portalToken(a, customerId);
    const { client } = liveClient(a, token);
    const byContract = subscribe<LiveInvoice>(client, DRAFT_BY_CONTRACT, { contractId });
    const byCustomer = subscribe<LiveInvoice>(client, DRAFT_BY_CUSTOMER, { customerId });
    await byContract.count(1);
    await byCustomer.count(1);
    expect(byContract.values[0].subtotal).toBe('0.00');

    // B serves the same database: A's API key (A's environment) is valid on B.
    await sendUsage(b, customerId, 12, { token: a.apiKey });
    await b.app.workers.aggregator.drain();
    await byContract.until((s) => s.last.subtotal === '1.20', 5_000, 'the usage from B');
    await byCustomer.until((s) => s.last.subtotal === '1.20', 5_000, 'the usage from B');

    // A credit grant made through B.
    const credits = subscribe<{ totals: Array<{ remaining: string }> }>(client, CREDITS, { customerId });
    await credits.count(1);
    await b.gqlOk(
      `mutation($id: ID!, $input: GrantPromotionalCreditsInput!) { grantPromotionalCredits(contractId: $id, input: $input) { id } }`,
      { id: contractId, input: { amountCents: '20' } },
      a.apiKey,
    );
    await credits.until((s) => s.last.totals[0]?.remaining === '0.20', 5_000, 'the grant from B');
    await byContract.until((s) => s.last.amountDue === '1.00', 5_000, 'credits applied');
    await client.dispose();
  });

  it('re-prices once per instance, not once per subscriber', async () => {
    const { planId } = await createCatalog(a, 'FANOUT_SHARED');
    const { customerId, contractId } = await createCustomerWithContract(a, planId, 'Shared Fan-out Co');
    const onA = liveClient(a, a.apiKey).client;
    const onB = liveClient(b, a.apiKey).client;
    const subs = [
      ...Array.from({ length: 5 }, () => subscribe<LiveInvoice>(onA, DRAFT_BY_CONTRACT, { contractId })),
      ...Array.from({ length: 5 }, () => subscribe<LiveInvoice>(onB, DRAFT_BY_CONTRACT, { contractId })),
    ];
    await Promise.all(subs.map((s) => s.count(1)));
    await sleep(300);
    const viewsA = jest.spyOn(a.app.services.invoices, 'views');
    const viewsB = jest.spyOn(b.app.services.invoices, 'views');
    try {
      await sendUsage(a, customerId, 3, { code: 'FANOUT_SHARED' });
      await a.app.workers.aggregator.drain();
      await Promise.all(subs.map((s) => s.until((x) => x.last.subtotal === '0.30', 5_000, 'the update')));
      expect(viewsA).toHaveBeenCalledTimes(1);
      expect(viewsB).toHaveBeenCalledTimes(1);
    } finally {
      viewsA.mockRestore();
      viewsB.mockRestore();
    }
    await Promise.all([onA.dispose(), onB.dispose()]);
  });
});
