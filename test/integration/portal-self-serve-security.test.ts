import { finalizeInvoice, invoicesOf } from '../support/billing-api';
import {
  CHANGE_FIELDS,
  createSaasCatalog,
  errorOf,
  SIGN_UP,
  type Gql,
  type SaasCatalog,
} from '../support/saas-catalog';
import { TestApp } from '../support/test-app';

const CHANGE_SEATS = `mutation($c: ID!, $p: ID!, $q: Decimal!, $k: String!) {
  changeQuantity(contractId: $c, pricingId: $p, quantity: $q, idempotencyKey: $k) { ${CHANGE_FIELDS} }
}`;
const CHANGE_PLAN = `mutation($c: ID!, $p: ID!, $k: String!) {
  changePlan(contractId: $c, planId: $p, timing: IMMEDIATE, idempotencyKey: $k) { ${CHANGE_FIELDS} }
}`;
const PAY = `mutation($id: ID!, $input: PayInvoiceInput!) {
  payInvoice(invoiceId: $id, input: $input) { replayed payment { id } invoice { id status amountPaid } }
}`;

/** What a customer-portal token may do to its own customer's contracts and invoices, and what not. */
describe('portal tokens on self-serve mutations', () => {
  let t: TestApp;
  let catalog: SaasCatalog;

  async function customer(name: string): Promise<{ customerId: string; contractId: string; token: string }> {
    const data = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
      input: {
        customer: { name, externalId: name.toLowerCase().replace(/\W/g, '') },
        planId: catalog.proId,
        idempotencyKey: `signup-${name}`,
      },
    });
    return {
      customerId: data.signUp.customer.id,
      contractId: data.signUp.contract.id,
      token: await portalToken(data.signUp.customer.id),
    };
  }

  /** A fresh token (portal tokens expire, and some tests move the clock). */
  async function portalToken(customerId: string): Promise<string> {
    const issued = await t.gqlOk<{ createCustomerPortalToken: { token: string } }>(
      'mutation($id: ID!) { createCustomerPortalToken(customerId: $id) { token } }',
      { id: customerId },
    );
    return issued.createCustomerPortalToken.token;
  }

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-02-01T10:00:00Z');
    catalog = await createSaasCatalog(t);
  });
  afterAll(() => t.stop());

  it("gives each customer its own idempotency keys: another customer's key neither conflicts nor leaks", async () => {
    const x = await customer('Key X');
    const y = await customer('Key Y');
    const seats = (c: { contractId: string }, q: string) => ({
      c: c.contractId,
      p: catalog.seatFeeId,
      q,
      k: 'same-key',
    });
    const first = await t.gqlOk<{ changeQuantity: Gql }>(CHANGE_SEATS, seats(x, '5'), x.token);
    expect(first.changeQuantity.replayed).toBe(false);
    // Before keys were scoped, Y's request hit X's row: CONFLICT, naming X's operation.
    const second = await t.gql<{ changeQuantity: Gql }>(CHANGE_SEATS, seats(y, '4'), y.token);
    expect(second.errors).toBeUndefined();
    expect(second.data!.changeQuantity).toMatchObject({
      replayed: false,
      contract: { id: y.contractId },
      amendment: { kind: 'QUANTITY_CHANGED', actor: y.customerId },
    });
    // Each customer still replays its own key: the same amendment comes back, nothing new is written.
    const again = await t.gqlOk<{ changeQuantity: Gql }>(CHANGE_SEATS, seats(x, '5'), x.token);
    expect(again.changeQuantity).toMatchObject({
      replayed: true,
      contract: { id: x.contractId },
      amendment: { id: first.changeQuantity.amendment.id },
    });
    // ...and a key reused within one customer's space for another request is still a CONFLICT.
    const reused = await t.gql(CHANGE_SEATS, seats(y, '6'), y.token);
    expect(errorOf(reused)).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
  });

  it('refuses a portal move to a plan that is not public; operators may still assign it', async () => {
    const c = await customer('Private Plan');
    const refused = await t.gql(
      CHANGE_PLAN,
      { c: c.contractId, p: catalog.privateId, k: 'to-private' },
      c.token,
    );
    expect(errorOf(refused)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'planId' });
    const contract = await t.gqlOk<{ contract: Gql }>(
      'query($id: ID!) { contract(id: $id) { plan { id } } }',
      { id: c.contractId },
      c.token,
    );
    expect(contract.contract.plan.id).toBe(catalog.proId);
    const operator = await t.gqlOk<{ changePlan: Gql }>(CHANGE_PLAN, {
      c: c.contractId,
      p: catalog.privateId,
      k: 'operator-to-private',
    });
    expect(operator.changePlan.contract.plan.id).toBe(catalog.privateId);
  });

  it('refuses a portal payment through the manual provider; the invoice stays unpaid', async () => {
    const c = await customer('Self Payer');
    const invoices = await invoicesOf(t, c.customerId);
    const february = invoices.find((i) => i.periodStart === '2026-02-01T00:00:00.000Z')!;
    t.clock.set('2026-03-02T01:00:00Z');
    const invoice = await finalizeInvoice(t, february.id);
    const token = await portalToken(c.customerId);
    const refused = await t.gql(PAY, { id: invoice.id, input: { amount: '1', reference: 'mine' } }, token);
    expect(errorOf(refused)).toMatchObject({ code: 'FORBIDDEN', field: 'input.provider' });
    const read = await t.gqlOk<{ invoice: Gql }>(
      'query($id: ID!) { invoice(id: $id) { status amountPaid payments { id } } }',
      { id: invoice.id },
    );
    expect(read.invoice).toEqual({ status: 'FINALIZED', amountPaid: '0.00', payments: [] });
  });

  it('lets a customer pick whole seat counts only: no fraction of a fee; operators still may', async () => {
    const c = await customer('Fraction');
    const change = (pricingId: string, q: string, k: string, token?: string) =>
      t.gql<{ changeQuantity: Gql }>(CHANGE_SEATS, { c: c.contractId, p: pricingId, q, k }, token);
    // The Pro fee ($99 × 1) at 0.001 would bill $0.099.
    for (const [pricingId, q] of [
      [catalog.proFeeId, '0.001'],
      [catalog.seatFeeId, '2.5'],
      [catalog.seatFeeId, '0.5'],
    ]) {
      const refused = await change(pricingId, q, `frac-${pricingId}-${q}`, c.token);
      expect(errorOf(refused)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'quantity' });
    }
    const history = await t.gqlOk<{ contractHistory: Array<{ kind: string }> }>(
      'query($id: ID!) { contractHistory(contractId: $id) { kind } }',
      { id: c.contractId },
    );
    expect(history.contractHistory.map((a) => a.kind)).toEqual(['CREATED']);
    const whole = await change(catalog.seatFeeId, '4', 'seats-4', c.token);
    expect(whole.errors).toBeUndefined();
    const operator = await change(catalog.seatFeeId, '2.5', 'operator-seats');
    expect(operator.errors).toBeUndefined();
  });
});
