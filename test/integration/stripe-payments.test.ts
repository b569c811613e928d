import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createContract, createCustomer, finalizeInvoice, invoicesOf } from '../support/billing-api';
import { createSaasCatalog, errorOf, type Gql, type SaasCatalog } from '../support/saas-catalog';
import { TestApp } from '../support/test-app';

const SECRET_KEY = 'sk_test_0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_0123456789abcdef';

interface IntentRequest {
  params: Record<string, string>;
  idempotencyKey: string | undefined;
}

/**
 * A local fake of the few Stripe endpoints Tally calls, shaped like Stripe's answers: payment methods
 * by id, and PaymentIntents confirmed at once (a replayed idempotency key returns the first answer).
 */
class FakeStripe {
  readonly intents: IntentRequest[] = [];
  private readonly byKey = new Map<string, { status: number; body: unknown }>();
  private server!: Server;
  url = '';

  private readonly cards: Record<
    string,
    { last4: string; outcome: 'succeeded' | 'declined' | 'processing' }
  > = {
    pm_card_visa: { last4: '4242', outcome: 'succeeded' },
    pm_card_mastercard: { last4: '4444', outcome: 'succeeded' },
    pm_card_chargeDeclined: { last4: '0002', outcome: 'declined' },
    pm_card_processing: { last4: '1111', outcome: 'processing' },
  };

