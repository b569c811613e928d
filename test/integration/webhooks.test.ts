import * as crypto from 'node:crypto';
import { finalizeInvoice, invoicesOf } from '../support/billing-api';
import { createSaasCatalog, SIGN_UP, type Gql } from '../support/saas-catalog';
import { TestApp } from '../support/test-app';
import { portalToken } from './live.support';
import {
  CREATE_ENDPOINT,
  createEndpoint,
  deliveries,
  grantCredits,
  Receiver,
  waitForDeliveries,
} from './webhooks.support';

/** The README's verification snippet (Webhooks), copied as is; only the parameter types are added. */
function verifyTallySignature(rawBody: string, header: string, secret: string, toleranceSeconds = 300) {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = crypto.createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

const PAY = `mutation($id: ID!, $input: PayInvoiceInput!) { payInvoice(invoiceId: $id, input: $input) { invoice { status } } }`;

/**
 * Webhooks end to end: a real Tally server, a real HTTP receiver on 127.0.0.1 (private URLs are allowed
 * outside production), retries on a fast backoff (20 ms base, 100 ms cap) so they come back within a test.
 */
describe('Webhooks', () => {
  let t: TestApp;
  let receiver: Receiver;
  let customerId: string;
  let contractId: string;
  let februaryId: string;
  let catalog: Awaited<ReturnType<typeof createSaasCatalog>>;

  beforeAll(async () => {
    t = await TestApp.start({ config: { webhookRetryBaseMs: 20, webhookRetryMaxMs: 100 } });
    receiver = await Receiver.start();
    t.clock.set('2026-02-01T10:00:00Z');
    catalog = await createSaasCatalog(t);
    const data = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
      input: {
        customer: { name: 'Hooked', externalId: 'hooked' },
        planId: catalog.proId,
        idempotencyKey: 'su-1',
      },
    });
    customerId = data.signUp.customer.id;
    contractId = data.signUp.contract.id;
    februaryId = (await invoicesOf(t, customerId)).find(
      (i) => i.periodStart === '2026-02-01T00:00:00.000Z',
    )!.id;
    // From here the clock follows real time: retries are due a few ms after a failure.
    t.clock.reset();
  });
  afterEach(async () => {
    receiver.releaseHung();
    await t.app.workers.webhooks.stop();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.stop();
  });

  it('manages endpoints with an API key only; bad input names the field', async () => {
    const created = await t.gqlOk<{ createWebhookEndpoint: Gql }>(CREATE_ENDPOINT, {
      url: receiver.url('/admin'),
      types: ['invoice.paid', 'invoice.paid', 'contract.created'],
      description: 'ERP',
    });
    const { secret, endpoint } = created.createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect(endpoint).toMatchObject({ eventTypes: ['invoice.paid', 'contract.created'], status: 'ENABLED' });
    const listed = await t.gqlOk<{ webhookEndpoints: Gql[] }>('{ webhookEndpoints { id url description } }');
    expect(listed.webhookEndpoints).toContainEqual({
      id: endpoint.id,
      url: receiver.url('/admin'),
      description: 'ERP',
    });

    const bad = async (vars: Record<string, unknown>) =>
      (await t.gql(CREATE_ENDPOINT, vars)).errors?.[0].extensions;
    expect(await bad({ url: 'ftp://example.com/hook', types: ['invoice.paid'] })).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'url',
    });
    expect(
      await bad({ url: 'https://example.com/hook', types: ['invoice.paid', 'invoice.exploded'] }),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'eventTypes.1',
    });
    expect(await bad({ url: 'https://example.com/hook', types: [] })).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'eventTypes',
    });

    const rotated = await t.gqlOk<{ rotateWebhookSecret: Gql }>(
      'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }',
      { id: endpoint.id },
    );
    expect(rotated.rotateWebhookSecret.secret).not.toEqual(secret);
    const disabled = await t.gqlOk<{ disableWebhookEndpoint: Gql }>(
      'mutation($id: ID!) { disableWebhookEndpoint(id: $id) { status } }',
      { id: endpoint.id },
    );
    expect(disabled.disableWebhookEndpoint.status).toBe('DISABLED');

    const portal = await portalToken(t, customerId);
    const refused = await t.gql('{ webhookEndpoints { id } }', {}, portal);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    await t.gqlOk('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id: endpoint.id });
    const after = await t.gqlOk<{ webhookEndpoints: Gql[] }>('{ webhookEndpoints { id } }');
    expect(after.webhookEndpoints.map((e: Gql) => e.id)).not.toContain(endpoint.id);
  });

  it('signs with the secret (verified by the README snippet); the envelope carries the invoice as finalized', async () => {
    const endpoint = await createEndpoint(t, receiver.url('/signed'), ['invoice.finalized', 'invoice.paid']);
    const other = await createEndpoint(t, receiver.url('/ordered'), ['invoice.finalized', 'invoice.paid']);
    // The receiver refuses the first finalized event twice with 503: the paid event of the same invoice,
    // recorded before the worker starts, must wait for it.
    receiver.script('/ordered', [{ status: 503 }, { status: 503 }]);
    const invoice = await finalizeInvoice(t, februaryId); // Pro fee 99 + 3 seats × 10 = 129.00
    expect(invoice.total).toBe('129.00');
    await t.gqlOk(PAY, { id: februaryId, input: { amount: '129', reference: 'wire-1' } });

    t.app.workers.webhooks.start();
    await waitForDeliveries(
      t,
      other.id,
      (rows) => rows.length === 2 && rows.every((r) => r.status === 'DELIVERED'),
    );
    await waitForDeliveries(
      t,
      endpoint.id,
      (rows) => rows.length === 2 && rows.every((r) => r.status === 'DELIVERED'),
    );

    const [first] = receiver.at('/signed');
    expect(verifyTallySignature(first.body, String(first.headers['tally-signature']), endpoint.secret)).toBe(
      true,
    );
    expect(
      verifyTallySignature(first.body + ' ', String(first.headers['tally-signature']), endpoint.secret),
    ).toBe(false);
    expect(verifyTallySignature(first.body, String(first.headers['tally-signature']), other.secret)).toBe(
      false,
    );
    expect(first.headers['tally-event-id']).toBe(first.event.id);
    expect(first.event).toMatchObject({
      type: 'invoice.finalized',
      apiVersion: '2026-12-01',
      data: {
        object: 'invoice',
        id: februaryId,
        status: 'FINALIZED',
        currency: 'USD',
        total: '129.00',
        amountDue: '129.00',
        amountPaid: '0.00',
      },
    });
    expect(receiver.at('/signed')[1].event).toMatchObject({
      type: 'invoice.paid',
      data: { id: februaryId, status: 'PAID', amountPaid: '129.00', amountDue: '0.00' },
    });

    // Per-object order: finalized (503), finalized (503), finalized (200), and only then paid.
    expect(receiver.at('/ordered').map((r) => r.event.type)).toEqual([
      'invoice.finalized',
      'invoice.finalized',
      'invoice.finalized',
      'invoice.paid',
    ]);
    const finalizedTries = receiver.at('/ordered').slice(0, 3);
    expect(new Set(finalizedTries.map((r) => r.headers['tally-event-id'])).size).toBe(1);
  });

  it('retries 500s and a 429 (Retry-After: 0), then delivers; every attempt is shown', async () => {
    const endpoint = await createEndpoint(t, receiver.url('/flaky'), ['credits.granted']);
    receiver.script('/flaky', [
      { status: 500, body: 'database down' },
      { status: 500, body: 'x'.repeat(3000) },
      { status: 429, headers: { 'retry-after': '0' } },
    ]);
    t.app.workers.webhooks.start();
    const grantId = await grantCredits(t, contractId, 2500, 'flaky-1');
    const [row] = await waitForDeliveries(t, endpoint.id, (rows) => rows[0]?.status === 'DELIVERED');
    expect(row).toMatchObject({
      objectId: grantId,
      eventType: 'credits.granted',
      attemptCount: 4,
      lastStatusCode: 200,
    });
    expect(row.attempts.map((a) => [a.statusCode, a.outcome])).toEqual([
      [500, 'RETRY'],
      [500, 'RETRY'],
      [429, 'RETRY'],
      [200, 'DELIVERED'],
    ]);
    expect(row.attempts[0].responseExcerpt).toBe('database down');
    expect(row.attempts[1].responseExcerpt).toHaveLength(1024); // 3,000 bytes answered, 1 KB kept
    // 2,500 cents = 25.00 USD
    expect(receiver.at('/flaky')[3].event.data).toMatchObject({
      object: 'credit_grant',
      amount: '25.00',
      remaining: '25.00',
    });
  });

  it('does not retry a 400: the delivery is dead at once, and resend sends the same event again', async () => {
    const endpoint = await createEndpoint(t, receiver.url('/strict'), ['credits.granted']);
    receiver.script('/strict', [{ status: 400, body: 'unknown field' }]);
    await grantCredits(t, contractId, 100, 'strict-1');
    await t.app.workers.webhooks.drain();
    await t.app.workers.webhooks.drain();
    const [dead] = await deliveries(t, endpoint.id, 'DEAD');
    expect(dead).toMatchObject({ attemptCount: 1, lastStatusCode: 400 });
    expect(dead.attempts).toEqual([
      expect.objectContaining({ statusCode: 400, outcome: 'FAILED', responseExcerpt: 'unknown field' }),
    ]);
    expect(receiver.at('/strict')).toHaveLength(1);

    const resent = await t.gqlOk<{ resendWebhookEvent: number }>(
      'mutation($id: ID!, $endpointId: ID) { resendWebhookEvent(eventId: $id, endpointId: $endpointId) }',
      { id: dead.eventId, endpointId: endpoint.id },
    );
    expect(resent.resendWebhookEvent).toBe(1);
    await t.app.workers.webhooks.drain();
    expect(receiver.at('/strict').map((r) => r.event.id)).toEqual([dead.eventId, dead.eventId]);
    expect((await deliveries(t, endpoint.id))[0].status).toBe('DELIVERED');
  });

  it('a receiver that hangs does not delay another endpoint', async () => {
    const slow = await createEndpoint(t, receiver.url('/hang'), ['credits.granted']);
    const fast = await createEndpoint(t, receiver.url('/fast'), ['credits.granted']);
    receiver.script('/hang', ['HANG', 'HANG', 'HANG', 'HANG', 'HANG', 'HANG']);
    t.app.workers.webhooks.start();
    await grantCredits(t, contractId, 100, 'hang-1');
    await receiver.waitFor(() => receiver.at('/fast').length === 1);
    await grantCredits(t, contractId, 100, 'hang-2');
    await receiver.waitFor(() => receiver.at('/fast').length === 2);
    // Both events reached the fast endpoint while the slow one still holds its requests open.
    await receiver.waitFor(() => receiver.at('/hang').length === 2);
    expect(receiver.openHungRequests).toBe(2);
    await waitForDeliveries(
      t,
      fast.id,
      (rows) => rows.length === 2 && rows.every((r) => r.status === 'DELIVERED'),
    );
    expect(receiver.openHungRequests).toBe(2);
    expect((await deliveries(t, slow.id)).map((d) => d.status)).toEqual(['PENDING', 'PENDING']);
    receiver.releaseHung();
    await waitForDeliveries(t, slow.id, (rows) => rows.every((r) => r.status === 'DELIVERED'));
  });

  it('records each change in its own transaction, in order per object; a refused change records nothing', async () => {
    const types = (await t.gqlOk<{ webhookEventTypes: string[] }>('{ webhookEventTypes }')).webhookEventTypes;
    expect(types).toHaveLength(13); // invoice.payment_failed included
    await createEndpoint(t, receiver.url('/all'), types);
    const signUp = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
      input: {
        customer: { name: 'Lifecycle', externalId: 'lifecycle' },
        planId: catalog.proId,
        idempotencyKey: 'su-2',
      },
    });
    const contract = signUp.signUp.contract.id as string;
    const change = `mutation($c: ID!, $p: ID!, $q: Decimal!, $k: String!) {
      changeQuantity(contractId: $c, pricingId: $p, quantity: $q, idempotencyKey: $k) { replayed } }`;
    await t.gqlOk(change, { c: contract, p: catalog.seatFeeId, q: '5', k: 'seats-5' });
    const refused = await t.gql(change, { c: contract, p: catalog.seatFeeId, q: '-1', k: 'seats-minus' });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    await t.gqlOk(
      'mutation($c: ID!) { cancelContract(contractId: $c, idempotencyKey: "bye") { replayed } }',
      {
        c: contract,
      },
    );
    const [draft] = await invoicesOf(t, signUp.signUp.customer.id, 'DRAFT');
    await t.gqlOk('mutation($id: ID!) { voidInvoice(id: $id) { status } }', { id: draft.id });

    await t.app.workers.webhooks.drain();
    const about = (id: string) => receiver.at('/all').filter((r) => r.event.data.id === id);
    // One event per committed change (the refused one wrote none), in the order they happened.
    expect(about(contract).map((r) => r.event.type)).toEqual([
      'contract.created',
      'contract.amended',
      'contract.cancelled',
    ]);
    expect(about(draft.id).map((r) => [r.event.type, r.event.data.status])).toEqual([
      ['invoice.voided', 'VOID'],
    ]);
  });

  it('records contract_draft.created and contract_draft.confirmed with the draft as it then is', async () => {
    await createEndpoint(t, receiver.url('/drafts'), [
      'contract_draft.created',
      'contract_draft.confirmed',
      'contract.created',
    ]);
    const created = await t.gqlOk<{ createContractDraft: { id: string } }>(
      'mutation($input: ContractDraftInput!) { createContractDraft(input: $input) { id } }',
      {
        input: {
          proposedCustomer: { name: 'Drafted Co' },
          currency: 'USD',
          contractStart: '2026-02-01',
          contractEnd: '2027-01-31',
          paymentTermsDays: 30,
          billingCycle: 'MONTHLY',
          plan: { planId: catalog.proId },
        },
      },
    );
    const id = created.createContractDraft.id;
    await t.gqlOk('mutation($id: ID!) { confirmContractDraft(id: $id) { status } }', { id });
    await t.app.workers.webhooks.drain();
    const about = receiver.at('/drafts').filter((r) => r.event.data.id === id);
    expect(about.map((r) => [r.event.type, r.event.data.status])).toEqual([
      ['contract_draft.created', 'PENDING'],
      ['contract_draft.confirmed', 'CONFIRMED'],
    ]);
    const contractId = about[1].event.data.confirmedContractId;
    expect(
      receiver
        .at('/drafts')
        .filter((r) => r.event.data.id === contractId)
        .map((r) => r.event.type),
    ).toEqual(['contract.created']);
  });
});

/** The production rule for endpoint URLs: https to public addresses only (as for Salesforce URLs). */
describe('Webhook URLs in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ config: { webhooksAllowPrivateUrls: false }, databaseSuffix: 'production' });
  });
  afterAll(() => t.stop());

  it.each([
    'http://127.0.0.1:8080/hook',
    'https://127.0.0.1/hook',
    'https://localhost/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://10.1.2.3/hook',
    'http://93.184.215.14/hook',
  ])('refuses %s, naming the url', async (url) => {
    const result = await t.gql(CREATE_ENDPOINT, { url, types: ['invoice.paid'] });
    expect(result.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'url' });
  });

  it('accepts https to a public address', async () => {
    const data = await t.gqlOk<{ createWebhookEndpoint: Gql }>(CREATE_ENDPOINT, {
      url: 'https://93.184.215.14/hook',
      types: ['invoice.paid'],
    });
    expect(data.createWebhookEndpoint.endpoint.status).toBe('ENABLED');
  });
});
