import { createContract, createCustomer, finalizeInvoice, invoicesOf } from '../support/billing-api';
import { createSaasCatalog, type Gql, type SaasCatalog } from '../support/saas-catalog';
import { TestApp } from '../support/test-app';

const ADD = `mutation($c: ID!, $t: String!, $d: Boolean) {
  addPaymentMethod(customerId: $c, token: $t, makeDefault: $d) { id }
}`;
const PAYMENTS = `query($id: ID!) {
  invoice(id: $id) { status amountPaid amountDue payments { reference status amount } }
}`;

/** Auto-pay on finalization with the default payment method, retried on the dunning schedule (0, 1, 3, 7 days). */
describe('Auto-pay and dunning', () => {
  let t: TestApp;
  let catalog: SaasCatalog;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-05-01T08:00:00Z');
    catalog = await createSaasCatalog(t);
    await t.gqlOk(
      'mutation { createWebhookEndpoint(url: "http://127.0.0.1:9/hook", eventTypes: ["invoice.payment_failed"]) { endpoint { id } } }',
    );
  });
  afterAll(() => t.stop());

  /** A Starter contract (29.00 a month) from May 1, its May invoice finalized on June 2. */
  async function mayInvoice(name: string, autoPay: boolean, card: string | null): Promise<string> {
    t.clock.set('2026-05-01T08:00:00Z');
    const customerId = await createCustomer(t, name);
    await createContract(t, { customerId, planId: catalog.starterId, startDate: '2026-05-01', autoPay });
    if (card) await t.gqlOk(ADD, { c: customerId, t: card });
    t.clock.set('2026-06-02T00:00:00Z');
    const may = (await invoicesOf(t, customerId)).find((i) => i.periodStart.startsWith('2026-05'))!;
    await finalizeInvoice(t, may.id);
    return may.id;
  }

  const history = async (id: string) => (await t.gqlOk<{ invoice: Gql }>(PAYMENTS, { id })).invoice;
  const attempts = async (id: string) =>
    (await history(id)).payments.map((p: Gql) => `${p.reference.split(':')[2]} ${p.status} ${p.amount}`);

  async function runAt(at: string): Promise<void> {
    t.clock.set(at);
    await t.app.workers.autoPay.drain();
  }

  it('charges at finalization; a declined card is retried after 1, 3 and 7 days, then given up', async () => {
    const declined = await mayInvoice('Declined', true, 'tok_visa_0002');
    const manual = await mayInvoice('No auto-pay', false, 'tok_visa_4242');
    const noCard = await mayInvoice('No card', true, null);

    await runAt('2026-06-02T00:00:00Z');
    expect(await attempts(declined)).toEqual(['1 FAILED 29.00']);
    // Half a day later: the first retry is due one day after finalization (June 3).
    await runAt('2026-06-02T12:00:00Z');
    expect(await attempts(declined)).toHaveLength(1);
    await runAt('2026-06-03T00:00:00Z');
    await runAt('2026-06-05T00:00:00Z');
    await runAt('2026-06-09T00:00:00Z');
    await runAt('2026-07-09T00:00:00Z');
    expect(await attempts(declined)).toEqual([
      '1 FAILED 29.00',
      '2 FAILED 29.00',
      '3 FAILED 29.00',
      '4 FAILED 29.00',
    ]);
    expect((await history(declined)).status).toBe('FINALIZED');
    // Each failed attempt is an invoice.payment_failed webhook event.
    const [{ n }] = (await t.app.db.query(
      "SELECT COUNT(*) AS n FROM webhook_events WHERE type = 'invoice.payment_failed' AND object_id = ?",
      [declined],
    )) as Array<{ n: string }>;
    expect(Number(n)).toBe(4);
    // Without auto-pay, or without a payment method, nothing is charged.
    expect(await attempts(manual)).toEqual([]);
    expect(await attempts(noCard)).toEqual([]);
  });

  it('charges the new default card at the next retry and the invoice is paid', async () => {
    const invoiceId = await mayInvoice('Card change', true, 'tok_amex_0002');
    await runAt('2026-06-02T00:00:00Z');
    const owner = (
      await t.gqlOk<{ invoice: Gql }>('query($id: ID!) { invoice(id: $id) { customer { id } } }', {
        id: invoiceId,
      })
    ).invoice.customer.id;
    await t.gqlOk(ADD, { c: owner, t: 'tok_mastercard_4444', d: true });
    await runAt('2026-06-03T00:00:00Z');
    expect(await attempts(invoiceId)).toEqual(['1 FAILED 29.00', '2 SUCCEEDED 29.00']);
    // 29.00 paid of 29.00.
    expect(await history(invoiceId)).toMatchObject({
      status: 'PAID',
      amountPaid: '29.00',
      amountDue: '0.00',
    });
  });
});
