import { TestApp } from '../support/test-app';
import { expectLedgerBalances } from '../support/credit-ledger';
import {
  createContract,
  createCustomer,
  draftInvoice,
  invoicesOf,
  sendEvent,
  type InvoiceResult,
} from '../support/billing-api';
import { createProTokenPlan, ENTERPRISE_TIER_TOKEN_RATES, PRO_TOKEN_RATES } from '../support/seed-catalogs';

/**
 * Acceptance (issue 5): the seeds' full enterprise setup for Acme Corp — Pro plan, enterprise tier, quarterly
 * billing, net 45, $120,000 of credits for a $100,000 commitment, expiring at year end — followed through a
 * whole year: Q1 fully covered, Q2 overage, a prepaid top-up, Q3 covered, year-end breakage.
 */
const BALANCE = `query($customerId: ID!) {
  creditBalance(customerId: $customerId) {
    customerId
    totals { currency granted used expired voided remaining }
    grants { grantId type status description expiresAt granted used expired voided remaining
             grant { commitmentInvoiceId invoiceAmount } }
  }
}`;
const LEDGER = `query($customerId: ID!, $first: Int, $after: String) {
  creditLedger(customerId: $customerId, first: $first, after: $after) {
    nodes { id kind grantId amount grantBalanceAfter description invoiceId invoiceLineKey meterCode dimensions }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Balance {
  totals: Array<{
    currency: string;
    granted: string;
    used: string;
    expired: string;
    voided: string;
    remaining: string;
  }>;
  grants: Array<{
    grantId: string;
    type: string;
    status: string;
    description: string;
    expiresAt: string | null;
    granted: string;
    used: string;
    expired: string;
    remaining: string;
    grant: { commitmentInvoiceId: string | null; invoiceAmount: string | null };
  }>;
}
interface LedgerEntry {
  id: string;
  kind: string;
  grantId: string;
  amount: string;
  grantBalanceAfter: string;
  description: string;
  invoiceId: string | null;
  invoiceLineKey: string | null;
  meterCode: string | null;
  dimensions: Record<string, string> | null;
}

describe('Acme Corp: prepaid commitment drawn down over 2026 (seeds/001 full enterprise setup)', () => {
  let t: TestApp;
  let acme: string;
  let contractId: string;

  const balance = async () =>
    (await t.gqlOk<{ creditBalance: Balance }>(BALANCE, { customerId: acme })).creditBalance;
  const ledger = async () =>
    (await t.gqlOk<{ creditLedger: { nodes: LedgerEntry[] } }>(LEDGER, { customerId: acme, first: 200 }))
      .creditLedger.nodes;
  const periodInvoice = async (periodStart: string): Promise<InvoiceResult> => {
    const all = await invoicesOf(t, acme);
    return all.find((i) => i.periodStart === periodStart && i.lines.every((l) => l.kind !== 'COMMITMENT'))!;
  };
  async function sendTokens(model: string, tokens: number, key: string, timestamp: string) {
    t.clock.set(timestamp);
    const response = await sendEvent(t, {
      customer_id: 'acme',
      event_name: 'llm_tokens',
      idempotency_key: key,
      timestamp,
      properties: { model, tokens },
    });
    expect(response.status).toBe(202);
  }

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2025-12-15T10:00:00Z');
    // Rates per 1K tokens, keyed by customer_tier: enterprise pays half the Pro rate.
    const proPlanId = await createProTokenPlan(t, {
      groupKeys: ['model', 'customer_tier'],
      rates: [...PRO_TOKEN_RATES, ...ENTERPRISE_TIER_TOKEN_RATES],
    });
    acme = await createCustomer(t, 'Acme Corp', 'acme');
    t.clock.set('2026-01-01T00:00:00Z');
    contractId = await createContract(t, {
      planId: proPlanId,
      customerId: acme,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      dimensions: { customer_tier: 'enterprise' },
      billingCycle: 'QUARTERLY',
      paymentTermsDays: 45,
      creditGrantCents: 12000000,
      creditSettings: {
        description: '2026 annual commitment',
        expiresAt: '2026-12-31T23:59:59.000Z',
        invoiceAmountCents: 10000000,
      },
    });
  });
  afterAll(() => t.stop());

  it('grants $120,000 at the start and issues the $100,000 commitment invoice, due net 45', async () => {
    const b = await balance();
    expect(b.totals).toEqual([
      {
        currency: 'USD',
        granted: '120000.00',
        used: '0.00',
        expired: '0.00',
        voided: '0.00',
        remaining: '120000.00',
      },
    ]);
    expect(b.grants).toHaveLength(1);
    expect(b.grants[0]).toMatchObject({
      type: 'PREPAID',
      status: 'ACTIVE',
      description: '2026 annual commitment',
      expiresAt: '2026-12-31T23:59:59.000Z',
      remaining: '120000.00',
      grant: { invoiceAmount: '100000.00' },
    });
    const commitment = (await invoicesOf(t, acme)).find(
      (i) => i.id === b.grants[0].grant.commitmentInvoiceId,
    )!;
    expect(commitment).toMatchObject({
      number: 'INV-000001',
      status: 'FINALIZED',
      total: '100000.00',
      creditsApplied: '0.00',
      amountDue: '100000.00',
      issuedAt: '2026-01-01T00:00:00.000Z',
      dueDate: '2026-02-15T00:00:00.000Z',
    });
    expect(commitment.lines).toEqual([
      expect.objectContaining({
        kind: 'COMMITMENT',
        description: '2026 annual commitment',
        amount: '100000.00',
      }),
    ]);
    const entries = await ledger();
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([['GRANT', '120000.00']]);
  });

  it('Q1: $31,337.42 of usage is covered by credits, $0.00 due; the balance is $88,662.58', async () => {
    // 2,000,000K gpt-4 tokens × $0.015 = $30,000.00; 1,337,420K gpt-3.5 tokens × $0.001 = $1,337.42.
    await sendTokens('gpt-4', 1_000_000_000, 'q1-1', '2026-01-20T09:00:00Z');
    await sendTokens('gpt-4', 1_000_000_000, 'q1-2', '2026-02-20T09:00:00Z');
    await sendTokens('gpt-3.5', 1_337_420_000, 'q1-3', '2026-03-20T09:00:00Z');
    await t.app.workers.aggregator.drain();

    // The live draft shows what would be applied now.
    const draft = await draftInvoice(t, contractId);
    expect(draft).toMatchObject({ total: '31337.42', creditsApplied: '31337.42', amountDue: '0.00' });
    expect((await balance()).totals[0].remaining).toBe('120000.00'); // a preview spends nothing

    t.clock.set('2026-04-02T01:00:00Z'); // Q1 ended, grace passed: the finalizer's turn
    await t.app.workers.invoiceFinalizer.drain();
    const q1 = await periodInvoice('2026-01-01T00:00:00.000Z');
    expect(q1).toMatchObject({
      status: 'FINALIZED',
      number: 'INV-000002',
      total: '31337.42',
      creditsApplied: '31337.42',
      amountDue: '0.00',
    });
    expect(Date.parse(q1.dueDate!) - Date.parse(q1.issuedAt!)).toBe(45 * 24 * 3600 * 1000);
    const lines = q1.lines as Array<InvoiceResult['lines'][number] & { creditsApplied: string }>;
    expect(
      lines.map((l) => [l.dimensions?.model, l.dimensions?.customer_tier, l.amount, l.creditsApplied]).sort(),
    ).toEqual([
      ['gpt-3.5', 'enterprise', '1337.42', '1337.42'],
      ['gpt-4', 'enterprise', '30000.00', '30000.00'],
    ]);

    const b = await balance();
    expect(b.totals[0]).toMatchObject({ granted: '120000.00', used: '31337.42', remaining: '88662.58' });
    // The wallet: one DEDUCTION per line, naming the dimension it paid for.
    const deductions = (await ledger()).filter((e) => e.kind === 'DEDUCTION');
    expect(deductions.map((e) => [e.dimensions?.model, e.amount, e.invoiceId]).sort()).toEqual([
      ['gpt-3.5', '-1337.42', q1.id],
      ['gpt-4', '-30000.00', q1.id],
    ]);
    expect(deductions[0].grantBalanceAfter).toBe('88662.58'); // newest first: the last deduction written
    await expectLedgerBalances(t);
  });

  it('Q2: usage beyond the balance is billed as overage at the enterprise rate', async () => {
    // 6,000,000K gpt-4 tokens × $0.015 = $90,000.00 against $88,662.58 of credits.
    await sendTokens('gpt-4', 6_000_000_000, 'q2-1', '2026-05-10T09:00:00Z');
    await t.app.workers.aggregator.drain();
    const draft = await draftInvoice(t, contractId);
    expect(draft).toMatchObject({ total: '90000.00', creditsApplied: '88662.58', amountDue: '1337.42' });

    t.clock.set('2026-07-02T01:00:00Z');
    await t.app.workers.invoiceFinalizer.drain();
    const q2 = await periodInvoice('2026-04-01T00:00:00.000Z');
    expect(q2).toMatchObject({
      status: 'FINALIZED',
      total: '90000.00',
      creditsApplied: '88662.58',
      amountDue: '1337.42',
    });
    expect((await balance()).totals[0]).toMatchObject({ used: '120000.00', remaining: '0.00' });
    await expectLedgerBalances(t);
  });

  it('a prepaid top-up covers Q3; at year end its remainder expires as breakage', async () => {
    t.clock.set('2026-07-05T12:00:00Z');
    const topUp = await t.gqlOk<{ grantPrepaidCredits: { id: string; commitmentInvoiceId: string } }>(
      `mutation($contractId: ID!, $input: GrantPrepaidCreditsInput!) {
        grantPrepaidCredits(contractId: $contractId, input: $input) { id commitmentInvoiceId }
      }`,
      {
        contractId,
        input: {
          amountCents: 2000000,
          invoiceAmountCents: 1800000,
          description: 'Q3 top-up',
          expiresAt: '2026-12-31T23:59:59Z',
          idempotencyKey: 'acme-topup-1',
        },
      },
    );
    const topUpInvoice = (await invoicesOf(t, acme)).find(
      (i) => i.id === topUp.grantPrepaidCredits.commitmentInvoiceId,
    );
    expect(topUpInvoice).toMatchObject({ number: 'INV-000004', total: '18000.00', amountDue: '18000.00' });

    // 5,000,000K gpt-3.5 tokens × $0.001 = $5,000.00, all covered.
    await sendTokens('gpt-3.5', 5_000_000_000, 'q3-1', '2026-08-10T09:00:00Z');
    await t.app.workers.aggregator.drain();
    t.clock.set('2026-10-02T01:00:00Z');
    await t.app.workers.invoiceFinalizer.drain();
    const q3 = await periodInvoice('2026-07-01T00:00:00.000Z');
    expect(q3).toMatchObject({ total: '5000.00', creditsApplied: '5000.00', amountDue: '0.00' });
    expect((await balance()).totals[0]).toMatchObject({
      granted: '140000.00',
      used: '125000.00',
      remaining: '15000.00',
    });

    // Just past the expiry the Q4 invoice (its period started before the expiry) is still open: the credits
    // wait for it instead of expiring under it.
    t.clock.set('2027-01-01T00:00:00Z');
    await t.app.workers.creditExpiry.drain();
    expect((await balance()).totals[0]).toMatchObject({ expired: '0.00', remaining: '15000.00' });

    t.clock.set('2027-01-02T01:00:00Z');
    await t.app.workers.invoiceFinalizer.drain(); // Q4: no usage, nothing drawn
    await t.app.workers.creditExpiry.drain();
    const b = await balance();
    expect(b.totals[0]).toEqual({
      currency: 'USD',
      granted: '140000.00',
      used: '125000.00',
      expired: '15000.00',
      voided: '0.00',
      remaining: '0.00',
    });
    expect(b.grants.map((g) => [g.description, g.status, g.used, g.expired, g.remaining])).toEqual([
      ['2026 annual commitment', 'EXPIRED', '120000.00', '0.00', '0.00'],
      ['Q3 top-up', 'EXPIRED', '5000.00', '15000.00', '0.00'],
    ]);
    const newest = (await ledger())[0];
    expect(newest).toMatchObject({
      kind: 'EXPIRY',
      amount: '-15000.00',
      grantBalanceAfter: '0.00',
      grantId: topUp.grantPrepaidCredits.id,
    });

    // Exactly once: running the worker again writes nothing.
    await t.app.workers.creditExpiry.drain();
    expect((await ledger()).filter((e) => e.kind === 'EXPIRY')).toHaveLength(1);
    await expectLedgerBalances(t);
  });
});
