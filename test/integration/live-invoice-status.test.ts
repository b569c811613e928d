import type { Client } from 'graphql-ws';
import { TestApp } from '../support/test-app';
import { createContract, createCustomer, finalizeInvoice } from '../support/billing-api';
import {
  CREDITS,
  createCatalog,
  createCustomerWithContract,
  liveClient,
  sendUsage,
  subscribe,
  type LiveInvoice,
} from './live.support';

/**
 * Live draft invoices follow finalization and voiding (over a real graphql-ws client): the subscriber of a
 * draft sees it become FINALIZED or VOID, and the draft of a contract is re-sent when another invoice of the
 * customer is finalized or voided and so moves the credits the draft would use.
 */
const FIELDS = 'id status number subtotal creditsApplied amountDue creditBalanceRemaining';
const BY_CONTRACT = `subscription($contractId: ID) { draftInvoiceUpdated(contractId: $contractId) { ${FIELDS} } }`;
const BY_CUSTOMER = `subscription($customerId: ID) { draftInvoiceUpdated(customerId: $customerId) { ${FIELDS} } }`;

interface Live extends LiveInvoice {
  number: string | null;
  creditBalanceRemaining: string | null;
}

describe('live draft invoices on finalization and void', () => {
  let t: TestApp;
  let client: Client;
  let planId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-10T12:00:00Z');
    ({ planId } = await createCatalog(t));
    client = liveClient(t, t.apiKey).client;
  });
  afterAll(async () => {
    await client.dispose();
    await t.stop();
  });

  const aggregate = () => t.app.workers.aggregator.drain();
  const voidInvoice = (id: string) =>
    t.gqlOk<{ voidInvoice: { status: string } }>('mutation($id: ID!) { voidInvoice(id: $id) { status } }', {
      id,
    });

  // No credits in these two: only the invoice's own status change can wake the feed.
  it('sends the draft again, FINALIZED and numbered, once finalizeInvoice commits', async () => {
    const { customerId, contractId } = await createCustomerWithContract(t, planId, 'Closing Co');
    await sendUsage(t, customerId, 12);
    await aggregate();
    const sub = subscribe<Live>(client, BY_CONTRACT, { contractId });
    await sub.count(1);
    expect(sub.values[0]).toMatchObject({ status: 'DRAFT', number: null, subtotal: '1.20' });

    const finalized = await finalizeInvoice(t, sub.values[0].id);
    await sub.until((s) => s.last.status === 'FINALIZED', 5_000, 'the finalized invoice');
    expect(sub.last).toMatchObject({
      id: sub.values[0].id,
      status: 'FINALIZED',
      number: finalized.number,
      subtotal: '1.20',
      amountDue: '1.20',
      creditBalanceRemaining: '0.00',
    });
    sub.dispose();
  });

  it('sends the draft again, VOID, once voidInvoice commits (customer-wide subscription)', async () => {
    const { customerId } = await createCustomerWithContract(t, planId, 'Cancelled Co');
    const sub = subscribe<Live>(client, BY_CUSTOMER, { customerId });
    await sub.count(1);
    expect(sub.values[0].status).toBe('DRAFT');

    await voidInvoice(sub.values[0].id);
    await sub.until((s) => s.last.status === 'VOID', 5_000, 'the voided invoice');
    expect(sub.last).toMatchObject({ id: sub.values[0].id, status: 'VOID', creditBalanceRemaining: null });
    sub.dispose();
  });

  it("re-sends a contract's draft when another invoice of the customer is finalized, then voided", async () => {
    // February's invoice ($3.00 of usage) and March's draft ($2.00) share $4.00 of credits.
    const customerId = await createCustomer(t, 'Shared Credits Co');
    const contractId = await createContract(t, {
      customerId,
      planId,
      startDate: '2026-02-01',
      creditGrantCents: 400,
    });
    await sendUsage(t, customerId, 30, { timestamp: '2026-02-15T00:00:00Z' });
    await sendUsage(t, customerId, 20);
    await aggregate();
    const { invoices } = await t.gqlOk<{ invoices: { nodes: Array<{ id: string; periodStart: string }> } }>(
      'query($id: ID!) { invoices(customerId: $id, first: 10) { nodes { id periodStart } } }',
      { id: customerId },
    );
    const february = invoices.nodes.find((i) => i.periodStart === '2026-02-01T00:00:00.000Z')!.id;

    const march = subscribe<Live>(client, BY_CONTRACT, { contractId });
    const wallet = subscribe<{ totals: Array<{ remaining: string }> }>(client, CREDITS, { customerId });
    await Promise.all([march.count(1), wallet.count(1)]);
    expect(march.values[0]).toMatchObject({
      status: 'DRAFT',
      subtotal: '2.00',
      creditsApplied: '2.00',
      creditBalanceRemaining: '2.00',
    });
    const marchId = march.values[0].id;
    expect(marchId).not.toBe(february);

    await finalizeInvoice(t, february);
    await march.until((s) => s.last.creditsApplied === '1.00', 5_000, 'the credits left after February');
    expect(march.last).toMatchObject({ id: marchId, amountDue: '1.00', creditBalanceRemaining: '0.00' });

    await voidInvoice(february);
    await march.until((s) => s.last.creditsApplied === '2.00', 5_000, "February's credits given back");
    expect(march.last).toMatchObject({
      id: marchId,
      status: 'DRAFT',
      amountDue: '0.00',
      creditBalanceRemaining: '2.00',
    });
    await wallet.until((s) => s.last.totals[0]?.remaining === '4.00', 5_000, 'the restored balance');
    march.dispose();
    wallet.dispose();
  });
});
