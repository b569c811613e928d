import { finalizeInvoice, invoicesOf } from '../support/billing-api';
import { createSaasCatalog, errorOf, SIGN_UP, type Gql, type SaasCatalog } from '../support/saas-catalog';
import { TestApp } from '../support/test-app';

const HISTORY = `query($c: ID!, $kinds: [AccountHistoryKind!], $first: Int, $after: String) {
  accountHistory(customerId: $c, kinds: $kinds, first: $first, after: $after) {
    nodes { id kind event at refId contractId invoiceId currency amount summary actor details }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** One chronological feed per customer over sign-up, contracts, invoices, payments and credits. */
describe('Account history', () => {
  let t: TestApp;
  let catalog: SaasCatalog;
  let customerId: string;
  let contractId: string;
  let otherCustomerId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-05-01T08:00:00Z');
    catalog = await createSaasCatalog(t);
    const signUp = async (name: string) =>
      (
        await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
          input: {
            customer: { name, externalId: name.toLowerCase() },
            planId: catalog.proId,
            promotionalCredits: { amountCents: '2000' },
            idempotencyKey: `signup-${name}`,
          },
        })
      ).signUp;
    const own = await signUp('Histo');
    customerId = own.customer.id;
    contractId = own.contract.id;
    otherCustomerId = (await signUp('Other')).customer.id;

    t.clock.set('2026-05-11T00:00:00Z');
    await t.gqlOk(
      'mutation($c: ID!, $p: ID!) { changeQuantity(contractId: $c, pricingId: $p, quantity: "5", idempotencyKey: "q5") { replayed } }',
      { c: contractId, p: catalog.seatFeeId },
    );
    t.clock.set('2026-06-02T00:00:00Z');
    const may = (await invoicesOf(t, customerId)).find((i) => i.periodStart.startsWith('2026-05'))!;
    await finalizeInvoice(t, may.id);
    t.clock.set('2026-06-03T00:00:00Z');
    await t.gqlOk(
      'mutation($id: ID!) { payInvoice(invoiceId: $id, input: { amount: "50.00", reference: "wire-1" }) { invoice { id } } }',
      { id: may.id },
    );
    // June 4: a 10.00 credit note on the May invoice's Pro fee line.
    t.clock.set('2026-06-04T00:00:00Z');
    const lines = (
      await t.gqlOk<{ invoice: Gql }>('query($id: ID!) { invoice(id: $id) { lines { id description } } }', {
        id: may.id,
      })
    ).invoice.lines as Gql[];
    await t.gqlOk('mutation($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { id } }', {
      input: {
        invoiceId: may.id,
        reason: 'Goodwill',
        refund: 'NONE',
        lines: [{ invoiceLineId: lines.find((l) => l.description === 'Pro fee')!.id, amount: '10.00' }],
      },
    });
  });
  afterAll(() => t.stop());

  it('lists every kind newest first, with amounts, and pages by (time, id) without gaps or repeats', async () => {
    const all = (await t.gqlOk<{ accountHistory: Gql }>(HISTORY, { c: customerId })).accountHistory;
    expect(all.pageInfo.hasNextPage).toBe(false);
    expect(all.nodes.map((n: Gql) => `${n.at.slice(0, 10)} ${n.kind}/${n.event} ${n.amount ?? '-'}`)).toEqual(
      [
        '2026-06-04 CREDIT/CREDIT_NOTE_ISSUED 10.00',
        '2026-06-03 PAYMENT/PAYMENT_SUCCEEDED 50.00',
        // May: Pro fee 99.00 + seats 3 × 10 × 10/31 = 9.68 + 5 × 10 × 21/31 = 33.87 → 142.55.
        '2026-06-02 INVOICE/INVOICE_FINALIZED 142.55',
        '2026-05-11 CONTRACT/QUANTITY_CHANGED -',
        // Sign-up: one instant, ordered by id (cus_ > crg_ > cam_).
        '2026-05-01 SIGN_UP/CUSTOMER_CREATED -',
        '2026-05-01 CREDIT/CREDIT_PROMOTIONAL 20.00',
        '2026-05-01 CONTRACT/CREATED -',
      ],
    );
    expect(all.nodes[3]).toMatchObject({
      contractId,
      refId: contractId,
      details: expect.objectContaining({ fromQuantity: '3', toQuantity: '5' }),
    });

    const pages: Gql[] = [];
    let after: string | null = null;
    for (let i = 0; i < 4; i++) {
      const page: Gql = (await t.gqlOk<{ accountHistory: Gql }>(HISTORY, { c: customerId, first: 2, after }))
        .accountHistory;
      pages.push(...page.nodes);
      expect(page.pageInfo.hasNextPage).toBe(i < 3);
      after = page.pageInfo.endCursor;
    }
    expect(pages.map((n) => n.id)).toEqual(all.nodes.map((n: Gql) => n.id));
  });

  it('filters by kind', async () => {
    const money = (
      await t.gqlOk<{ accountHistory: Gql }>(HISTORY, { c: customerId, kinds: ['INVOICE', 'PAYMENT'] })
    ).accountHistory;
    expect(money.nodes.map((n: Gql) => n.event)).toEqual(['PAYMENT_SUCCEEDED', 'INVOICE_FINALIZED']);
  });

  it("is open to the customer's own portal token only, and refuses bad paging arguments naming them", async () => {
    const token = (
      await t.gqlOk<{ createCustomerPortalToken: { token: string } }>(
        'mutation($id: ID!) { createCustomerPortalToken(customerId: $id) { token } }',
        { id: customerId },
      )
    ).createCustomerPortalToken.token;
    const own = await t.gqlOk<{ accountHistory: Gql }>(HISTORY, { c: customerId, first: 1 }, token);
    expect(own.accountHistory.nodes).toHaveLength(1);
    expect(errorOf(await t.gql(HISTORY, { c: otherCustomerId }, token)).code).toBe('FORBIDDEN');
    expect(errorOf(await t.gql(HISTORY, { c: customerId, after: 'bm9wZQ' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    expect(errorOf(await t.gql(HISTORY, { c: customerId, first: 0 }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    // Another customer's feed holds only its own entries.
    const other = (await t.gqlOk<{ accountHistory: Gql }>(HISTORY, { c: otherCustomerId })).accountHistory;
    expect(other.nodes.map((n: Gql) => n.event)).toEqual([
      'CUSTOMER_CREATED',
      'CREDIT_PROMOTIONAL',
      'CREATED',
    ]);
  });
});
