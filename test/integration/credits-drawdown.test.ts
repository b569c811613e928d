import { withTransaction } from '../../src/db/transaction';
import { Decimal } from '../../src/domain/money';
import type { DrawdownInput, DrawdownLine } from '../../src/services/credits';
import { TestApp } from '../support/test-app';
import { createCustomer } from '../support/billing-api';
import { createFlatPlan, expectLedgerBalances, insertContract } from '../support/credit-ledger';

/**
 * The drawdown service through a system RequestContext (the invoice engine's view of the seam):
 * ordering to the cent, eligibility, preview vs apply, and concurrent finalizations.
 */

const Q1 = { periodStart: new Date('2026-01-01T00:00:00Z'), periodEnd: new Date('2026-04-01T00:00:00Z') };
const Q2 = { periodStart: new Date('2026-04-01T00:00:00Z'), periodEnd: new Date('2026-07-01T00:00:00Z') };

let lineNo = 0;
function usageLine(amount: string, dims: Record<string, string> = {}, kind: DrawdownLine['kind'] = 'USAGE') {
  lineNo++;
  return {
    key: String(lineNo),
    kind,
    amount: new Decimal(amount),
    description: `Line ${lineNo}`,
    meterCode: kind === 'USAGE' ? 'AI_CALL' : null,
    dimensions: kind === 'USAGE' ? dims : null,
  } satisfies DrawdownLine;
}

const money = (d: Decimal) => d.toFixed(2);

