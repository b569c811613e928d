import { TestApp } from '../support/test-app';
import { finalizeInvoice, invoicesOf } from '../support/billing-api';
import { createSaasCatalog, errorOf, SIGN_UP, type Gql } from '../support/saas-catalog';

const PAY = `mutation($id: ID!, $input: PayInvoiceInput!) {
  payInvoice(invoiceId: $id, input: $input) {
    replayed payment { id amount status provider reference } invoice { id status amountPaid amountDue }
  }
}`;

/** payInvoice: partial payments, overpayment refused, only FINALIZED invoices, replays, and concurrency. */
describe('Payments', () => {
  let t: TestApp;
  let invoiceId: string;
  let draftId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-02-01T10:00:00Z');
    const catalog = await createSaasCatalog(t);
    const data = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
      input: {
        customer: { name: 'Payer', externalId: 'payer' },
        planId: catalog.proId,
        idempotencyKey: 'signup-payer',
      },
    });
    const invoices = await invoicesOf(t, data.signUp.customer.id);
    const february = invoices.find((i) => i.periodStart === '2026-02-01T00:00:00.000Z')!;
    draftId = invoices.find((i) => i.periodStart === '2026-03-01T00:00:00.000Z')!.id;
    t.clock.set('2026-03-02T01:00:00Z');
    invoiceId = (await finalizeInvoice(t, february.id)).id; // Pro fee 99 + 3 seats × 10 = 129
  });
  afterAll(() => t.stop());

  it('refuses drafts, overpayments and bad amounts; nothing is recorded', async () => {
    expect(errorOf(await t.gql(PAY, { id: draftId, input: { amount: '10', reference: 'd' } }))).toMatchObject(
      { code: 'CONFLICT' },
    );
    expect(
      errorOf(await t.gql(PAY, { id: invoiceId, input: { amount: '129.01', reference: 'o' } })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.amount',
    });
    expect(
      errorOf(await t.gql(PAY, { id: invoiceId, input: { amount: '0', reference: 'z' } })),
    ).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(
      errorOf(await t.gql(PAY, { id: invoiceId, input: { amount: '1.001', reference: 'p' } })),
    ).toMatchObject({ code: 'BAD_USER_INPUT' });
    const read = await t.gqlOk<{ invoice: { payments: unknown[]; amountPaid: string } }>(
      'query($id: ID!) { invoice(id: $id) { amountPaid payments { id } } }',
      { id: invoiceId },
    );
    expect(read.invoice).toEqual({ amountPaid: '0.00', payments: [] });
  });

  it('never overpays under concurrent payments (the invoice row is locked)', async () => {
    const results = await Promise.all(
      ['c1', 'c2', 'c3'].map((reference) =>
        t.gql<{ payInvoice: Gql }>(PAY, { id: invoiceId, input: { amount: '60', reference } }),
      ),
    );
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(2); // 60 + 60 = 120 ≤ 129; a third 60 would overpay
    expect(results.filter((r) => r.errors).map((r) => errorOf(r).code)).toEqual(['BAD_USER_INPUT']);
    const invoice = await t.gqlOk<{ invoice: Gql }>(
      'query($id: ID!) { invoice(id: $id) { status amountPaid amountDue } }',
      { id: invoiceId },
    );
    expect(invoice.invoice).toEqual({ status: 'FINALIZED', amountPaid: '120.00', amountDue: '9.00' });
  });

  it('settles the invoice with the last partial payment; a repeated reference is a replay', async () => {
    const last = await t.gqlOk<{ payInvoice: Gql }>(PAY, {
      id: invoiceId,
      input: { amount: '9', reference: 'last' },
    });
    expect(last.payInvoice).toMatchObject({
      replayed: false,
      payment: { amount: '9.00', status: 'SUCCEEDED', provider: 'manual', reference: 'last' },
      invoice: { status: 'PAID', amountPaid: '129.00', amountDue: '0.00' },
    });
    const again = await t.gqlOk<{ payInvoice: Gql }>(PAY, {
      id: invoiceId,
      input: { amount: '9', reference: 'last' },
    });
    expect(again.payInvoice.replayed).toBe(true);
    expect(again.payInvoice.payment.id).toBe(last.payInvoice.payment.id);
    const other = await t.gql(PAY, { id: invoiceId, input: { amount: '1', reference: 'last' } });
    expect(errorOf(other)).toMatchObject({ code: 'CONFLICT', field: 'input.reference' });
    const paid = await t.gql(PAY, { id: invoiceId, input: { amount: '1', reference: 'after' } });
    expect(errorOf(paid)).toMatchObject({ code: 'CONFLICT' });
    expect(errorOf(paid).message).toMatch(/already paid/);
    // A paid invoice cannot be voided (the invoice engine's rule holds).
    expect(
      errorOf(await t.gql('mutation($id: ID!) { voidInvoice(id: $id) { id } }', { id: invoiceId })),
    ).toMatchObject({ code: 'CONFLICT' });
  });
});
