import { creditBalanceTopic } from '../../src/services/credits';
import { InvoiceFinalizerWorker } from '../../src/workers/invoice-finalizer.worker';
import { TestApp, type GraphQLResult } from '../support/test-app';
import { expectLedgerBalances } from '../support/credit-ledger';
import {
  createContract,
  createCustomer,
  createFlatFee,
  createPlan,
  finalizeInvoice,
  invoicesOf,
} from '../support/billing-api';

/**
 * Credits through the public API: grant mutations, idempotency keys, every bad input, voiding, the ledger
 * query, balance notifications, and concurrent finalizations end to end.
 */
const GRANT_FIELDS = `id customerId contractId type status currency amount description effectiveAt expiresAt
  invoiceAmount commitmentInvoiceId idempotencyKey`;
const GRANT_PROMO = `mutation($contractId: ID!, $input: GrantPromotionalCreditsInput!) {
  grantPromotionalCredits(contractId: $contractId, input: $input) { ${GRANT_FIELDS} }
}`;
const GRANT_PREPAID = `mutation($contractId: ID!, $input: GrantPrepaidCreditsInput!) {
  grantPrepaidCredits(contractId: $contractId, input: $input) { ${GRANT_FIELDS} }
}`;
const VOID = `mutation($id: ID!) { voidCreditGrant(id: $id) { id status closedAt } }`;
const BALANCE = `query($customerId: ID!) {
  creditBalance(customerId: $customerId) {
    totals { currency granted used expired voided remaining }
    grants { grantId type status granted used expired voided remaining expiresAt description }
  }
}`;
const LEDGER = `query($customerId: ID!, $first: Int, $after: String) {
  creditLedger(customerId: $customerId, first: $first, after: $after) {
    edges { cursor node { id kind amount grantBalanceAfter description } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Grant {
  id: string;
  type: string;
  amount: string;
  effectiveAt: string;
  expiresAt: string | null;
  commitmentInvoiceId: string | null;
  idempotencyKey: string | null;
}
interface Totals {
  currency: string;
  granted: string;
  used: string;
  expired: string;
  voided: string;
  remaining: string;
}

function expectError(result: GraphQLResult, code: string, field?: string) {
  expect(result.errors?.[0].extensions?.code).toBe(code);
  if (field !== undefined) expect(result.errors?.[0].extensions?.field).toBe(field);
  expect(result.data).toBeNull();
}

async function count(t: TestApp, table: string): Promise<number> {
  const [row] = (await t.app.db.query(`SELECT COUNT(*) AS n FROM ${table}`)) as Array<{ n: string }>;
  return Number(row.n);
}

describe('credits through the API', () => {
  let t: TestApp;
  let monthlyPlan: string;
  let quarterlyPlan: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-01-01T00:00:00Z');
    const fee = await createFlatFee(t, 'Platform fee', '40');
    monthlyPlan = await createPlan(t, {
      name: 'Monthly',
      billingCycle: 'MONTHLY',
      items: [{ pricingId: fee }],
    });
    const small = await createFlatFee(t, 'Support', '10');
    quarterlyPlan = await createPlan(t, {
      name: 'Quarterly',
      billingCycle: 'QUARTERLY',
      items: [{ pricingId: small }],
    });
  });
  afterAll(() => t.stop());
  afterEach(async () => {
    await expectLedgerBalances(t);
  });

  async function newContract(name: string, extra: Record<string, unknown> = {}, planId = monthlyPlan) {
    const customerId = await createCustomer(t, name);
    const contractId = await createContract(t, {
      customerId,
      planId,
      startDate: '2026-01-01',
      endDate: '2026-06-30',
      ...extra,
    });
    return { customerId, contractId };
  }
  const balance = async (customerId: string) =>
    (
      await t.gqlOk<{ creditBalance: { totals: Totals[]; grants: Array<Record<string, unknown>> } }>(
        BALANCE,
        { customerId },
      )
    ).creditBalance;

  describe('granting', () => {
    it('grants promotional credits, available now, and reports them per grant', async () => {
      t.clock.set('2026-02-10T08:00:00Z');
      const { customerId, contractId } = await newContract('Promo Co');
      const { grantPromotionalCredits: grant } = await t.gqlOk<{ grantPromotionalCredits: Grant }>(
        GRANT_PROMO,
        {
          contractId,
          input: { amountCents: 2500, description: 'Welcome credits', expiresAt: '2026-05-01T00:00:00Z' },
        },
      );
      expect(grant).toMatchObject({
        customerId,
        contractId,
        type: 'PROMOTIONAL',
        status: 'ACTIVE',
        currency: 'USD',
        amount: '25.00',
        description: 'Welcome credits',
        effectiveAt: '2026-02-10T08:00:00.000Z',
        expiresAt: '2026-05-01T00:00:00.000Z',
        invoiceAmount: null,
        commitmentInvoiceId: null,
      });
      const b = await balance(customerId);
      expect(b.totals).toEqual([
        {
          currency: 'USD',
          granted: '25.00',
          used: '0.00',
          expired: '0.00',
          voided: '0.00',
          remaining: '25.00',
        },
      ]);
      expect(b.grants).toEqual([
        {
          grantId: grant.id,
          type: 'PROMOTIONAL',
          status: 'ACTIVE',
          granted: '25.00',
          used: '0.00',
          expired: '0.00',
          voided: '0.00',
          remaining: '25.00',
          expiresAt: '2026-05-01T00:00:00.000Z',
          description: 'Welcome credits',
        },
      ]);
    });

    it('a prepaid top-up with an invoice amount issues a COMMITMENT invoice with the next number', async () => {
      t.clock.set('2026-02-10T08:00:00Z');
      const { customerId, contractId } = await newContract('Topup Co', { paymentTermsDays: 15 });
      const { grantPrepaidCredits: grant } = await t.gqlOk<{ grantPrepaidCredits: Grant }>(GRANT_PREPAID, {
        contractId,
        input: { amountCents: '125000', invoiceAmountCents: 100000, description: 'Top-up' },
      });
      expect(grant).toMatchObject({ type: 'PREPAID', amount: '1250.00', expiresAt: null });
      const invoice = (await invoicesOf(t, customerId)).find((i) => i.id === grant.commitmentInvoiceId)!;
      expect(invoice).toMatchObject({
        status: 'FINALIZED',
        number: expect.stringMatching(/^INV-\d{6}$/),
        total: '1000.00',
        creditsApplied: '0.00',
        amountDue: '1000.00',
        issuedAt: '2026-02-10T08:00:00.000Z',
        dueDate: '2026-02-25T08:00:00.000Z',
      });
      expect(invoice.lines.map((l) => [l.kind, l.description, l.amount])).toEqual([
        ['COMMITMENT', 'Top-up', '1000.00'],
      ]);
    });

    it('contract credits without an invoice amount issue no invoice and default to the contract end', async () => {
      t.clock.set('2026-01-01T00:00:00Z');
      const before = await count(t, "invoices WHERE kind = 'COMMITMENT'");
      const { customerId } = await newContract('Plain Credits Co', { creditGrantCents: 5000 });
      expect(await count(t, "invoices WHERE kind = 'COMMITMENT'")).toBe(before);
      const b = await balance(customerId);
      expect(b.grants).toEqual([
        expect.objectContaining({
          type: 'PREPAID',
          description: 'Prepaid credits',
          granted: '50.00',
          expiresAt: '2026-07-01T00:00:00.000Z', // the first instant after the last day covered
        }),
      ]);
    });

    it('publishes on credits:<environment>:<customer> after each balance change commits', async () => {
      t.clock.set('2026-02-10T08:00:00Z');
      const { customerId, contractId } = await newContract('Notify Co');
      const messages: unknown[] = [];
      const stop = t.app.services.pubsub.subscribe(creditBalanceTopic(t.environmentId, customerId), (m) =>
        messages.push(m),
      );
      const { grantPromotionalCredits: grant } = await t.gqlOk<{ grantPromotionalCredits: Grant }>(
        GRANT_PROMO,
        {
          contractId,
          input: { amountCents: 100 },
        },
      );
      await t.gqlOk(VOID, { id: grant.id });
      // A failed grant (rolled back) announces nothing.
      await t.gql(GRANT_PROMO, {
        contractId,
        input: { amountCents: 100, expiresAt: '2020-01-01T00:00:00Z' },
      });
      stop();
      expect(messages).toEqual([
        { environmentId: t.environmentId, customerId, reason: 'GRANT' },
        { environmentId: t.environmentId, customerId, reason: 'VOID' },
      ]);
    });
  });

  describe('idempotency keys', () => {
    it('repeating a key returns the first grant and grants nothing more', async () => {
      t.clock.set('2026-02-10T08:00:00Z');
      const { customerId, contractId } = await newContract('Idem Co');
      const input = { amountCents: 1000, invoiceAmountCents: 900, idempotencyKey: 'topup-2026-02' };
      const first = await t.gqlOk<{ grantPrepaidCredits: Grant }>(GRANT_PREPAID, { contractId, input });
      const again = await t.gqlOk<{ grantPrepaidCredits: Grant }>(GRANT_PREPAID, { contractId, input });
      expect(again.grantPrepaidCredits).toEqual(first.grantPrepaidCredits);
      expect((await balance(customerId)).totals[0].granted).toBe('10.00');
      expect(await count(t, `invoices WHERE customer_id = '${customerId}' AND kind = 'COMMITMENT'`)).toBe(1);

      // The same key for something else is a conflict, not a silent replay.
      const other = await t.gql(GRANT_PREPAID, { contractId, input: { ...input, amountCents: 2000 } });
      expectError(other, 'CONFLICT', 'input.idempotencyKey');
      const promo = await t.gql(GRANT_PROMO, {
        contractId,
        input: { amountCents: 1000, idempotencyKey: 'topup-2026-02' },
      });
      expectError(promo, 'CONFLICT', 'input.idempotencyKey');
    });

    it('concurrent repeats of a key create one grant and one commitment invoice, and numbers stay gap-free', async () => {
      t.clock.set('2026-02-10T08:00:00Z');
      const { customerId, contractId } = await newContract('Race Idem Co');
      const input = { amountCents: 5000, invoiceAmountCents: 4000, idempotencyKey: 'race-key' };
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          t.gqlOk<{ grantPrepaidCredits: Grant }>(GRANT_PREPAID, { contractId, input }),
        ),
      );
      expect(new Set(results.map((r) => r.grantPrepaidCredits.id)).size).toBe(1);
      expect(await count(t, `credit_grants WHERE customer_id = '${customerId}'`)).toBe(1);
      expect(await count(t, `invoices WHERE customer_id = '${customerId}' AND kind = 'COMMITMENT'`)).toBe(1);
      expect((await balance(customerId)).totals[0].granted).toBe('50.00');
      const numbers = (
        (await t.app.db.query(
          'SELECT number FROM invoices WHERE environment_id = ? AND number IS NOT NULL ORDER BY number',
          [t.environmentId],
        )) as Array<{ number: string }>
      ).map((r) => Number(r.number.slice(4)));
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    });

    it('keys are per environment', async () => {
      const other = await t.newOrganization('Idem Other Org');
      const fee = await t.gqlOk<{ createFlatFee: { id: string } }>(
        'mutation { createFlatFee(input: { name: "Fee", amount: "1" }) { id } }',
        {},
        other.apiKey,
      );
      const plan = await t.gqlOk<{ createPlan: { id: string } }>(
        'mutation($items: [PlanItemInput!]!) { createPlan(input: { name: "P", currency: "USD", items: $items }) { id } }',
        { items: [{ pricingId: fee.createFlatFee.id }] },
        other.apiKey,
      );
      const customer = await t.gqlOk<{ createCustomer: { id: string } }>(
        'mutation { createCustomer(input: { name: "Other" }) { id } }',
        {},
        other.apiKey,
      );
      const contract = await t.gqlOk<{ createContract: { id: string } }>(
        'mutation($input: CreateContractInput!) { createContract(input: $input) { id } }',
        {
          input: {
            customerId: customer.createCustomer.id,
            planId: plan.createPlan.id,
            startDate: '2026-01-01',
          },
        },
        other.apiKey,
      );
      const otherGrant = await t.gqlOk<{ grantPromotionalCredits: Grant }>(
        GRANT_PROMO,
        { contractId: contract.createContract.id, input: { amountCents: 100, idempotencyKey: 'shared-key' } },
        other.apiKey,
      );
      const { contractId } = await newContract('Shared Key Co');
      const mine = await t.gqlOk<{ grantPromotionalCredits: Grant }>(GRANT_PROMO, {
        contractId,
        input: { amountCents: 100, idempotencyKey: 'shared-key' },
      });
      expect(mine.grantPromotionalCredits.id).not.toBe(otherGrant.grantPromotionalCredits.id);

      // And a contract of the other environment is not found from this one.
      const foreign = await t.gql(GRANT_PROMO, {
        contractId: contract.createContract.id,
        input: { amountCents: 100 },
      });
      expectError(foreign, 'NOT_FOUND', 'contractId');
      const foreignBalance = await t.gql(BALANCE, { customerId: customer.createCustomer.id });
      expectError(foreignBalance, 'NOT_FOUND', 'customerId');
    });
  });

  describe('bad input: a clear error naming the field, and nothing written', () => {
    let contractId: string;
    beforeAll(async () => {
      t.clock.set('2026-02-10T08:00:00Z');
      ({ contractId } = await newContract('Bad Input Co'));
    });

    it.each([
      ['zero cents', { amountCents: 0 }, 'input.amountCents', /greater than zero/],
      ['negative cents', { amountCents: -500 }, 'input.amountCents', /greater than zero/],
      ['fractional cents', { amountCents: '10.5' }, 'input.amountCents', /whole number of cents/],
      ['too many cents', { amountCents: '1000000000000001' }, 'input.amountCents', /at most/],
      [
        'an expiry in the past',
        { amountCents: 100, expiresAt: '2026-02-01T00:00:00Z' },
        'input.expiresAt',
        /after/,
      ],
      [
        'an expiry at the start',
        { amountCents: 100, expiresAt: '2026-02-10T08:00:00Z' },
        'input.expiresAt',
        /after/,
      ],
      ['a long description', { amountCents: 100, description: 'x'.repeat(501) }, 'input.description', /500/],
      [
        'a zero invoice amount',
        { amountCents: 100, invoiceAmountCents: 0 },
        'input.invoiceAmountCents',
        /zero/,
      ],
    ])('%s', async (_name, input, field, message) => {
      const grants = await count(t, 'credit_grants');
      const entries = await count(t, 'credit_ledger_entries');
      const invoices = await count(t, 'invoices');
      const result = await t.gql(GRANT_PREPAID, { contractId, input });
      expectError(result, 'BAD_USER_INPUT', field);
      expect(result.errors?.[0].message).toMatch(message);
      expect([
        await count(t, 'credit_grants'),
        await count(t, 'credit_ledger_entries'),
        await count(t, 'invoices'),
      ]).toEqual([grants, entries, invoices]);
    });

    it('a non-numeric amount is rejected by the Decimal scalar', async () => {
      const result = await t.gql(GRANT_PROMO, { contractId, input: { amountCents: 'ten dollars' } });
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('an unknown contract is NOT_FOUND on contractId', async () => {
      expectError(
        await t.gql(GRANT_PROMO, { contractId: 'ctr_nope', input: { amountCents: 100 } }),
        'NOT_FOUND',
        'contractId',
      );
    });

    it.each([
      ['fractional creditGrantCents', { creditGrantCents: 0.5 }, 'input.creditGrantCents'],
      ['settings without an amount', { creditSettings: { description: 'x' } }, 'input.creditGrantCents'],
      [
        'an expiry before the start',
        { creditGrantCents: 100, creditSettings: { expiresAt: '2025-12-31T00:00:00Z' } },
        'input.creditSettings.expiresAt',
      ],
      [
        'a negative invoice amount',
        { creditGrantCents: 100, creditSettings: { invoiceAmountCents: -1 } },
        'input.creditSettings.invoiceAmountCents',
      ],
    ])('createContract with %s writes no contract, grant or invoice', async (_name, credits, field) => {
      const customerId = await createCustomer(t, `Bad Contract ${field}`);
      const before = [
        await count(t, 'contracts'),
        await count(t, 'credit_grants'),
        await count(t, 'invoices'),
      ];
      const result = await t.gql(
        'mutation($input: CreateContractInput!) { createContract(input: $input) { id } }',
        {
          input: { customerId, planId: monthlyPlan, startDate: '2026-01-01', ...credits },
        },
      );
      expectError(result, 'BAD_USER_INPUT', field);
      expect([
        await count(t, 'contracts'),
        await count(t, 'credit_grants'),
        await count(t, 'invoices'),
      ]).toEqual(before);
    });
  });

  describe('voiding and the ledger', () => {
    it('voids the remainder once; the ledger pages newest first', async () => {
      t.clock.set('2026-02-10T08:00:00Z');
      const { customerId, contractId } = await newContract('Void Co', {}, quarterlyPlan);
      const grants: Grant[] = [];
      for (const cents of [100, 200, 300]) {
        t.clock.advance(1000);
        const g = await t.gqlOk<{ grantPromotionalCredits: Grant }>(GRANT_PROMO, {
          contractId,
          input: { amountCents: cents, description: `promo ${cents}` },
        });
        grants.push(g.grantPromotionalCredits);
      }
      // The Q1 invoice ($10 support fee) draws $1 + $2 + $3 = $6 … then the rest is billed.
      t.clock.set('2026-04-02T01:00:00Z');
      const q1 = (await invoicesOf(t, customerId)).find((i) => i.periodStart === '2026-01-01T00:00:00.000Z')!;
      const finalized = await finalizeInvoice(t, q1.id);
      expect(finalized).toMatchObject({ total: '10.00', creditsApplied: '6.00', amountDue: '4.00' });

      t.clock.set('2026-02-11T00:00:00Z');
      const topUp = await t.gqlOk<{ grantPromotionalCredits: Grant }>(GRANT_PROMO, {
        contractId,
        input: { amountCents: 750, description: 'to void' },
      });
      const voided = await t.gqlOk<{ voidCreditGrant: { status: string; closedAt: string } }>(VOID, {
        id: topUp.grantPromotionalCredits.id,
      });
      expect(voided.voidCreditGrant.status).toBe('VOIDED');
      const again = await t.gqlOk<{ voidCreditGrant: { status: string; closedAt: string } }>(VOID, {
        id: topUp.grantPromotionalCredits.id,
      });
      expect(again.voidCreditGrant).toEqual(voided.voidCreditGrant);
      expect((await balance(customerId)).totals[0]).toEqual({
        currency: 'USD',
        granted: '13.50',
        used: '6.00',
        expired: '0.00',
        voided: '7.50',
        remaining: '0.00',
      });

      // Newest first, two per page: VOID, GRANT(to void), then the Q1 deductions, then the grants.
      type Page = {
        creditLedger: {
          edges: Array<{
            cursor: string;
            node: { id: string; kind: string; amount: string; description: string };
          }>;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      };
      const seen: Array<{ id: string; kind: string; amount: string }> = [];
      let after: string | null = null;
      do {
        const page: Page = await t.gqlOk<Page>(LEDGER, { customerId, first: 2, after });
        seen.push(...page.creditLedger.edges.map((e) => e.node));
        after = page.creditLedger.pageInfo.hasNextPage ? page.creditLedger.pageInfo.endCursor : null;
      } while (after);
      expect(seen.map((e) => [e.kind, e.amount])).toEqual([
        ['VOID', '-7.50'],
        ['GRANT', '7.50'],
        ['DEDUCTION', '-3.00'],
        ['DEDUCTION', '-2.00'],
        ['DEDUCTION', '-1.00'],
        ['GRANT', '3.00'],
        ['GRANT', '2.00'],
        ['GRANT', '1.00'],
      ]);
      const ids = seen.map((e) => BigInt(e.id));
      expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);

      expectError(await t.gql(LEDGER, { customerId, after: 'bm9wZQ' }), 'BAD_USER_INPUT', 'after');
      expectError(await t.gql(VOID, { id: 'crg_nope' }), 'NOT_FOUND', 'id');
    });

    it('an expired grant cannot be voided', async () => {
      t.clock.set('2026-02-10T08:00:00Z');
      const { contractId } = await newContract('Expired Void Co', {}, quarterlyPlan);
      const { grantPromotionalCredits: grant } = await t.gqlOk<{ grantPromotionalCredits: Grant }>(
        GRANT_PROMO,
        {
          contractId,
          input: { amountCents: 100, expiresAt: '2026-02-20T00:00:00Z' },
        },
      );
      t.clock.set('2026-02-21T00:00:00Z');
      // Its Q1 invoice (the period started before the expiry) is still open: the grant waits for it.
      await t.app.workers.creditExpiry.drain();
      expect(
        (
          await t.gqlOk<{ creditGrant: { status: string } }>(
            'query($id: ID!) { creditGrant(id: $id) { status } }',
            { id: grant.id },
          )
        ).creditGrant.status,
      ).toBe('ACTIVE');
      // Voiding the contract's open invoice releases it.
      const q1 = await t.app.db.query(
        "SELECT id FROM invoices WHERE contract_id = ? AND kind = 'PERIOD' AND status = 'DRAFT'",
        [contractId],
      );
      for (const row of q1 as Array<{ id: string }>) {
        await t.gqlOk('mutation($id: ID!) { voidInvoice(id: $id) { id } }', { id: row.id });
      }
      await t.app.workers.creditExpiry.drain();
      expectError(await t.gql(VOID, { id: grant.id }), 'CONFLICT', 'id');
    });
  });

  describe('concurrent finalizations of one customer', () => {
    it('parallel finalizeInvoice calls never spend the same credits', async () => {
      t.clock.set('2026-01-01T00:00:00Z');
      const { customerId, contractId } = await newContract('Parallel Co');
      await t.gqlOk(GRANT_PROMO, {
        contractId,
        input: { amountCents: 7000, expiresAt: '2026-03-31T00:00:00Z' },
      });
      await t.gqlOk(GRANT_PREPAID, { contractId, input: { amountCents: 5500 } });
      t.clock.set('2026-07-05T00:00:00Z');
      const drafts = (await invoicesOf(t, customerId, 'DRAFT')).filter((i) => i.periodStart >= '2026-01');
      expect(drafts).toHaveLength(6); // Jan–Jun, $40 each
      const finalized = await Promise.all(drafts.map((d) => finalizeInvoice(t, d.id)));
      const sum = (field: 'creditsApplied' | 'amountDue') =>
        finalized.reduce((s, i) => s + Math.round(Number(i[field]) * 100), 0);
      // $70 promotional (only Jan–Mar can use it) + $55 prepaid = $125 of $240.
      expect(sum('creditsApplied')).toBe(12500);
      expect(sum('amountDue')).toBe(11500);
      expect((await balance(customerId)).totals[0]).toMatchObject({
        granted: '125.00',
        used: '125.00',
        remaining: '0.00',
      });
    });

    it('two finalizer workers finalizing the same customer share the credits exactly', async () => {
      t.clock.set('2026-01-01T00:00:00Z');
      const customerId = await createCustomer(t, 'Two Workers Co');
      // Three contracts of one customer (flat fees only, so they may overlap): three invoices per month.
      const contracts = [];
      for (const planId of [monthlyPlan, monthlyPlan, quarterlyPlan]) {
        contracts.push(
          await createContract(t, { customerId, planId, startDate: '2026-01-01', endDate: '2026-03-31' }),
        );
      }
      await t.gqlOk(GRANT_PREPAID, { contractId: contracts[0], input: { amountCents: 9999 } });
      await t.gqlOk(GRANT_PROMO, {
        contractId: contracts[1],
        input: { amountCents: 1234, expiresAt: '2026-02-15T00:00:00Z' },
      });
      t.clock.set('2026-04-02T01:00:00Z');
      const second = new InvoiceFinalizerWorker(
        t.app.services.invoices,
        t.app.services.invoiceSchedule,
        () => TestApp.systemContext(t.app, t.clock),
        (env, org) => TestApp.systemContext(t.app, t.clock, env, org),
        t.app.log,
      );
      await Promise.all([t.app.workers.invoiceFinalizer.drain(), second.drain()]);
      const invoices = (await invoicesOf(t, customerId)).filter((i) => i.periodStart >= '2026-01');
      expect(invoices.every((i) => i.status === 'FINALIZED')).toBe(true);
      expect(invoices).toHaveLength(7); // 2 × 3 monthly + 1 quarterly
      const applied = invoices.reduce((s, i) => s + Math.round(Number(i.creditsApplied) * 100), 0);
      const total = invoices.reduce((s, i) => s + Math.round(Number(i.total) * 100), 0);
      expect(total).toBe(2 * 3 * 4000 + 1000);
      expect(applied).toBe(9999 + 1234);
      expect((await balance(customerId)).totals[0]).toMatchObject({ remaining: '0.00', used: '112.33' });
    });
  });
});