describe('credit drawdown (service level)', () => {
  let t: TestApp;
  let planId: string;
  let eurPlanId: string;
  beforeAll(async () => {
    t = await TestApp.start();
    planId = await createFlatPlan(t, 'USD');
    eurPlanId = await createFlatPlan(t, 'EUR');
  });
  afterAll(() => t.stop());
  afterEach(async () => {
    await expectLedgerBalances(t);
  });

  async function customerWithContract(name: string, currency = 'USD') {
    const customerId = await createCustomer(t, name);
    const contract = await insertContract(t, {
      customerId,
      planId: currency === 'USD' ? planId : eurPlanId,
      currency,
      startDate: '2026-01-01T00:00:00Z',
      endDate: '2026-12-31T00:00:00Z',
    });
    return { customerId, contractId: contract.id };
  }

  const grant = (
    type: 'PROMOTIONAL' | 'PREPAID',
    contractId: string,
    amountCents: number,
    expiresAt: string | null,
    description: string,
  ) => {
    t.clock.advance(1000); // distinct creation times: "then the oldest" is observable
    const input = { amountCents, expiresAt: expiresAt ? new Date(expiresAt) : null, description };
    return type === 'PROMOTIONAL'
      ? t.app.services.credits.grantPromotionalCredits(t.system, contractId, input)
      : t.app.services.credits.grantPrepaidCredits(t.system, contractId, input);
  };

  const input = (
    customerId: string,
    invoiceId: string,
    lines: DrawdownLine[],
    period = Q1,
  ): DrawdownInput => ({
    invoiceId,
    customerId,
    contractId: null,
    currency: 'USD',
    ...period,
    lines,
  });

  const apply = (i: DrawdownInput) =>
    withTransaction(t.system, (tx) => t.app.services.creditDrawdown.apply(tx, i));

  async function deductions(invoiceId: string) {
    const rows: Array<{
      grant_id: string;
      invoice_line_key: string;
      amount_cents: string;
      dimensions: unknown;
    }> = await t.app.db.query(
      `SELECT grant_id, invoice_line_key, amount_cents, dimensions FROM credit_ledger_entries
         WHERE invoice_id = ? AND kind = 'DEDUCTION' ORDER BY id`,
      [invoiceId],
    );
    return rows;
  }

  it('draws soonest expiry first, promotional before prepaid on a tie, then the oldest — to the cent', async () => {
    t.clock.set('2026-01-05T00:00:00Z');
    const { customerId, contractId } = await customerWithContract('Order Co');
    // Created in this order; drawn in the order: tiePromo, prepaidOld, prepaidNew, laterPromo.
    const prepaidOld = await grant(
      'PREPAID',
      contractId,
      50_000,
      '2026-03-31T00:00:00Z',
      'prepaid, Mar, older',
    );
    const laterPromo = await grant('PROMOTIONAL', contractId, 10_000, '2026-06-30T00:00:00Z', 'promo, Jun');
    const tiePromo = await grant('PROMOTIONAL', contractId, 5_000, '2026-03-31T00:00:00Z', 'promo, Mar');
    const prepaidNew = await grant(
      'PREPAID',
      contractId,
      3_000,
      '2026-03-31T00:00:00Z',
      'prepaid, Mar, newer',
    );
    const noExpiry = await grant('PREPAID', contractId, 1_000, null, 'prepaid, never expires');

    const lines = [
      usageLine('400.01', { region: 'US' }),
      usageLine('249.99', { region: 'EU' }),
      usageLine('1000.00', {}, 'COMMITMENT'), // never credited
    ];
    const preview = await t.app.services.creditDrawdown.preview(
      t.system,
      input(customerId, 'inv_order', lines),
    );
    const result = await apply(input(customerId, 'inv_order', lines));
    expect(money(preview.applied)).toBe('650.00');
    expect(result.perGrant.map((g) => [g.grantId, money(g.amount)])).toEqual([
      [tiePromo.id, '50.00'],
      [prepaidOld.id, '500.00'],
      [prepaidNew.id, '30.00'],
      [laterPromo.id, '70.00'],
    ]);
    expect(money(result.applied)).toBe('650.00');
    expect([...result.perLine].map(([k, v]) => [k, money(v)])).toEqual([
      [lines[0].key, '400.01'],
      [lines[1].key, '249.99'],
    ]);
    // $30 left on the June promotion, $10 on the grant without expiry.
    expect(money(result.remainingBalance)).toBe('40.00');
    expect(preview.perGrant).toEqual(result.perGrant);

    // One DEDUCTION per (grant, line), naming the line's dimensions; they add up per line and per grant.
    const rows = await deductions('inv_order');
    const byLine = new Map<string, Decimal>();
    const byGrant = new Map<string, Decimal>();
    for (const row of rows) {
      expect(Number(row.amount_cents)).toBeLessThan(0);
      byLine.set(
        row.invoice_line_key,
        (byLine.get(row.invoice_line_key) ?? new Decimal(0)).minus(row.amount_cents),
      );
      byGrant.set(row.grant_id, (byGrant.get(row.grant_id) ?? new Decimal(0)).minus(row.amount_cents));
    }
    expect(Object.fromEntries([...byLine].map(([k, v]) => [k, v.toFixed()]))).toEqual({
      [lines[0].key]: '40001',
      [lines[1].key]: '24999',
    });
    expect(Object.fromEntries([...byGrant].map(([k, v]) => [k, v.toFixed()]))).toEqual({
      [tiePromo.id]: '5000',
      [prepaidOld.id]: '50000',
      [prepaidNew.id]: '3000',
      [laterPromo.id]: '7000',
    });
    expect(rows.find((r) => r.invoice_line_key === lines[1].key)?.dimensions).toEqual({ region: 'EU' });
    expect(byGrant.has(noExpiry.id)).toBe(false);
  });

  it('bills usage beyond the balance as overage, and later invoices see what is left', async () => {
    t.clock.set('2026-01-05T00:00:00Z');
    const { customerId, contractId } = await customerWithContract('Overage Co');
    await grant('PREPAID', contractId, 10_000, '2026-12-31T23:59:59Z', 'prepaid $100');
    const first = await apply(input(customerId, 'inv_over_1', [usageLine('60.25'), usageLine('0.00')]));
    expect(money(first.applied)).toBe('60.25');
    expect(money(first.remainingBalance)).toBe('39.75');
    const lines = [usageLine('30.00'), usageLine('20.00', {}, 'FLAT_FEE')];
    const preview = await t.app.services.creditDrawdown.preview(
      t.system,
      input(customerId, 'inv_over_2', lines, Q2),
    );
    expect(money(preview.applied)).toBe('39.75');
    expect(money(preview.remainingBalance)).toBe('0.00');
    const second = await apply(input(customerId, 'inv_over_2', lines, Q2));
    expect(money(second.applied)).toBe('39.75');
    // 50.00 total − 39.75 applied = 10.25 due as overage, at normal rates.
    const total = lines.reduce((s, l) => s.plus(l.amount), new Decimal(0));
    expect(money(total.minus(second.applied))).toBe('10.25');
    expect(money(second.remainingBalance)).toBe('0.00');
    const third = await apply(input(customerId, 'inv_over_3', [usageLine('5.00')], Q2));
    expect(money(third.applied)).toBe('0.00');
    expect(third.perGrant).toEqual([]);
  });

  it('preview is read-only', async () => {
    t.clock.set('2026-01-05T00:00:00Z');
    const { customerId, contractId } = await customerWithContract('Preview Co');
    await grant('PROMOTIONAL', contractId, 2_500, '2026-12-31T00:00:00Z', 'promo');
    const before = await t.app.db.query('SELECT COUNT(*) AS n FROM credit_ledger_entries');
    const result = await t.app.services.creditDrawdown.preview(
      t.system,
      input(customerId, 'inv_preview', [usageLine('10.00')]),
    );
    expect(money(result.applied)).toBe('10.00');
    expect(money(result.remainingBalance)).toBe('15.00');
    expect(await t.app.db.query('SELECT COUNT(*) AS n FROM credit_ledger_entries')).toEqual(before);
  });

  it('skips grants expired before the period starts, not yet effective, or in another currency', async () => {
    t.clock.set('2026-01-05T00:00:00Z');
    const { customerId, contractId } = await customerWithContract('Eligibility Co');
    const eur = await insertContract(t, {
      customerId,
      planId: eurPlanId,
      currency: 'EUR',
      startDate: '2026-01-01T00:00:00Z',
    });
    await grant('PROMOTIONAL', contractId, 1_000, '2026-04-01T00:00:00Z', 'ends exactly at Q2 start');
    await grant('PROMOTIONAL', eur.id, 1_000, null, 'EUR credits');
    // A contract starting in Q3: its grant becomes effective then.
    const later = await insertContract(t, { customerId, planId, startDate: '2026-07-01T00:00:00Z' });
    await grant('PREPAID', later.id, 1_000, null, 'from Q3');
    const q2 = await t.app.services.creditDrawdown.preview(
      t.system,
      input(customerId, 'inv_elig_q2', [usageLine('5.00')], Q2),
    );
    expect(money(q2.applied)).toBe('0.00');
    const q1 = await t.app.services.creditDrawdown.preview(
      t.system,
      input(customerId, 'inv_elig_q1', [usageLine('50.00')], Q1),
    );
    expect(money(q1.applied)).toBe('10.00'); // only the USD grant that expires after Q1 starts
  });

  it('never credits more than the creditable net (a negative proration line lowers the cap)', async () => {
    t.clock.set('2026-01-05T00:00:00Z');
    const { customerId, contractId } = await customerWithContract('Proration Co');
    await grant('PROMOTIONAL', contractId, 100_000, null, 'plenty');
    const lines = [
      usageLine('30.00'),
      usageLine('-12.50', {}, 'FLAT_FEE'),
      usageLine('2.00', {}, 'FLAT_FEE'),
    ];
    const result = await apply(input(customerId, 'inv_prorate', lines));
    expect(money(result.applied)).toBe('19.50');
    expect(result.perLine.has(lines[1].key)).toBe(false);
  });

  it('refuses to apply credits to the same invoice twice', async () => {
    t.clock.set('2026-01-05T00:00:00Z');
    const { customerId, contractId } = await customerWithContract('Twice Co');
    await grant('PROMOTIONAL', contractId, 1_000, null, 'promo');
    await apply(input(customerId, 'inv_twice', [usageLine('1.00')]));
    await expect(apply(input(customerId, 'inv_twice', [usageLine('1.00')]))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('concurrent finalizations of one customer never spend the same cents', async () => {
    t.clock.set('2026-01-05T00:00:00Z');
    const { customerId, contractId } = await customerWithContract('Race Co');
    const grants = [
      await grant('PROMOTIONAL', contractId, 777, '2026-06-30T00:00:00Z', 'promo'),
      await grant('PREPAID', contractId, 10_000, '2026-12-31T00:00:00Z', 'prepaid'),
      await grant('PREPAID', contractId, 333, null, 'no expiry'),
    ];
    const granted = 777 + 10_000 + 333;
    // 12 invoices of $25.00 each = $300.00 of usage against $111.10 of credits, finalized all at once.
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        apply(input(customerId, `inv_race_${i}`, [usageLine('20.00'), usageLine('5.00')])),
      ),
    );
    const applied = results.reduce((s, r) => s.plus(r.applied), new Decimal(0));
    expect(money(applied)).toBe('111.10');
    const rows = await t.app.db.query(
      'SELECT SUM(-amount_cents) AS used FROM credit_ledger_entries WHERE customer_id = ? AND kind = ?',
      [customerId, 'DEDUCTION'],
    );
    expect(Number(rows[0].used)).toBe(granted);
    const remaining = await t.app.db.query(`SELECT id, remaining_cents FROM credit_grants WHERE id IN (?)`, [
      grants.map((g) => g.id),
    ]);
    for (const row of remaining) expect(Number(row.remaining_cents)).toBe(0);
  });

  it('locks the grants through the customer index (no table scan)', async () => {
    const plan: Array<{ key: string | null; type: string }> = await t.app.db.query(
      `EXPLAIN SELECT * FROM credit_grants USE INDEX (ix_credit_grants_customer)
       WHERE environment_id = ? AND customer_id = ? ORDER BY id FOR UPDATE`,
      [t.environmentId, 'cus_x'],
    );
    expect(plan[0].key).toBe('ix_credit_grants_customer');
  });
});