  async start(): Promise<void> {
    this.server = createServer(
      (req, res) =>
        void this.handle(req).then(({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        }),
    );
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    if (req.headers.authorization !== `Bearer ${SECRET_KEY}`) {
      return { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key' } } };
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = /^\/v1\/payment_methods\/([^/]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && method) {
      const card = this.cards[method[1]];
      if (!card)
        return { status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing' } } };
      return {
        status: 200,
        body: {
          id: method[1],
          type: 'card',
          card: { brand: 'visa', last4: card.last4, exp_month: 12, exp_year: 2031 },
        },
      };
    }
    if (req.method === 'POST' && req.url === '/v1/payment_intents') {
      const key = req.headers['idempotency-key'] as string | undefined;
      if (key && this.byKey.has(key)) return this.byKey.get(key)!;
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      this.intents.push({ params, idempotencyKey: key });
      const id = `pi_${this.intents.length}`;
      const outcome = this.cards[params.payment_method]?.outcome;
      const answer =
        outcome === 'declined'
          ? {
              status: 402,
              body: {
                error: {
                  type: 'card_error',
                  code: 'card_declined',
                  decline_code: 'insufficient_funds',
                  payment_intent: {
                    id,
                    status: 'requires_payment_method',
                    amount: Number(params.amount),
                    currency: params.currency,
                  },
                },
              },
            }
          : {
              status: 200,
              body: {
                id,
                status: outcome ?? 'requires_payment_method',
                amount: Number(params.amount),
                currency: params.currency,
              },
            };
      if (key) this.byKey.set(key, answer);
      return answer;
    }
    return {
      status: 404,
      body: { error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } },
    };
  }
}

/** The Stripe adapter: payment methods from pm_ tokens, auto-pay charges as PaymentIntents, webhook confirmation. */
describe('Stripe payments (against a local fake of the Stripe API)', () => {
  const stripe = new FakeStripe();
  let t: TestApp;
  let catalog: SaasCatalog;

  beforeAll(async () => {
    await stripe.start();
    t = await TestApp.start({
      config: { stripeSecretKey: SECRET_KEY, stripeApiUrl: stripe.url, stripeWebhookSecret: WEBHOOK_SECRET },
    });
    t.clock.set('2026-05-01T08:00:00Z');
    catalog = await createSaasCatalog(t);
  });
  afterAll(async () => {
    await t.stop();
    await stripe.stop();
  });

  const ADD = `mutation($c: ID!, $t: String!) {
    addPaymentMethod(customerId: $c, token: $t, provider: "stripe") { id provider brand last4 expMonth expYear isDefault }
  }`;
  const INVOICE = `query($id: ID!) { invoice(id: $id) { status amountPaid payments { status amount reference } } }`;

  /** A Starter customer on auto-pay (29.00 a month) with a Stripe card; its May invoice finalized June 2. */
  async function autoPayCustomer(name: string, card: string): Promise<string> {
    t.clock.set('2026-05-01T08:00:00Z');
    const customerId = await createCustomer(t, name);
    await createContract(t, {
      customerId,
      planId: catalog.starterId,
      startDate: '2026-05-01',
      autoPay: true,
    });
    await t.gqlOk(ADD, { c: customerId, t: card });
    t.clock.set('2026-06-02T00:00:00Z');
    const may = (await invoicesOf(t, customerId)).find((i) => i.periodStart.startsWith('2026-05'))!;
    await finalizeInvoice(t, may.id);
    await t.app.workers.autoPay.drain();
    return may.id;
  }

  function signed(body: string, secret = WEBHOOK_SECRET): string {
    const ts = Math.floor(t.clock.now().getTime() / 1000);
    return `t=${ts},v1=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
  }

  async function webhook(event: unknown, signature?: string): Promise<{ status: number; body: Gql }> {
    const body = JSON.stringify(event);
    const response = await fetch(`${t.url}/v1/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature ?? signed(body) },
      body,
    });
    return { status: response.status, body: await response.json() };
  }

  it('adds a card from its pm_ id with what Stripe says about it, and refuses an id Stripe does not know', async () => {
    const customerId = await createCustomer(t, 'Card check');
    const added = (await t.gqlOk<{ addPaymentMethod: Gql }>(ADD, { c: customerId, t: 'pm_card_visa' }))
      .addPaymentMethod;
    expect(added).toMatchObject({
      provider: 'stripe',
      brand: 'visa',
      last4: '4242',
      expMonth: 12,
      expYear: 2031,
      isDefault: true,
    });
    expect(errorOf(await t.gql(ADD, { c: customerId, t: 'pm_unknown' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'token',
    });
  });

  it('charges auto-pay as a PaymentIntent in cents, keyed by the attempt, and records a decline with its code', async () => {
    const paid = await autoPayCustomer('Stripe payer', 'pm_card_mastercard');
    // 29.00 USD = 2900 cents.
    expect(stripe.intents.at(-1)).toEqual({
      params: expect.objectContaining({
        amount: '2900',
        currency: 'usd',
        payment_method: 'pm_card_mastercard',
        confirm: 'true',
        off_session: 'true',
      }),
      idempotencyKey: `tally-autopay:${paid}:1`,
    });
    expect((await t.gqlOk<{ invoice: Gql }>(INVOICE, { id: paid })).invoice).toMatchObject({
      status: 'PAID',
      amountPaid: '29.00',
    });

    const declined = await autoPayCustomer('Stripe decliner', 'pm_card_chargeDeclined');
    const invoice = (await t.gqlOk<{ invoice: Gql }>(INVOICE, { id: declined })).invoice;
    expect(invoice).toMatchObject({ status: 'FINALIZED', payments: [{ status: 'FAILED', amount: '29.00' }] });
    const [row] = (await t.app.db.query(
      'SELECT failure_reason AS reason FROM payments WHERE invoice_id = ?',
      [declined],
    )) as Array<{ reason: string }>;
    expect(row.reason).toBe('insufficient_funds');
  });

  it('keeps a processing charge PENDING until a signed webhook confirms it; bad signatures change nothing', async () => {
    const invoiceId = await autoPayCustomer('Stripe slow', 'pm_card_processing');
    expect((await t.gqlOk<{ invoice: Gql }>(INVOICE, { id: invoiceId })).invoice).toMatchObject({
      status: 'FINALIZED',
      payments: [{ status: 'PENDING' }],
    });
    const intentId = `pi_${stripe.intents.length}`;
    // The next day's retry does not charge again while the first charge is processing.
    t.clock.set('2026-06-03T00:00:00Z');
    await t.app.workers.autoPay.drain();
    expect(stripe.intents.filter((i) => i.params['metadata[tally_invoice_id]'] === invoiceId)).toHaveLength(
      1,
    );
    const event = {
      type: 'payment_intent.succeeded',
      data: { object: { id: intentId, object: 'payment_intent' } },
    };
    expect((await webhook(event, signed(JSON.stringify(event), 'whsec_wrong_secret_0000'))).status).toBe(400);
    expect((await t.gqlOk<{ invoice: Gql }>(INVOICE, { id: invoiceId })).invoice.status).toBe('FINALIZED');

    expect(await webhook(event)).toEqual({
      status: 200,
      body: { received: true, applied: true, status: 'SUCCEEDED' },
    });
    expect((await t.gqlOk<{ invoice: Gql }>(INVOICE, { id: invoiceId })).invoice).toMatchObject({
      status: 'PAID',
      amountPaid: '29.00',
      payments: [{ status: 'SUCCEEDED' }],
    });
    // Stripe redelivers: acknowledged, applied once.
    expect((await webhook(event)).body).toMatchObject({ applied: false });
    // Events about intents Tally did not create are acknowledged and ignored.
    expect(
      (await webhook({ type: 'payment_intent.succeeded', data: { object: { id: 'pi_elsewhere' } } })).body,
    ).toEqual({
      received: true,
      applied: false,
    });
  });
});
