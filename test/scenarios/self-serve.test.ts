import { TestApp } from '../support/test-app';
import { draftInvoice, INVOICE_FIELDS, invoicesOf, type InvoiceResult } from '../support/billing-api';
import {
  CHANGE_FIELDS,
  connectSalesforce,
  createSaasCatalog,
  errorOf,
  outboxRows,
  sendCalls,
  SIGN_UP,
  type SaasCatalog,
  type Gql,
} from '../support/saas-catalog';

/**
 * The self-serve journey end to end (GraphQL + the REST events API): a customer signs up on Starter from the
 * website, sends usage, upgrades to Pro mid-month in the app (the draft shows both parts, prorated), switches
 * to annual billing, pays the March invoice through its portal token, then cancels at period end; every
 * change lands in the contract history and in the CRM outbox.
 */
describe('Self-serve: sign-up, upgrade, annual billing, cancellation', () => {
  let t: TestApp;
  let catalog: SaasCatalog;
  let customerId: string;
  let contractId: string;
  let portalToken: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-01T09:00:00Z');
    catalog = await createSaasCatalog(t);
    await connectSalesforce(t);
  });
  afterAll(() => t.stop());

  it('lists the public plans with prices, tiers and dimensional rates', async () => {
    const data = await t.gqlOk<{ productCatalog: Array<Record<string, Gql>> }>(`{
      productCatalog {
        id name currency billingCycle
        items { pricingId name kind model quantity flatAmount unitSize fallbackRate tiers { upTo unitAmount }
                meter { code displayName groupKeys } rates { dimensions rate } }
      }
    }`);
    const names = data.productCatalog.map((p) => p.name);
    expect(names).toEqual(['Starter', 'Pro', 'Pro (EUR)']); // Enterprise is not public
    const starter = data.productCatalog[0];
    expect(starter.items).toEqual([
      expect.objectContaining({
        name: 'Starter fee',
        kind: 'FLAT_FEE',
        flatAmount: '29',
        quantity: '1',
        meter: null,
      }),
      expect.objectContaining({
        name: 'API calls (Starter)',
        kind: 'USAGE',
        model: 'PER_UNIT',
        fallbackRate: '0.01',
        meter: { code: 'API_CALLS', displayName: 'API Calls', groupKeys: ['region'] },
        rates: [
          { dimensions: { region: 'US' }, rate: '0.01' },
          { dimensions: { region: 'EU' }, rate: '0.012' },
        ],
      }),
    ]);
    expect(data.productCatalog[1].items[2]).toEqual(
      expect.objectContaining({ name: 'Seats', quantity: '3' }),
    );
  });

  it('signs up a customer with promotional credits in one call; the same key returns the first result', async () => {
    const input = {
      customer: { name: 'Nimbus Labs', externalId: 'nimbus', email: 'billing@nimbus.dev' },
      planId: catalog.starterId,
      promotionalCredits: { amountCents: '1000', description: 'Welcome credit' },
      idempotencyKey: 'signup-nimbus',
    };
    const first = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, { input });
    expect(first.signUp).toMatchObject({
      replayed: false,
      customer: { name: 'Nimbus Labs' },
      contract: {
        status: 'ACTIVE',
        source: 'SELF_SERVE',
        plan: { name: 'Starter' },
        billingCycle: 'MONTHLY',
      },
      promotionalCreditGrant: { type: 'PROMOTIONAL', amount: '10.00' },
    });
    expect(first.signUp.contract.startDate).toBe('2026-03-01T00:00:00.000Z');
    customerId = first.signUp.customer.id;
    contractId = first.signUp.contract.id;

    const again = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, { input });
    expect(again.signUp.replayed).toBe(true);
    expect(again.signUp.customer.id).toBe(customerId);
    expect(again.signUp.contract.id).toBe(contractId);
    // Concurrent repeats of one key also create exactly one customer.
    const racing = {
      ...input,
      customer: { ...input.customer, externalId: 'nimbus-2' },
      idempotencyKey: 'signup-race',
    };
    const results = await Promise.all(
      [1, 2, 3].map(() => t.gqlOk<{ signUp: Gql }>(SIGN_UP, { input: racing })),
    );
    expect(new Set(results.map((r) => r.signUp.customer.id)).size).toBe(1);
    expect(results.filter((r) => !r.signUp.replayed)).toHaveLength(1);

    // The same key with other arguments is a conflict, not a silent replay.
    const reused = await t.gql(SIGN_UP, { input: { ...input, planId: catalog.proId } });
    expect(errorOf(reused)).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    // Private plans are not for self-serve sign-up; nothing is created.
    const hidden = await t.gql(SIGN_UP, {
      input: {
        ...input,
        customer: { name: 'X', externalId: 'x' },
        planId: catalog.privateId,
        idempotencyKey: 'x',
      },
    });
    expect(errorOf(hidden)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.planId' });
    const customers = await t.gqlOk<{ customers: { nodes: unknown[] } }>(
      '{ customers(first: 50) { nodes { id } } }',
    );
    expect(customers.customers.nodes).toHaveLength(2);
  });

  it('upgrades to Pro mid-month from the app: the draft bills both plans, prorated', async () => {
    t.clock.set('2026-03-07T00:00:00Z');
    await sendCalls(t, 'nimbus', 'early', '2026-03-05T10:00:00Z', 100);
    await sendCalls(t, 'nimbus', 'early-eu', '2026-03-06T10:00:00Z', 10, 'EU');
    t.clock.set('2026-03-16T00:00:00Z');
    portalToken = await issuePortalToken(customerId);
    const change = `mutation($contractId: ID!, $planId: ID!, $key: String!) {
      changePlan(contractId: $contractId, planId: $planId, timing: IMMEDIATE, idempotencyKey: $key) { ${CHANGE_FIELDS} }
    }`;
    const upgraded = await t.gqlOk<{ changePlan: Gql }>(
      change,
      { contractId, planId: catalog.proId, key: 'upgrade-1' },
      portalToken,
    );
    expect(upgraded.changePlan).toMatchObject({
      replayed: false,
      contract: { plan: { name: 'Pro' } },
      amendment: {
        kind: 'PLAN_CHANGED',
        source: 'SELF_SERVE',
        actor: customerId,
        effectiveAt: '2026-03-16T00:00:00.000Z',
        details: expect.objectContaining({
          fromPlanName: 'Starter',
          toPlanName: 'Pro',
          direction: 'UPGRADE',
        }),
      },
    });
    const replay = await t.gqlOk<{ changePlan: Gql }>(
      change,
      { contractId, planId: catalog.proId, key: 'upgrade-1' },
      portalToken,
    );
    expect(replay.changePlan.replayed).toBe(true);
    expect(replay.changePlan.amendment.id).toBe(upgraded.changePlan.amendment.id);

    t.clock.set('2026-03-21T00:00:00Z');
    await sendCalls(t, 'nimbus', 'late', '2026-03-20T10:00:00Z', 50);
    await t.app.workers.aggregator.drain();
    const draft = await draftInvoice(t, contractId);
    expect(draft.periodStart).toBe('2026-03-01T00:00:00.000Z');
    const lines = draft.lines
      .map((l) => `${l.description} | ${l.quantity} × ${l.rate ?? '-'} = ${l.amount}`)
      .sort();
    expect(lines).toEqual([
      'API Calls - EU | 10 × 0.012 = 0.12', // Starter's dimensional rate
      'API Calls - US | 100 × 0.01 = 1.00', // Starter, before the change
      'API Calls - US | 50 × 0.005 = 0.25', // Pro, after it
      'Pro fee (16 of 31 days) | 1 × 99 = 51.10',
      'Seats (16 of 31 days) | 3 × 10 = 15.48',
      'Starter fee (15 of 31 days) | 1 × 29 = 14.03',
    ]);
    expect(draft.total).toBe('81.98');
    expect(draft.creditsApplied).toBe('10.00');
  });

  it('refuses invalid transitions with a clear error and changes nothing', async () => {
    const before = await history(contractId);
    const euro = await t.gql(
      `mutation($c: ID!, $p: ID!) { changePlan(contractId: $c, planId: $p, idempotencyKey: "eur") { replayed } }`,
      { c: contractId, p: catalog.euroId },
    );
    expect(errorOf(euro)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'planId' });
    expect(errorOf(euro).message).toMatch(/EUR.*USD/);
    const noDate = await t.gql(
      `mutation($c: ID!, $p: ID!) { changePlan(contractId: $c, planId: $p, timing: ON_DATE, idempotencyKey: "nodate") { replayed } }`,
      { c: contractId, p: catalog.starterId },
    );
    expect(errorOf(noDate)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
    const samePlan = await t.gql(
      `mutation($c: ID!, $p: ID!) { changePlan(contractId: $c, planId: $p, idempotencyKey: "same") { replayed } }`,
      { c: contractId, p: catalog.proId },
    );
    expect(errorOf(samePlan)).toMatchObject({ code: 'BAD_USER_INPUT' });
    // A failed attempt does not burn its key: the same key works once the request is valid.
    expect(await history(contractId)).toEqual(before);
  });

  it('switches to annual billing from the next period boundary, regenerating the future drafts', async () => {
    const data = await t.gqlOk<{ changeBillingCycle: Gql }>(
      `mutation($c: ID!) { changeBillingCycle(contractId: $c, billingCycle: ANNUAL, idempotencyKey: "annual") { ${CHANGE_FIELDS} } }`,
      { c: contractId },
    );
    expect(data.changeBillingCycle).toMatchObject({
      contract: { billingCycle: 'ANNUAL' },
      amendment: { kind: 'BILLING_CYCLE_CHANGED', source: 'API', effectiveAt: '2026-04-01T00:00:00.000Z' },
    });
    const periods = (await invoicesOf(t, customerId))
      .map((i) => [i.periodStart, i.periodEnd, i.status])
      .reverse();
    expect(periods).toEqual([
      ['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', 'DRAFT'],
      ['2026-04-01T00:00:00.000Z', '2027-04-01T00:00:00.000Z', 'DRAFT'],
      ['2027-04-01T00:00:00.000Z', '2028-04-01T00:00:00.000Z', 'DRAFT'],
    ]);
    // March is still the current period, billed as before.
    expect((await draftInvoice(t, contractId)).periodStart).toBe('2026-03-01T00:00:00.000Z');
  });

  it('finalizes March; the customer reads its own invoice through its portal token; the operator records the payments', async () => {
    t.clock.set('2026-04-02T01:00:00Z');
    portalToken = await issuePortalToken(customerId);
    await t.app.workers.invoiceFinalizer.drain();
    const [march] = await invoicesOf(t, customerId, 'FINALIZED');
    expect(march).toMatchObject({
      periodStart: '2026-03-01T00:00:00.000Z',
      total: '81.98',
      amountDue: '71.98',
    });

    const pay = `mutation($id: ID!, $input: PayInvoiceInput!) {
      payInvoice(invoiceId: $id, input: $input) { replayed payment { amount status reference } invoice { id status amountPaid amountDue } }
    }`;
    // The built-in `manual` provider records money received elsewhere: a customer may not use it to mark
    // its own invoice paid.
    const selfPaid = await t.gql(
      pay,
      { id: march.id, input: { amount: '71.98', reference: 'self' } },
      portalToken,
    );
    expect(errorOf(selfPaid)).toMatchObject({ code: 'FORBIDDEN', field: 'input.provider' });
    const partial = await t.gqlOk<{ payInvoice: Gql }>(pay, {
      id: march.id,
      input: { amount: '50', reference: 'card-1' },
    });
    expect(partial.payInvoice.invoice).toMatchObject({
      status: 'FINALIZED',
      amountPaid: '50.00',
      amountDue: '21.98',
    });
    t.clock.advance(60_000);
    const over = await t.gql(pay, { id: march.id, input: { amount: '30', reference: 'card-2' } });
    expect(errorOf(over)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
    const rest = await t.gqlOk<{ payInvoice: Gql }>(pay, {
      id: march.id,
      input: { amount: '21.98', reference: 'card-3' },
    });
    expect(rest.payInvoice.invoice).toMatchObject({ status: 'PAID', amountPaid: '71.98', amountDue: '0.00' });
    const read = await t.gqlOk<{ invoice: InvoiceResult & { payments: unknown[] } }>(
      `query($id: ID!) { invoice(id: $id) { ${INVOICE_FIELDS} payments { amount reference } } }`,
      { id: march.id },
      portalToken,
    );
    expect(read.invoice.payments).toEqual([
      { amount: '50.00', reference: 'card-1' },
      { amount: '21.98', reference: 'card-3' },
    ]);
    // A date inside the finalized period can no longer be the start of a change.
    const late = await t.gql(
      `mutation($c: ID!, $p: ID!) {
         changePlan(contractId: $c, planId: $p, timing: ON_DATE, date: "2026-03-20T00:00:00Z", idempotencyKey: "late") { replayed }
       }`,
      { c: contractId, p: catalog.starterId },
    );
    expect(errorOf(late)).toMatchObject({ code: 'CONFLICT', field: 'date' });
  });

  it('cancels at the end of the annual period: the final draft covers it, later drafts are voided', async () => {
    t.clock.set('2026-04-10T12:00:00Z');
    portalToken = await issuePortalToken(customerId);
    const cancel = `mutation($c: ID!) { cancelContract(contractId: $c, timing: END_OF_PERIOD, idempotencyKey: "cancel") { ${CHANGE_FIELDS} } }`;
    const data = await t.gqlOk<{ cancelContract: Gql }>(cancel, { c: contractId });
    expect(data.cancelContract).toMatchObject({
      contract: {
        status: 'ACTIVE',
        endDate: '2027-03-31T00:00:00.000Z',
        autoRenew: false,
        cancellation: { lastDay: '2027-03-31T00:00:00.000Z', source: 'API' },
      },
      amendment: { kind: 'CANCELLED', effectiveAt: '2027-04-01T00:00:00.000Z' },
    });
    expect((await t.gqlOk<{ cancelContract: Gql }>(cancel, { c: contractId })).cancelContract.replayed).toBe(
      true,
    );
    const statuses = (await invoicesOf(t, customerId)).map((i) => [i.periodStart, i.status]).reverse();
    expect(statuses).toEqual([
      ['2026-03-01T00:00:00.000Z', 'PAID'],
      ['2026-04-01T00:00:00.000Z', 'DRAFT'],
      ['2027-04-01T00:00:00.000Z', 'VOID'],
    ]);
    const current = await draftInvoice(t, contractId);
    expect(current.periodEnd).toBe('2027-04-01T00:00:00.000Z');
    expect(current.lines.map((l) => l.description)).toEqual(expect.arrayContaining(['Pro fee', 'Seats']));

    // A cancelled contract cannot be changed.
    const after = await t.gql(
      `mutation($c: ID!, $p: ID!) { changePlan(contractId: $c, planId: $p, idempotencyKey: "after-cancel") { replayed } }`,
      { c: contractId, p: catalog.starterId },
      portalToken,
    );
    expect(errorOf(after)).toMatchObject({ code: 'CONFLICT', field: 'contractId' });
    expect(errorOf(after).message).toMatch(/cancelled/);
  });

  it('keeps the history (who, when, what, source) and the matching CRM changes in the outbox', async () => {
    const kinds = (await history(contractId)).map((a) => `${a.kind}/${a.source}`);
    expect(kinds).toEqual([
      'CREATED/SELF_SERVE',
      'PLAN_CHANGED/SELF_SERVE',
      'BILLING_CYCLE_CHANGED/API',
      'CANCELLED/API',
    ]);
    const portalHistory = await t.gqlOk<{ contractHistory: unknown[] }>(
      'query($c: ID!) { contractHistory(contractId: $c) { kind } }',
      { c: contractId },
      portalToken,
    );
    expect(portalHistory.contractHistory).toHaveLength(4);

    const rows = (await outboxRows(t)).filter(
      (r) => r.externalId === contractId || r.externalId === customerId || r.sobject === 'Order',
    );
    const orders = rows.filter(
      (r) =>
        r.sobject === 'Order' && (r.payload.Contract as { externalId: string }).externalId === contractId,
    );
    expect(orders.map((o) => o.payload.Type)).toEqual([
      'New Business',
      'Upgrade',
      'Billing Change',
      'Cancellation',
    ]);
    expect(orders[1].payload.EffectiveDate).toBe('2026-03-16');
    const [contractRow] = rows.filter((r) => r.sobject === 'Contract');
    expect(contractRow.payload).toMatchObject({
      Account: { ref: 'Account', externalId: customerId },
      StartDate: '2026-03-01',
      Status: 'Activated',
    });
    expect(String(contractRow.payload.Description)).toContain('Last day: 2027-03-31');
    expect(rows.filter((r) => r.sobject === 'Account')).toEqual([
      { sobject: 'Account', externalId: customerId, payload: { Name: 'Nimbus Labs' } },
    ]);
  });

  it('lets a portal token read its own account, and nothing of another customer', async () => {
    await t.gqlOk(
      `mutation($c: ID!) { updateAccountContacts(customerId: $c, input: {
         accountManager: { name: "Ada Manager", email: "ada@tally.dev" }, supportContact: { name: "Support", email: "help@tally.dev", phone: "+1 555 0100" }
       }) { customerId } }`,
      { c: customerId },
    );
    const own = await t.gqlOk<Gql>(
      `query($c: ID!) {
         accountContacts(customerId: $c) { accountManager { name email } supportContact { name phone } }
         contracts(customerId: $c) { nodes { id endDate autoRenew renewsOn } }
         invoices(customerId: $c, status: PAID) { nodes { id status } }
         creditBalance(customerId: $c) { __typename }
       }`,
      { c: customerId },
      portalToken,
    );
    expect(own.accountContacts).toEqual({
      accountManager: { name: 'Ada Manager', email: 'ada@tally.dev' },
      supportContact: { name: 'Support', phone: '+1 555 0100' },
    });
    expect(own.contracts.nodes).toEqual([
      { id: contractId, endDate: '2027-03-31T00:00:00.000Z', autoRenew: false, renewsOn: null },
    ]);
    expect(own.invoices.nodes).toHaveLength(1);

    const other = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
      input: {
        customer: { name: 'Other', externalId: 'other' },
        planId: catalog.starterId,
        idempotencyKey: 'signup-other',
      },
    });
    const otherContract = other.signUp.contract.id;
    const [otherInvoice] = await invoicesOf(t, other.signUp.customer.id);
    const forbidden = [
      ['query($c: ID!) { contract(id: $c) { id } }', { c: otherContract }],
      ['query($c: ID!) { invoice(id: $c) { id } }', { c: otherInvoice.id }],
      ['query($c: ID!) { accountContacts(customerId: $c) { customerId } }', { c: other.signUp.customer.id }],
      [
        'mutation($c: ID!) { payInvoice(invoiceId: $c, input: { amount: "1", reference: "x" }) { replayed } }',
        { c: otherInvoice.id },
      ],
      [
        'mutation($c: ID!) { cancelContract(contractId: $c, idempotencyKey: "evil") { replayed } }',
        { c: otherContract },
      ],
      [
        'mutation($c: ID!) { updateAccountContacts(customerId: $c, input: {}) { customerId } }',
        { c: customerId },
      ],
      [SIGN_UP, { input: { customer: { name: 'Y' }, planId: catalog.starterId, idempotencyKey: 'y' } }],
      ['mutation { createSandbox(name: "nope") { apiKey } }', {}],
    ] as const;
    for (const [query, variables] of forbidden) {
      const result = await t.gql(query, variables as Record<string, unknown>, portalToken);
      expect([query, errorOf(result).code]).toEqual([query, 'FORBIDDEN']);
    }
  });

  /** Portal tokens live at most 7 days; the scenario travels weeks, so each step takes a fresh one. */
  async function issuePortalToken(id: string): Promise<string> {
    const data = await t.gqlOk<{ createCustomerPortalToken: { token: string } }>(
      'mutation($id: ID!) { createCustomerPortalToken(customerId: $id, ttlSeconds: 604800) { token } }',
      { id },
    );
    return data.createCustomerPortalToken.token;
  }

  async function history(id: string): Promise<Array<{ kind: string; source: string }>> {
    const data = await t.gqlOk<{ contractHistory: Array<{ kind: string; source: string }> }>(
      'query($c: ID!) { contractHistory(contractId: $c) { kind source actor effectiveAt details createdAt } }',
      { c: id },
    );
    return data.contractHistory;
  }
});
