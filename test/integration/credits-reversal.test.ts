import { TestApp } from '../support/test-app';
import { expectLedgerBalances } from '../support/credit-ledger';
import {
  createContract,
  createCustomer,
  createFlatFee,
  createPlan,
  invoicesOf,
} from '../support/billing-api';

/**
 * Voiding a finalized invoice gives its credits back (REVERSAL entries), through GraphQL: to the cent, once
 * however often or concurrently it is voided, written off again on a grant that expired meanwhile, and
 * without breaking the ledger when a void and a finalization of the same customer run at the same time.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('credit reversal when a finalized invoice is voided', () => {
  let t: TestApp;
  let planId: string;
  beforeAll(async () => {
    t = await TestApp.start();
    const feeId = await createFlatFee(t, 'Platform fee', '20.37');
    planId = await createPlan(t, {
      name: 'Monthly platform',
      billingCycle: 'MONTHLY',
      items: [{ pricingId: feeId }],
    });
  });
  afterAll(() => t.stop());
  afterEach(async () => {
    await expectLedgerBalances(t);
  });

  const INVOICE = 'id status number total creditsApplied amountDue creditBalanceRemaining';
  interface Invoice {
    id: string;
    status: string;
    total: string;
    creditsApplied: string;
    amountDue: string;
    creditBalanceRemaining: string | null;
  }
  interface GrantBalance {
    grantId: string;
    status: string;
    used: string;
    expired: string;
    remaining: string;
  }
  interface Entry {
    kind: string;
    grantId: string;
    amount: string;
    invoiceId: string | null;
    invoiceLineKey: string | null;
    description: string;
  }

  const finalize = async (id: string) =>
    (
      await t.gqlOk<{ finalizeInvoice: Invoice }>(
        `mutation($id: ID!) { finalizeInvoice(id: $id) { ${INVOICE} } }`,
        { id },
      )
    ).finalizeInvoice;
  const voidInvoice = async (id: string) =>
    (
      await t.gqlOk<{ voidInvoice: Invoice }>(`mutation($id: ID!) { voidInvoice(id: $id) { ${INVOICE} } }`, {
        id,
      })
    ).voidInvoice;
  const balance = async (customerId: string) =>
    (
      await t.gqlOk<{
        creditBalance: {
          totals: Array<{ used: string; expired: string; remaining: string }>;
          grants: GrantBalance[];
        };
      }>(
        `query($id: ID!) { creditBalance(customerId: $id) {
           totals { used expired remaining } grants { grantId status used expired remaining } } }`,
        { id: customerId },
      )
    ).creditBalance;
  const ledger = async (customerId: string) =>
    (
      await t.gqlOk<{ creditLedger: { nodes: Entry[] } }>(
        `query($id: ID!) { creditLedger(customerId: $id, first: 100) {
           nodes { kind grantId amount invoiceId invoiceLineKey description } } }`,
        { id: customerId },
      )
    ).creditLedger.nodes.reverse(); // oldest first
  const grant = (
    kind: 'Promotional' | 'Prepaid',
    contractId: string,
    amountCents: number,
    expiresAt?: string,
  ) => {
    t.clock.advance(1000); // distinct creation times: balances list grants oldest first
    return t
      .gqlOk<Record<string, { id: string }>>(
        `mutation($id: ID!, $input: Grant${kind}CreditsInput!) { grant${kind}Credits(contractId: $id, input: $input) { id } }`,
        {
          id: contractId,
          input: { amountCents, description: `${kind} credits`, expiresAt: expiresAt ?? null },
        },
      )
      .then((data) => data[`grant${kind}Credits`].id);
  };

  /** A customer on the monthly $20.37 plan since Jan 1, with grants made on Jan 5 (drawable from January). */
  async function customerWithGrants(name: string, grants: (contractId: string) => Promise<unknown>) {
    t.clock.set('2026-01-05T00:00:00Z');
    const customerId = await createCustomer(t, name);
    const contractId = await createContract(t, { customerId, planId, startDate: '2026-01-01' });
    await grants(contractId);
    t.clock.set('2026-02-10T00:00:00Z');
    const all = await invoicesOf(t, customerId);
    const period = (start: string) => all.find((i) => i.periodStart === start)!.id;
    return {
      customerId,
      contractId,
      jan: period('2026-01-01T00:00:00.000Z'),
      feb: period('2026-02-01T00:00:00.000Z'),
    };
  }

  it('gives every deducted cent back to the grant it came from, per invoice line', async () => {
    let promo = '';
    let prepaid = '';
    const { customerId, jan, feb } = await customerWithGrants('Refund Co', async (contractId) => {
      promo = await grant('Promotional', contractId, 1_000, '2026-06-01T00:00:00Z');
      prepaid = await grant('Prepaid', contractId, 4_000);
    });
    expect(await finalize(jan)).toMatchObject({
      status: 'FINALIZED',
      creditsApplied: '20.37',
      amountDue: '0.00',
      creditBalanceRemaining: '29.63',
    });
    expect((await balance(customerId)).grants).toEqual([
      { grantId: promo, status: 'ACTIVE', used: '10.00', expired: '0.00', remaining: '0.00' },
      { grantId: prepaid, status: 'ACTIVE', used: '10.37', expired: '0.00', remaining: '29.63' },
    ]);

    const voided = await voidInvoice(jan);
    // The invoice keeps what it showed when finalized; the wallet gets the credits back.
    expect(voided).toMatchObject({
      status: 'VOID',
      creditsApplied: '20.37',
      creditBalanceRemaining: '29.63',
    });
    const after = await balance(customerId);
    expect(after.totals).toEqual([{ used: '0.00', expired: '0.00', remaining: '50.00' }]);
    expect(after.grants.map((g) => [g.grantId, g.used, g.remaining])).toEqual([
      [promo, '0.00', '10.00'],
      [prepaid, '0.00', '40.00'],
    ]);
    const reversals = (await ledger(customerId)).filter((e) => e.kind === 'REVERSAL');
    expect(reversals.map((e) => [e.grantId, e.amount, e.invoiceId, e.invoiceLineKey])).toEqual([
      [promo, '10.00', jan, '0'],
      [prepaid, '10.37', jan, '0'],
    ]);
    expect(reversals[0].description).toMatch(/^Invoice INV-\d{6} voided: /);

    // The next invoice draws on the restored credits again, in the usual order.
    expect(await finalize(feb)).toMatchObject({ creditsApplied: '20.37', creditBalanceRemaining: '29.63' });
  });

  it('reverses once: voiding again, or twice at the same time, gives nothing more back', async () => {
    const { customerId, jan } = await customerWithGrants('Twice Co', (contractId) =>
      grant('Prepaid', contractId, 10_000),
    );
    await finalize(jan);
    const [first, second] = await Promise.all([voidInvoice(jan), voidInvoice(jan)]);
    expect([first.status, second.status]).toEqual(['VOID', 'VOID']);
    expect(await voidInvoice(jan)).toMatchObject({ status: 'VOID' });
    expect((await balance(customerId)).totals).toEqual([
      { used: '0.00', expired: '0.00', remaining: '100.00' },
    ]);
    expect((await ledger(customerId)).map((e) => [e.kind, e.amount])).toEqual([
      ['GRANT', '100.00'],
      ['DEDUCTION', '-20.37'],
      ['REVERSAL', '20.37'],
    ]);
  });

  it('writes nothing when a draft is voided (nothing was deducted)', async () => {
    const { customerId, feb } = await customerWithGrants('Draft Co', (contractId) =>
      grant('Prepaid', contractId, 10_000),
    );
    expect(await voidInvoice(feb)).toMatchObject({ status: 'VOID', creditBalanceRemaining: null });
    expect((await ledger(customerId)).map((e) => e.kind)).toEqual(['GRANT']);
  });

  it('writes credits returned to a grant that has expired since off again as breakage', async () => {
    let promo = '';
    let prepaid = '';
    const { customerId, jan, feb } = await customerWithGrants('Lapsed Co', async (contractId) => {
      promo = await grant('Promotional', contractId, 1_500, '2026-02-01T00:00:00Z');
      prepaid = await grant('Prepaid', contractId, 4_000);
    });
    await finalize(jan); // 15.00 from the promo (expires first), 5.37 from the prepaid grant
    await t.app.workers.creditExpiry.drain();
    expect((await balance(customerId)).grants.map((g) => [g.grantId, g.status, g.remaining])).toEqual([
      [promo, 'EXPIRED', '0.00'],
      [prepaid, 'ACTIVE', '34.63'],
    ]);

    await voidInvoice(jan);
    const after = await balance(customerId);
    expect(after.grants).toEqual([
      { grantId: promo, status: 'EXPIRED', used: '0.00', expired: '15.00', remaining: '0.00' },
      { grantId: prepaid, status: 'ACTIVE', used: '0.00', expired: '0.00', remaining: '40.00' },
    ]);
    expect(after.totals).toEqual([{ used: '0.00', expired: '15.00', remaining: '40.00' }]);
    const promoEntries = (await ledger(customerId)).filter((e) => e.grantId === promo);
    expect(promoEntries.map((e) => [e.kind, e.amount])).toEqual([
      ['GRANT', '15.00'],
      ['DEDUCTION', '-15.00'],
      ['REVERSAL', '15.00'],
      ['EXPIRY', '-15.00'],
    ]);
    // The February draft cannot draw on the lapsed credits.
    expect(await finalize(feb)).toMatchObject({ creditsApplied: '20.37', creditBalanceRemaining: '19.63' });
  });

  it('keeps the ledger exact when voiding one invoice and finalizing another of the customer at once', async () => {
    // $30 of credits; January took $20.37 and left $9.63. February ($20.37) draws either $9.63 (finalized
    // before the void committed) or $20.37 (after): each outcome is consistent, none spends a cent twice.
    const customers = [];
    for (let i = 0; i < 8; i++) {
      customers.push(
        await customerWithGrants(`Race Co ${i}`, (contractId) => grant('Prepaid', contractId, 3_000)),
      );
    }
    for (const c of customers)
      expect(await finalize(c.jan)).toMatchObject({ creditBalanceRemaining: '9.63' });

    // Staggered by a few milliseconds per customer so that both orders happen: void first, finalize first.
    const results = await Promise.all(
      customers.map(async (c, i) => {
        const voiding = sleep(i * 20).then(() => voidInvoice(c.jan));
        const [, feb] = await Promise.all([voiding, finalize(c.feb)]);
        return { customerId: c.customerId, feb };
      }),
    );
    for (const { customerId, feb } of results) {
      expect([
        { creditsApplied: '9.63', creditBalanceRemaining: '0.00' },
        { creditsApplied: '20.37', creditBalanceRemaining: '9.63' },
      ]).toContainEqual({
        creditsApplied: feb.creditsApplied,
        creditBalanceRemaining: feb.creditBalanceRemaining,
      });
      const remaining = (await balance(customerId)).totals[0].remaining;
      expect(remaining).toBe(feb.creditsApplied === '9.63' ? '20.37' : '9.63');
      const statuses = (await invoicesOf(t, customerId)).map((i) => [i.periodStart.slice(0, 7), i.status]);
      expect(statuses).toEqual(
        expect.arrayContaining([
          ['2026-01', 'VOID'],
          ['2026-02', 'FINALIZED'],
        ]),
      );
    }
  });
});
