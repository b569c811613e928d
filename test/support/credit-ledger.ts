import { Decimal } from '../../src/domain/money';
import { newId } from '../../src/domain/ids';
import { ContractEntity } from '../../src/entities/contract.entity';
import type { TestApp } from './test-app';

/** Shared setup for the credits tests: a flat plan, bare contract rows, and the ledger's money invariants. */

/** A plan with one flat fee, in `currency` (contracts need a plan; drawdown tests bring their own lines). */
export async function createFlatPlan(t: TestApp, currency = 'USD', netTermsDays = 30): Promise<string> {
  const fee = await t.gqlOk<{ createFlatFee: { id: string } }>(
    'mutation($input: CreateFlatFeeInput!) { createFlatFee(input: $input) { id } }',
    { input: { name: `Platform fee ${currency}`, amount: '10' } },
  );
  const plan = await t.gqlOk<{ createPlan: { id: string } }>(
    'mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }',
    {
      input: {
        name: `Flat ${currency} ${Math.random()}`,
        currency,
        netTermsDays,
        billingCycle: 'QUARTERLY',
        items: [{ pricingId: fee.createFlatFee.id }],
      },
    },
  );
  return plan.createPlan.id;
}

/**
 * A bare contract row, for tests of the credit services alone (no pre-generated invoices). End-to-end
 * tests create contracts through the API instead.
 */
export async function insertContract(
  t: TestApp,
  fields: {
    customerId: string;
    planId: string;
    currency?: string;
    startDate: string;
    endDate?: string | null;
  },
): Promise<ContractEntity> {
  const repo = t.app.db.getRepository(ContractEntity);
  const start = new Date(fields.startDate);
  const contract = repo.create({
    id: newId('ctr'),
    environmentId: t.environmentId,
    customerId: fields.customerId,
    planId: fields.planId,
    currency: fields.currency ?? 'USD',
    status: 'ACTIVE',
    startDate: start,
    endDate: fields.endDate ? new Date(fields.endDate) : null,
    billingCycle: 'QUARTERLY',
    billingAnchor: start,
    paymentTermsDays: 45,
    autoPay: false,
    autoRenew: false,
    dimensions: {},
    source: 'API',
    createdAt: start,
    updatedAt: start,
  });
  await repo.insert(contract);
  return contract;
}

/** Dollars (a decimal string) to a Decimal; keeps test expectations readable. */
export const usd = (amount: string) => new Decimal(amount);

interface LedgerCheckRow {
  id: string;
  amount_cents: string;
  remaining_cents: string;
  status: string;
  ledger_sum: string | null;
  granted: string | null;
  used: string | null;
  reversed: string | null;
  expired: string | null;
  voided: string | null;
}

/**
 * The money invariants, straight from the tables: no grant is negative or above its amount; each grant's
 * cached remaining equals the sum of its entries; granted = (used − reversed) + expired + voided + remaining,
 * where `reversed` is what voided invoices gave back (REVERSAL entries), never more than was used.
 * Returns the rows for further assertions.
 */
export async function expectLedgerBalances(t: TestApp): Promise<LedgerCheckRow[]> {
  const rows: LedgerCheckRow[] = await t.app.db.query(`
    SELECT g.id, g.amount_cents, g.remaining_cents, g.status,
      (SELECT SUM(l.amount_cents) FROM credit_ledger_entries l WHERE l.grant_id = g.id) AS ledger_sum,
      (SELECT SUM(l.amount_cents) FROM credit_ledger_entries l WHERE l.grant_id = g.id AND l.kind = 'GRANT') AS granted,
      (SELECT -SUM(l.amount_cents) FROM credit_ledger_entries l WHERE l.grant_id = g.id AND l.kind = 'DEDUCTION') AS used,
      (SELECT SUM(l.amount_cents) FROM credit_ledger_entries l WHERE l.grant_id = g.id AND l.kind = 'REVERSAL') AS reversed,
      (SELECT -SUM(l.amount_cents) FROM credit_ledger_entries l WHERE l.grant_id = g.id AND l.kind = 'EXPIRY') AS expired,
      (SELECT -SUM(l.amount_cents) FROM credit_ledger_entries l WHERE l.grant_id = g.id AND l.kind = 'VOID') AS voided
    FROM credit_grants g`);
  for (const row of rows) {
    const n = (v: string | null) => new Decimal(v ?? 0);
    expect(n(row.remaining_cents).gte(0)).toBe(true);
    expect(n(row.remaining_cents).lte(n(row.amount_cents))).toBe(true);
    expect(n(row.ledger_sum).toFixed()).toBe(n(row.remaining_cents).toFixed());
    expect(n(row.granted).toFixed()).toBe(n(row.amount_cents).toFixed());
    expect(n(row.reversed).gte(0) && n(row.reversed).lte(n(row.used))).toBe(true);
    const netUsed = n(row.used).minus(n(row.reversed));
    expect(netUsed.plus(n(row.expired)).plus(n(row.voided)).plus(n(row.remaining_cents)).toFixed()).toBe(
      n(row.granted).toFixed(),
    );
  }
  // Every entry's running balance agrees with the sum of the grant's entries up to it.
  const drift: Array<{ n: string }> = await t.app.db.query(`
    SELECT COUNT(*) AS n FROM credit_ledger_entries l
    WHERE l.grant_balance_after_cents <>
      (SELECT SUM(p.amount_cents) FROM credit_ledger_entries p WHERE p.grant_id = l.grant_id AND p.id <= l.id)`);
  expect(Number(drift[0].n)).toBe(0);
  return rows;
}
