import { liveTopics } from '../../src/services/common';
import { invoicesOf, type InvoiceResult } from '../support/billing-api';
import {
  connectSalesforce,
  outboxRows,
  createSaasCatalog,
  errorOf,
  SIGN_UP,
  type Gql,
  type SaasCatalog,
} from '../support/saas-catalog';
import { TestApp } from '../support/test-app';

const PREVIEW_FIELDS = `
  invoiceId status currency periodStart periodEnd subtotal creditsApplied total amountDue
  lines {
    position kind description meterCode dimensions quantity rate unitSize preciseAmount amount rateSource
    creditsApplied serviceFrom serviceTo
  }
`;
const PREVIEW_CHANGE = `query($c: ID!, $change: ContractChangeInput!) {
  previewContractChange(contractId: $c, change: $change) {
    contractId currency kind effectiveAt totalBefore totalAfter difference
    invoices { ${PREVIEW_FIELDS} }
    invoicesBefore { ${PREVIEW_FIELDS} }
  }
}`;
const PREVIEW_SIGN_UP = `query($input: SignUpPreviewInput!) {
  previewSignUp(input: $input) { currency invoices { ${PREVIEW_FIELDS} } }
}`;

/**
 * Price previews before every change: each preview is compared field by field with the invoices the very
 * same change bills once applied at the same instant, and a preview must leave no trace (rows, outbox,
 * idempotency keys, live messages).
 */
