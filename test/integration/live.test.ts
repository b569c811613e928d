import type { Client } from 'graphql-ws';
import { liveTopics } from '../../src/services/common';
import { TestApp } from '../support/test-app';
import { createCustomer, createContract } from '../support/billing-api';
import {
  CREDITS,
  DRAFT_BY_CONTRACT,
  DRAFT_BY_CUSTOMER,
  createCatalog,
  createCustomerWithContract,
  liveClient,
  sendUsage,
  sleep,
  subscribe,
  type LiveInvoice,
} from './live.support';

/**
 * Live draft invoices and credit balances over a real graphql-ws client and WebSocket: first message,
 * updates after committed changes (usage, credits, rate cards, contracts), coalescing, ordering, sharing.
 */
describe('live subscriptions', () => {
  let t: TestApp;
  let client: Client;
  let planId: string;
  let rateCardId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-10T12:00:00Z');
    ({ planId, rateCardId } = await createCatalog(t));
    client = liveClient(t, t.apiKey).client;
  });
  afterAll(async () => {
    await client.dispose();
    await t.stop();
  });

  const aggregate = () => t.app.workers.aggregator.drain();

  it('sends the current draft invoice first, then each committed change', async () => {
    const { customerId, contractId } = await createCustomerWithContract(t, planId, 'First Co');
    await sendUsage(t, customerId, 10);
    await aggregate();

    const sub = subscribe<LiveInvoice>(client, DRAFT_BY_CONTRACT, { contractId });
    await sub.count(1);
    expect(sub.values[0]).toMatchObject({ status: 'DRAFT', subtotal: '1.00', amountDue: '1.00' });
    expect(sub.values[0].lines).toEqual([
      expect.objectContaining({ quantity: '10', rate: '0.1', amount: '1.00' }),
    ]);

    // Accepted is not enough: the message comes once the aggregator has committed the usage.
    await sendUsage(t, customerId, 5);
    await sleep(400);
    expect(sub.values).toHaveLength(1);
    await aggregate();
    await sub.count(2);
    expect(sub.last).toMatchObject({ subtotal: '1.50', amountDue: '1.50' });
    expect(sub.last.lines[0]).toMatchObject({ quantity: '15', amount: '1.50' });
    sub.dispose();
  });

  it('is the same Invoice as the draftInvoice query', async () => {
    const { customerId, contractId } = await createCustomerWithContract(t, planId, 'Same Co');
    await sendUsage(t, customerId, 3);
    await aggregate();
    const sub = subscribe<LiveInvoice>(client, DRAFT_BY_CONTRACT, { contractId });
    await sub.count(1);
    const { draftInvoice } = await t.gqlOk<{ draftInvoice: LiveInvoice }>(
      `query($id: ID!) { draftInvoice(contractId: $id) {
         id status currency periodStart periodEnd subtotal creditsApplied total amountDue
         lines { description meterCode quantity rate amount creditsApplied } } }`,
      { id: contractId },
    );
    expect(sub.values[0]).toEqual(draftInvoice);
    sub.dispose();
  });

  it('coalesces a burst into few messages, in order, ending with the latest state', async () => {
    const { customerId, contractId } = await createCustomerWithContract(t, planId, 'Burst Co');
    const sub = subscribe<LiveInvoice>(client, DRAFT_BY_CONTRACT, { contractId });
    await sub.count(1);
    expect(sub.values[0].subtotal).toBe('0.00');

    // 40 separate commits in quick succession, each followed by its own aggregation and notification.
    for (let i = 1; i <= 40; i++) {
      await sendUsage(t, customerId, 1);
      await aggregate();
    }
    await sub.until((s) => s.last.subtotal === '4.00', 10_000, 'the final state');
    await sleep(600); // nothing else may follow the latest state
    const subtotals = sub.values.map((v) => Number(v.subtotal));
    expect(sub.last.subtotal).toBe('4.00');
    expect(sub.values.length).toBeLessThan(20);
    // Ordered: amounts only grow, and no state is sent twice.
    for (let i = 1; i < subtotals.length; i++) expect(subtotals[i]).toBeGreaterThan(subtotals[i - 1]);
    // At most one message per 250 ms (a little slack for timers).
    for (let i = 2; i < sub.arrivals.length; i++) {
      expect(sub.arrivals[i] - sub.arrivals[i - 1]).toBeGreaterThanOrEqual(200);
    }
    sub.dispose();
  });

  it('does not send when the amounts did not change', async () => {
    const { customerId, contractId } = await createCustomerWithContract(t, planId, 'Quiet Co');
    const sub = subscribe<LiveInvoice>(client, DRAFT_BY_CONTRACT, { contractId });
    await sub.count(1);
    // Usage of another meter the plan does not price, and a bare notification: nothing to send.
    await t.app.services.pubsub.publish(liveTopics.usage(t.environmentId, customerId), {});
    await t.app.services.pubsub.publish(liveTopics.catalog(t.environmentId), {});
    await sleep(700);
    expect(sub.values).toHaveLength(1);
    sub.dispose();
  });

  it('re-prices on a rate card change, a credit grant and a new contract', async () => {
    const { customerId, contractId } = await createCustomerWithContract(t, planId, 'Changes Co');
    await sendUsage(t, customerId, 10, { region: 'EU' }); // no EU entry yet: the $0.50 fallback
    await aggregate();
    const byContract = subscribe<LiveInvoice>(client, DRAFT_BY_CONTRACT, { contractId });
    const byCustomer = subscribe<LiveInvoice>(client, DRAFT_BY_CUSTOMER, { customerId });
    await byContract.count(1);
    await byCustomer.count(1);
    expect(byContract.values[0].subtotal).toBe('5.00');

    await t.gqlOk(
      `mutation($id: ID!, $entries: [RateCardEntryInput!]!) { addRateCardEntries(rateCardId: $id, entries: $entries) { id } }`,
      { id: rateCardId, entries: [{ dimensions: { region: 'EU' }, rate: '0.20' }] },
    );
    await byContract.until((s) => s.last.subtotal === '2.00', 5_000, 'the EU rate');
    expect(byContract.last.lines[0]).toMatchObject({ rate: '0.2', amount: '2.00' });

    await t.gqlOk(
      `mutation($id: ID!, $input: GrantPromotionalCreditsInput!) { grantPromotionalCredits(contractId: $id, input: $input) { id } }`,
      { id: contractId, input: { amountCents: '50', description: 'Welcome' } },
    );
    await byContract.until((s) => s.last.creditsApplied === '0.50', 5_000, 'credits applied');
    expect(byContract.last).toMatchObject({ subtotal: '2.00', creditsApplied: '0.50', amountDue: '1.50' });

    // A second contract of the customer (another plan): the customer-wide subscription gets its invoice too.
    const sms = await createCatalog(t, 'SMS');
    const second = await createContract(t, { customerId, planId: sms.planId, startDate: '2026-03-05' });
    await byCustomer.until((s) => new Set(s.values.map((v) => v.id)).size >= 2, 5_000, 'the new contract');
    const { draftInvoice } = await t.gqlOk<{ draftInvoice: { id: string } }>(
      'query($id: ID!) { draftInvoice(contractId: $id) { id } }',
      { id: second },
    );
    expect(byCustomer.last.id).toBe(draftInvoice.id);
    expect(byContract.values.map((v) => v.id).every((id) => id === byContract.values[0].id)).toBe(true);
    byContract.dispose();
    byCustomer.dispose();
  });

  it('shares one re-pricing between subscribers of the same contract', async () => {
    const { customerId, contractId } = await createCustomerWithContract(t, planId, 'Shared Co');
    const subs = Array.from({ length: 20 }, () =>
      subscribe<LiveInvoice>(client, DRAFT_BY_CONTRACT, { contractId }),
    );
    await Promise.all(subs.map((s) => s.count(1)));
    await sleep(300);
    const views = jest.spyOn(t.app.services.invoices, 'views');
    try {
      await sendUsage(t, customerId, 7);
      await aggregate();
      await Promise.all(subs.map((s) => s.until((x) => x.last.subtotal === '0.70', 5_000, 'the update')));
      expect(views).toHaveBeenCalledTimes(1);
    } finally {
      views.mockRestore();
    }
    for (const s of subs) s.dispose();
  });

  it('leaves nothing behind when clients complete or disconnect', async () => {
    const { customerId, contractId } = await createCustomerWithContract(t, planId, 'Leak Co');
    const topic = liveTopics.usage(t.environmentId, customerId);
    const before = t.app.services.live.feeds.stats();
    const other = liveClient(t, t.apiKey).client;
    const a = subscribe<LiveInvoice>(client, DRAFT_BY_CONTRACT, { contractId });
    const b = subscribe<LiveInvoice>(other, DRAFT_BY_CUSTOMER, { customerId });
    const c = subscribe<unknown>(other, CREDITS, { customerId });
    await Promise.all([a.count(1), b.count(1), c.count(1)]);
    expect(t.app.services.pubsub.listenerCount(topic)).toBe(2); // one per feed, not per subscriber
    expect(t.app.services.live.feeds.stats().feeds).toBe(before.feeds + 3);

    a.dispose(); // complete
    await other.dispose(); // disconnect
    const deadline = Date.now() + 5_000;
    while (t.app.services.live.feeds.stats().feeds > before.feeds && Date.now() < deadline) await sleep(20);
    expect(t.app.services.live.feeds.stats()).toMatchObject({
      feeds: before.feeds,
      subscribers: before.subscribers,
    });
    expect(t.app.services.pubsub.listenerCount(topic)).toBe(0);
  });

  it('streams the credit balance', async () => {
    const { customerId, contractId } = await createCustomerWithContract(t, planId, 'Wallet Co');
    const sub = subscribe<{ customerId: string; totals: Array<{ currency: string; remaining: string }> }>(
      client,
      CREDITS,
      { customerId },
    );
    await sub.count(1);
    expect(sub.values[0]).toEqual({ customerId, totals: [] });
    await t.gqlOk(
      `mutation($id: ID!, $input: GrantPromotionalCreditsInput!) { grantPromotionalCredits(contractId: $id, input: $input) { id } }`,
      { id: contractId, input: { amountCents: '1250', description: 'Goodwill' } },
    );
    await sub.count(2);
    expect(sub.last.totals).toEqual([{ currency: 'USD', granted: '12.50', remaining: '12.50' }]);
    sub.dispose();
  });

  it('answers a customer without contracts with null, and a bad argument with its code', async () => {
    const customerId = await createCustomer(t, 'Nothing Co');
    const empty = subscribe<LiveInvoice | null>(client, DRAFT_BY_CUSTOMER, { customerId });
    await empty.count(1);
    expect(empty.values[0]).toBeNull();
    empty.dispose();

    const none = subscribe<LiveInvoice>(client, `subscription { draftInvoiceUpdated { id } }`, {});
    expect((await none.failed())[0].extensions?.code).toBe('BAD_USER_INPUT');
    const missing = subscribe<LiveInvoice>(client, DRAFT_BY_CONTRACT, { contractId: 'ctr_missing' });
    expect((await missing.failed())[0].extensions?.code).toBe('NOT_FOUND');
  });
});
