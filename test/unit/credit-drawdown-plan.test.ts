import {
  planDrawdown,
  type DrawdownGrant,
  type DrawdownPlanInput,
} from '../../src/domain/credit-drawdown-plan';
import { Decimal } from '../../src/domain/money';

const d = (value: string) => new Decimal(value);
const at = (iso: string) => new Date(iso);

function invoice(lines: Array<[kind: string, amount: string]>): DrawdownPlanInput {
  return {
    currency: 'USD',
    periodStart: at('2026-11-01T00:00:00Z'),
    periodEnd: at('2026-12-01T00:00:00Z'),
    lines: lines.map(([kind, amount], position) => ({ key: String(position), kind, amount: d(amount) })),
  };
}

function grant(id: string, overrides: Partial<DrawdownGrant> = {}): DrawdownGrant {
  return {
    id,
    type: 'PROMOTIONAL',
    status: 'ACTIVE',
    currency: 'USD',
    remainingCents: d('5000'),
    effectiveAt: at('2026-10-01T00:00:00Z'),
    expiresAt: null,
    createdAt: at('2026-10-01T00:00:00Z'),
    ...overrides,
  };
}

describe('planDrawdown', () => {
  it('never credits a negative line, and lets it lower what credits may cover', () => {
    const plan = planDrawdown(
      invoice([
        ['USAGE', '10.00'],
        ['FLAT_FEE', '-3.00'],
      ]),
      [grant('g1')],
    );
    expect(plan.appliedCents.toFixed()).toBe('700');
    expect(plan.lines.map((line) => line.creditedCents.toFixed())).toEqual(['700', '0']);
    expect(plan.grants.map((g) => [g.grantId, g.appliedCents.toFixed()])).toEqual([['g1', '700']]);
  });

  it('skips grants not yet effective by the period end and grants no longer active', () => {
    const plan = planDrawdown(invoice([['USAGE', '10.00']]), [
      grant('g_late', { effectiveAt: at('2026-12-01T00:00:00Z') }),
      grant('g_void', { status: 'VOIDED' }),
    ]);
    expect(plan.appliedCents.toFixed()).toBe('0');
    expect(plan.grants).toEqual([]);
  });

  it('leaves the commitment line to be paid: credits cover only creditable lines', () => {
    const plan = planDrawdown(
      invoice([
        ['USAGE', '2.00'],
        ['COMMITMENT', '100.00'],
      ]),
      [grant('g1', { remainingCents: d('50000') })],
    );
    expect(plan.appliedCents.toFixed()).toBe('200');
    expect(plan.amountDueCents.toFixed()).toBe('10000');
  });
});