describe('Price preview before every self-serve change', () => {
  let t: TestApp;
  let catalog: SaasCatalog;
  let customerId: string;
  let contractId: string;
  const published: string[] = [];

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-05-01T08:00:00Z');
    catalog = await createSaasCatalog(t);
    await connectSalesforce(t);
    // A webhook endpoint, so applying a change records webhook events (a preview must record none).
    await t.gqlOk(
      `mutation { createWebhookEndpoint(url: "http://127.0.0.1:9/hook", eventTypes: ["contract.amended", "contract.cancelled"]) { endpoint { id } } }`,
    );
  });
  afterAll(() => t.stop());

  /** Everything a change writes: if a preview left any of it behind, the snapshot differs. */
  async function footprint(): Promise<string> {
    const tables = [
      'SELECT id, plan_id, status, end_date, billing_cycle, billing_anchor, auto_renew FROM contracts ORDER BY id',
      'SELECT id, pricing_id, quantity, starts_at, ends_at FROM contract_items ORDER BY id',
      'SELECT id FROM contract_amendments ORDER BY id',
      'SELECT id, status, period_start, period_end FROM invoices ORDER BY id',
      'SELECT id, status, expires_at FROM credit_grants ORDER BY id',
      'SELECT id FROM credit_ledger_entries ORDER BY id',
      'SELECT id FROM idempotency_records ORDER BY id',
      'SELECT id FROM crm_outbox ORDER BY id',
      'SELECT id FROM webhook_events ORDER BY id',
      'SELECT id FROM customers ORDER BY id',
    ];
    const rows = await Promise.all(tables.map((sql) => t.app.db.query(sql)));
    return JSON.stringify(rows);
  }

  function listen(customer: string): () => void {
    const offs = (['contracts', 'invoices', 'credits'] as const).map((topic) =>
      t.app.services.pubsub.subscribe(liveTopics[topic](t.environmentId, customer), () =>
        published.push(topic),
      ),
    );
    return () => offs.forEach((off) => off());
  }

  /** Previews `change`, checks it left nothing, applies the same change, and compares the invoices. */
  async function previewThenApply(
    change: Record<string, unknown>,
    apply: string,
    vars: Record<string, unknown>,
  ) {
    const before = await footprint();
    const outboxBefore = (await outboxRows(t)).length;
    const [{ n: events }] = (await t.app.db.query('SELECT COUNT(*) AS n FROM webhook_events')) as Array<{
      n: string;
    }>;
    const webhookEventsBefore = Number(events);
    const stop = listen(customerId);
    published.length = 0;
    const preview = (await t.gqlOk<{ previewContractChange: Gql }>(PREVIEW_CHANGE, { c: contractId, change }))
      .previewContractChange;
    expect(published).toEqual([]);
    expect(await footprint()).toEqual(before);

    await t.gqlOk(apply, { c: contractId, ...vars });
    stop();
    // Applying writes (the amendment, its idempotency record, the CRM outbox row…) and announces the change,
    // so the unchanged footprint and the silence above are meaningful.
    expect(published).toContain('contracts');
    expect(await footprint()).not.toEqual(before);
    expect(await outboxRows(t)).not.toHaveLength(outboxBefore);
    const [{ n }] = (await t.app.db.query('SELECT COUNT(*) AS n FROM webhook_events')) as Array<{
      n: string;
    }>;
    expect(Number(n)).toBeGreaterThan(webhookEventsBefore);
    const applied = await invoicesOf(t, customerId);
    for (const invoice of preview.invoices as Gql[]) {
      const actual = applied.find((i) => i.periodStart === invoice.periodStart && i.status !== 'VOID');
      expect(actual).toBeDefined();
      if (invoice.invoiceId !== null) expect(invoice.invoiceId).toBe(actual!.id);
      expect(invoice).toEqual({ invoiceId: invoice.invoiceId, ...comparable(actual!) });
    }
    return preview;
  }

  function comparable(invoice: InvoiceResult): Record<string, unknown> {
    const { id, number, issuedAt, dueDate, amountPaid, contract, customer, ...rest } = invoice as Gql;
    void [id, number, issuedAt, dueDate, amountPaid, contract, customer];
    return rest;
  }

  const totals = (preview: Gql) =>
    (preview.invoices as Gql[]).map((i) => `${i.periodStart.slice(0, 10)} ${i.total}`);

  it('previews sign-up: the first invoice and the next, as signUp then bills them, creating nothing', async () => {
    const input = {
      customer: { name: 'Preview Co', externalId: 'preview' },
      planId: catalog.proId,
      promotionalCredits: { amountCents: '2000' },
    };
    const before = await footprint();
    const preview = (await t.gqlOk<{ previewSignUp: Gql }>(PREVIEW_SIGN_UP, { input })).previewSignUp;
    expect(await footprint()).toEqual(before);
    // Pro: fee 99 + 3 seats × 10 = 129.00 a month, from May 1 (today) on a monthly cycle.
    expect(totals(preview)).toEqual(['2026-05-01 129.00', '2026-06-01 129.00']);

    const data = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
      input: { ...input, idempotencyKey: 'signup-preview' },
    });
    customerId = data.signUp.customer.id;
    contractId = data.signUp.contract.id;
    const applied = (await invoicesOf(t, customerId)).reverse();
    expect(preview.invoices).toEqual(applied.map((i) => ({ invoiceId: null, ...comparable(i) })));
  });

  const amounts = (invoice: Gql) =>
    (invoice.lines as Gql[]).map((l) => `${l.description} = ${l.amount}`).sort();

  it('previews a seat change, an add-on, a downgrade, a billing-cycle change and a cancellation, each billed as previewed', async () => {
    // May 11: seats 3 → 5. May (31 days): Pro fee 99.00; seats 3 × 10 × 10/31 = 9.677 → 9.68 and
    // 5 × 10 × 21/31 = 33.871 → 33.87; total 142.55 (was 99 + 30 = 129.00). June: 99 + 5 × 10 = 149.00.
    t.clock.set('2026-05-11T00:00:00Z');
    const seats = await previewThenApply(
      { changeQuantity: { pricingId: catalog.seatFeeId, quantity: '5' } },
      'mutation($c: ID!, $p: ID!) { changeQuantity(contractId: $c, pricingId: $p, quantity: "5", idempotencyKey: "q5") { replayed } }',
      { p: catalog.seatFeeId },
    );
    expect(seats).toMatchObject({ kind: 'QUANTITY_CHANGED', effectiveAt: '2026-05-11T00:00:00.000Z' });
    expect(totals(seats)).toEqual(['2026-05-01 142.55', '2026-06-01 149.00']);
    expect(amounts(seats.invoices[0])).toEqual([
      'Pro fee = 99.00',
      'Seats (10 of 31 days) = 9.68',
      'Seats (21 of 31 days) = 33.87',
    ]);
    // 142.55 + 149.00 = 291.55 against 129.00 + 129.00 = 258.00.
    expect(seats).toMatchObject({ totalBefore: '258.00', totalAfter: '291.55', difference: '33.55' });
    expect(seats.invoicesBefore.map((i: Gql) => i.total)).toEqual(['129.00', '129.00']);

    // May 16: premium support (50) added for 16 of 31 days: 50 × 16/31 = 25.806 → 25.81;
    // May 142.55 + 25.81 = 168.36, June 149.00 + 50.00 = 199.00.
    t.clock.set('2026-05-16T00:00:00Z');
    const addOn = await previewThenApply(
      { addAddOn: { pricingId: catalog.supportFeeId } },
      'mutation($c: ID!, $p: ID!) { addAddOn(contractId: $c, pricingId: $p, idempotencyKey: "support") { replayed } }',
      { p: catalog.supportFeeId },
    );
    expect(totals(addOn)).toEqual(['2026-05-01 168.36', '2026-06-01 199.00']);
    expect(addOn.difference).toBe('75.81');

    // May 21: down to Starter now. May: Pro fee 99 × 20/31 = 63.871 → 63.87, seats 9.68 and
    // 5 × 10 × 10/31 = 16.129 → 16.13 (the seats are Pro's and end with it), support 25.81 (kept),
    // Starter fee 29 × 11/31 = 10.290 → 10.29: 125.78. June: Starter 29 + support 50 = 79.00.
    // The credit: (125.78 + 79.00) − (168.36 + 199.00) = −162.58.
    t.clock.set('2026-05-21T00:00:00Z');
    const down = await previewThenApply(
      { changePlan: { planId: catalog.starterId } },
      'mutation($c: ID!, $p: ID!) { changePlan(contractId: $c, planId: $p, idempotencyKey: "down") { replayed } }',
      { p: catalog.starterId },
    );
    expect(totals(down)).toEqual(['2026-05-01 125.78', '2026-06-01 79.00']);
    expect(amounts(down.invoices[0])).toEqual([
      'Premium support (16 of 31 days) = 25.81',
      'Pro fee (20 of 31 days) = 63.87',
      'Seats (10 of 31 days) = 16.13',
      'Seats (10 of 31 days) = 9.68',
      'Starter fee (11 of 31 days) = 10.29',
    ]);
    expect(down).toMatchObject({ kind: 'PLAN_CHANGED', difference: '-162.58' });

    // May 26: annual from the next boundary (June 1); fees stay per period: 29 + 50 = 79.00 for the year.
    t.clock.set('2026-05-26T00:00:00Z');
    const annual = await previewThenApply(
      { changeBillingCycle: { billingCycle: 'ANNUAL' } },
      'mutation($c: ID!) { changeBillingCycle(contractId: $c, billingCycle: ANNUAL, idempotencyKey: "annual") { replayed } }',
      {},
    );
    expect(annual.effectiveAt).toBe('2026-06-01T00:00:00.000Z');
    expect(
      annual.invoices.map((i: Gql) => `${i.periodStart.slice(0, 10)}..${i.periodEnd.slice(0, 10)}`),
    ).toEqual(['2026-05-01..2026-06-01', '2026-06-01..2027-06-01']);
    expect(totals(annual)).toEqual(['2026-05-01 125.78', '2026-06-01 79.00']);

    // May 28: cancel at the end of the period (May 31 is the last day): May stays 125.78 and the annual
    // invoice (79.00) is voided: 125.78 − (125.78 + 79.00) = −79.00.
    t.clock.set('2026-05-28T12:00:00Z');
    const cancel = await previewThenApply(
      { cancelContract: {} },
      'mutation($c: ID!) { cancelContract(contractId: $c, idempotencyKey: "bye") { replayed } }',
      {},
    );
    expect(cancel).toMatchObject({ kind: 'CANCELLED', effectiveAt: '2026-06-01T00:00:00.000Z' });
    expect(totals(cancel)).toEqual(['2026-05-01 125.78']);
    expect(cancel.invoicesBefore.map((i: Gql) => i.total)).toEqual(['125.78', '79.00']);
    expect(cancel).toMatchObject({ totalBefore: '204.78', totalAfter: '125.78', difference: '-79.00' });
    expect((await invoicesOf(t, customerId)).find((i) => i.periodStart.startsWith('2026-06'))?.status).toBe(
      'VOID',
    );
  });

  it('previews an immediate cancellation: the final invoice to the end of today, the next one voided', async () => {
    t.clock.set('2026-05-01T09:00:00Z');
    const data = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
      input: {
        customer: { name: 'Brief Co', externalId: 'brief' },
        planId: catalog.proId,
        idempotencyKey: 'brief',
      },
    });
    customerId = data.signUp.customer.id;
    contractId = data.signUp.contract.id;
    // May 28 noon: the last day is May 28, fees run to its end (May 29), 28 of 31 days: Pro fee
    // 99 × 28/31 = 89.419 → 89.42, seats 3 × 10 × 28/31 = 27.097 → 27.10: 116.52. June (129.00) is voided:
    // 116.52 − (129.00 + 129.00) = −141.48.
    t.clock.set('2026-05-28T12:00:00Z');
    const cancel = await previewThenApply(
      { cancelContract: { timing: 'IMMEDIATE' } },
      'mutation($c: ID!) { cancelContract(contractId: $c, timing: IMMEDIATE, idempotencyKey: "now") { replayed } }',
      {},
    );
    expect(cancel).toMatchObject({ kind: 'CANCELLED', effectiveAt: '2026-05-29T00:00:00.000Z' });
    expect(totals(cancel)).toEqual(['2026-05-01 116.52']);
    expect(cancel.invoices[0].periodEnd).toBe('2026-05-29T00:00:00.000Z');
    expect(cancel).toMatchObject({ totalBefore: '258.00', totalAfter: '116.52', difference: '-141.48' });
  });

  it('refuses what the change would refuse, with the same code and field, and needs exactly one change', async () => {
    const cancelled = await t.gql(PREVIEW_CHANGE, {
      c: contractId,
      change: { changeQuantity: { pricingId: catalog.seatFeeId, quantity: '2' } },
    });
    expect(errorOf(cancelled)).toMatchObject({ code: 'CONFLICT', field: 'contractId' });
    const none = await t.gql(PREVIEW_CHANGE, { c: contractId, change: {} });
    expect(errorOf(none)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'change' });
    const two = await t.gql(PREVIEW_CHANGE, {
      c: contractId,
      change: { cancelContract: {}, changeBillingCycle: { billingCycle: 'ANNUAL' } },
    });
    expect(errorOf(two)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'change' });
  });

  it('lets a portal token preview its own contracts only, and not sign-ups', async () => {
    const own = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
      input: {
        customer: { name: 'Own Co', externalId: 'own' },
        planId: catalog.starterId,
        idempotencyKey: 'own',
      },
    });
    const other = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
      input: {
        customer: { name: 'Other Co', externalId: 'other' },
        planId: catalog.starterId,
        idempotencyKey: 'other',
      },
    });
    const token = (
      await t.gqlOk<{ createCustomerPortalToken: { token: string } }>(
        'mutation($id: ID!) { createCustomerPortalToken(customerId: $id) { token } }',
        { id: own.signUp.customer.id },
      )
    ).createCustomerPortalToken.token;
    const change = { changePlan: { planId: catalog.proId } };
    const mine = await t.gqlOk<{ previewContractChange: Gql }>(
      PREVIEW_CHANGE,
      { c: own.signUp.contract.id, change },
      token,
    );
    expect(mine.previewContractChange.kind).toBe('PLAN_CHANGED');
    const theirs = await t.gql(PREVIEW_CHANGE, { c: other.signUp.contract.id, change }, token);
    expect(errorOf(theirs).code).toBe('FORBIDDEN');
    const signUp = await t.gql(
      PREVIEW_SIGN_UP,
      { input: { customer: { name: 'X' }, planId: catalog.starterId } },
      token,
    );
    expect(errorOf(signUp).code).toBe('FORBIDDEN');
    // A private plan is refused to the customer exactly as changePlan refuses it.
    const hidden = await t.gql(
      PREVIEW_CHANGE,
      { c: own.signUp.contract.id, change: { changePlan: { planId: catalog.privateId } } },
      token,
    );
    expect(errorOf(hidden)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'planId' });
  });
});
