import {
  allocateLargestRemainder,
  allocateMinorUnits,
  applyCredits,
  compareGrantsForDrawdown,
  isGrantApplicable,
  lineAmount,
  sumAmounts,
  usageLineAmount,
  type CreditGrantBalance,
  type CreditableLine,
} from '../../src/domain/invoice-math';
import { Decimal } from '../../src/domain/money';

const d = (value: string) => new Decimal(value);
const at = (iso: string) => new Date(iso);
const list = (values: Decimal[], digits = 2) => values.map((v) => v.toFixed(digits));

describe('lineAmount: round once, half up, to the minor unit', () => {
  it.each([
    ['0.005', '0.01'],
    ['0.004999999999', '0.00'],
    ['1.005', '1.01'], // JS: (1.005).toFixed(2) === "1.00"
    ['2.675', '2.68'], // JS: (2.675).toFixed(2) === "2.67"
    ['1.015', '1.02'],
    ['37.03701', '37.04'],
    ['246.913578', '246.91'],
    ['0.125', '0.13'],
    ['-0.005', '-0.01'], // half up = away from zero, for credits/adjustments too
    ['21.35', '21.35'],
  ])('%s → %s (USD)', (precise, rounded) => {
    expect(lineAmount(d(precise), 'USD').amount.toFixed(2)).toBe(rounded);
  });

  it('uses the currency minor unit (JPY 0 digits, BHD 3 digits)', () => {
    expect(lineAmount(d('100.5'), 'JPY').amount.toFixed()).toBe('101');
    expect(lineAmount(d('100.49'), 'JPY').amount.toFixed()).toBe('100');
    expect(lineAmount(d('1.0005'), 'BHD').amount.toFixed()).toBe('1.001');
  });

  it('keeps the precise amount at 12 decimals and rounds that stored value', () => {
    const line = lineAmount(d('300').mul(16).div(92), 'USD');
    expect(line.preciseAmount.toFixed()).toBe('52.173913043478');
    expect(line.amount.toFixed(2)).toBe('52.17');
    // A value a hair under .005 that the 12-decimal column stores as .005 rounds as the invoice shows it.
    const hair = lineAmount(d('0.0049999999999996'), 'USD');
    expect(hair.preciseAmount.toFixed()).toBe('0.005');
    expect(hair.amount.toFixed(2)).toBe('0.01');
  });

  it('usageLineAmount is quantity × rate / unitSize, rounded once', () => {
    const line = usageLineAmount(d('1234567'), d('0.03'), d('1000'), 'USD');
    expect([line.preciseAmount.toFixed(), line.amount.toFixed(2)]).toEqual(['37.03701', '37.04']);
  });
});

describe('sumAmounts: totals are sums of rounded lines', () => {
  it('0.10 + 0.20 is exactly 0.30', () => {
    expect(sumAmounts([{ amount: d('0.1') }, { amount: d('0.2') }]).toFixed(2)).toBe('0.30');
    expect(sumAmounts([{ amount: d('0.1') }, { amount: d('0.2') }]).eq(d('0.3'))).toBe(true);
  });

  it('ten lines of 0.10 make exactly 1.00', () => {
    expect(sumAmounts(Array.from({ length: 10 }, () => ({ amount: d('0.10') }))).toFixed()).toBe('1');
  });

  it('sums rounded lines, not the rounding of the precise sum', () => {
    const lines = ['0.004', '0.004', '0.004'].map((p) => lineAmount(d(p), 'USD'));
    expect(sumAmounts(lines).toFixed(2)).toBe('0.00');
    const halves = ['0.005', '0.005', '0.005'].map((p) => lineAmount(d(p), 'USD'));
    expect(sumAmounts(halves).toFixed(2)).toBe('0.03');
  });

  it('an empty invoice totals zero', () => {
    expect(sumAmounts([]).toFixed(2)).toBe('0.00');
  });
});

describe('allocateLargestRemainder', () => {
  it('splits 100.00 in three: 33.34 + 33.33 + 33.33', () => {
    const parts = allocateLargestRemainder(d('100.00'), [d('1'), d('1'), d('1')], 'USD');
    expect(list(parts)).toEqual(['33.34', '33.33', '33.33']);
    expect(sumAmounts(parts.map((amount) => ({ amount }))).toFixed(2)).toBe('100.00');
  });

  it('gives leftover cents to the largest remainders, ties to the earlier index', () => {
    expect(list(allocateLargestRemainder(d('0.05'), [d('1'), d('1')], 'USD'))).toEqual(['0.03', '0.02']);
    // exact shares 3.3333, 6.6667 → 3.33, 6.67
    expect(list(allocateLargestRemainder(d('10.00'), [d('1'), d('2')], 'USD'))).toEqual(['3.33', '6.67']);
    // exact shares 0.3, 0.3, 0.4 cents of 1 cent → the 0.4 gets it
    expect(list(allocateLargestRemainder(d('0.01'), [d('3'), d('3'), d('4')], 'USD'))).toEqual([
      '0.00',
      '0.00',
      '0.01',
    ]);
  });

  it('is proportional to decimal weights', () => {
    const parts = allocateLargestRemainder(d('21.35'), ['13', '12', '6', '15', '4'].map(d), 'USD');
    expect(list(parts)).toEqual(['5.55', '5.12', '2.56', '6.41', '1.71']);
    expect(parts.reduce((a, b) => a.plus(b)).toFixed(2)).toBe('21.35');
  });

  it('zero weights get nothing; all-zero weights split evenly', () => {
    expect(list(allocateLargestRemainder(d('1.00'), [d('0'), d('1')], 'USD'))).toEqual(['0.00', '1.00']);
    expect(list(allocateLargestRemainder(d('1.00'), [d('0'), d('0'), d('0')], 'USD'))).toEqual([
      '0.34',
      '0.33',
      '0.33',
    ]);
  });

  it('handles zero and negative totals and other currencies', () => {
    expect(list(allocateLargestRemainder(d('0'), [d('1'), d('2')], 'USD'))).toEqual(['0.00', '0.00']);
    expect(list(allocateLargestRemainder(d('-1.00'), [d('1'), d('1'), d('1')], 'USD'))).toEqual([
      '-0.34',
      '-0.33',
      '-0.33',
    ]);
    expect(list(allocateLargestRemainder(d('100'), [d('1'), d('1'), d('1')], 'JPY'), 0)).toEqual([
      '34',
      '33',
      '33',
    ]);
    expect(list(allocateLargestRemainder(d('1.000'), [d('1'), d('1'), d('1')], 'KWD'), 3)).toEqual([
      '0.334',
      '0.333',
      '0.333',
    ]);
  });

  it('always adds back exactly and stays within one minor unit of the exact share', () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let round = 0; round < 300; round++) {
      const total = new Decimal(next() % 1_000_000).div(100);
      const weights = Array.from({ length: 1 + (next() % 12) }, () => new Decimal(next() % 10_000).div(1000));
      const parts = allocateLargestRemainder(total, weights, 'USD');
      expect(parts.reduce((a, b) => a.plus(b), d('0')).eq(total)).toBe(true);
      const weightSum = weights.reduce((a, b) => a.plus(b), d('0'));
      parts.forEach((part, i) => {
        expect(part.decimalPlaces()).toBeLessThanOrEqual(2);
        if (!weightSum.isZero()) {
          expect(part.minus(total.mul(weights[i]).div(weightSum)).abs().lt(d('0.01'))).toBe(true);
        }
      });
    }
  });

  it('rejects a total that is not in minor units, negative weights, and non-zero totals over no weights', () => {
    expect(() => allocateLargestRemainder(d('1.005'), [d('1')], 'USD')).toThrow(/whole number/);
    expect(() => allocateMinorUnits(d('10'), [d('-1'), d('2')])).toThrow(/negative/);
    expect(() => allocateMinorUnits(d('10'), [])).toThrow(/no weights/);
    expect(allocateMinorUnits(d('0'), [])).toEqual([]);
  });
});

function grant(
  id: string,
  type: 'PROMOTIONAL' | 'PREPAID',
  remainingCents: string,
  expiresAt: string | null,
  createdAt: string,
  currency = 'USD',
): CreditGrantBalance {
  return {
    id,
    type,
    currency,
    remainingCents: d(remainingCents),
    expiresAt: expiresAt === null ? null : at(expiresAt),
    createdAt: at(createdAt),
  };
}

const usage = (id: string, amount: string): CreditableLine => ({ id, kind: 'USAGE', amount: d(amount) });
const YEAR_END = '2026-12-31T23:59:59.000Z';

describe('credit drawdown order', () => {
  const grants = [
    grant('p1', 'PREPAID', '10000', YEAR_END, '2026-01-01T00:00:00Z'),
    grant('promo_june', 'PROMOTIONAL', '500', '2026-06-30T00:00:00Z', '2026-02-01T00:00:00Z'),
    grant('promo_dec', 'PROMOTIONAL', '300', YEAR_END, '2026-03-01T00:00:00Z'),
    grant('p0', 'PREPAID', '1000', YEAR_END, '2025-12-01T00:00:00Z'),
    grant('forever', 'PREPAID', '5000', null, '2025-01-01T00:00:00Z'),
  ];

  it('sorts: soonest expiry, then promotional before prepaid, then oldest, then id; no expiry last', () => {
    const sorted = [
      ...grants,
      grant('p1b', 'PREPAID', '1', YEAR_END, '2026-01-01T00:00:00Z'),
      grant('p1a', 'PREPAID', '1', YEAR_END, '2026-01-01T00:00:00Z'),
    ]
      .sort(compareGrantsForDrawdown)
      .map((g) => g.id);
    expect(sorted).toEqual(['promo_june', 'promo_dec', 'p0', 'p1', 'p1a', 'p1b', 'forever']);
  });

  it('draws $21.35 to the cent in that order', () => {
    const result = applyCredits(
      { currency: 'USD', periodStart: at('2026-03-01T00:00:00Z'), lines: [usage('l1', '21.35')] },
      grants,
    );
    expect(
      result.grants.map((g) => [g.grantId, g.appliedCents.toFixed(), g.remainingCents.toFixed()]),
    ).toEqual([
      ['promo_june', '500', '0'],
      ['promo_dec', '300', '0'],
      ['p0', '1000', '0'],
      ['p1', '335', '9665'],
    ]);
    expect(result.appliedCents.toFixed()).toBe('2135');
    expect(result.amountDueCents.toFixed()).toBe('0');
  });

  it('a promotional and a prepaid grant expiring the same day: promotional first, even if newer', () => {
    const result = applyCredits(
      { currency: 'USD', periodStart: at('2026-05-01T00:00:00Z'), lines: [usage('l1', '7.00')] },
      [
        grant('prepaid', 'PREPAID', '1000', YEAR_END, '2026-01-01T00:00:00Z'),
        grant('promo', 'PROMOTIONAL', '250', YEAR_END, '2026-04-01T00:00:00Z'),
      ],
    );
    expect(result.grants.map((g) => `${g.grantId}:${g.appliedCents.toFixed()}`)).toEqual([
      'promo:250',
      'prepaid:450',
    ]);
  });

  it('a prepaid grant expiring sooner goes before a promotional one expiring later', () => {
    const result = applyCredits(
      { currency: 'USD', periodStart: at('2026-05-01T00:00:00Z'), lines: [usage('l1', '7.00')] },
      [
        grant('promo', 'PROMOTIONAL', '1000', YEAR_END, '2026-01-01T00:00:00Z'),
        grant('prepaid', 'PREPAID', '250', '2026-09-30T00:00:00Z', '2026-04-01T00:00:00Z'),
      ],
    );
    expect(result.grants.map((g) => `${g.grantId}:${g.appliedCents.toFixed()}`)).toEqual([
      'prepaid:250',
      'promo:450',
    ]);
  });
});

describe('credit eligibility', () => {
  const lines = [usage('u', '10.00')];

  it('a grant applies only to invoices whose period starts before it expires', () => {
    const promo = grant('promo', 'PROMOTIONAL', '1000', '2026-03-31T23:59:59Z', '2026-01-01T00:00:00Z');
    expect(isGrantApplicable(promo, { currency: 'USD', periodStart: at('2026-03-01T00:00:00Z') })).toBe(true);
    expect(isGrantApplicable(promo, { currency: 'USD', periodStart: at('2026-03-31T23:59:58Z') })).toBe(true);
    expect(isGrantApplicable(promo, { currency: 'USD', periodStart: at('2026-03-31T23:59:59Z') })).toBe(
      false,
    );
    expect(isGrantApplicable(promo, { currency: 'USD', periodStart: at('2026-04-01T00:00:00Z') })).toBe(
      false,
    );
    const april = applyCredits({ currency: 'USD', periodStart: at('2026-04-01T00:00:00Z'), lines }, [promo]);
    expect([april.appliedCents.toFixed(), april.amountDueCents.toFixed(), april.grants]).toEqual([
      '0',
      '1000',
      [],
    ]);
  });

  it('only grants in the invoice currency apply', () => {
    const result = applyCredits({ currency: 'USD', periodStart: at('2026-03-01T00:00:00Z'), lines }, [
      grant('eur', 'PROMOTIONAL', '5000', YEAR_END, '2026-01-01T00:00:00Z', 'EUR'),
      grant('usd', 'PREPAID', '300', YEAR_END, '2026-02-01T00:00:00Z'),
    ]);
    expect(result.grants.map((g) => g.grantId)).toEqual(['usd']);
    expect(result.amountDueCents.toFixed()).toBe('700');
  });

  it('credits cover usage and flat fees only, not other charges such as a commitment', () => {
    const result = applyCredits(
      {
        currency: 'USD',
        periodStart: at('2026-01-01T00:00:00Z'),
        lines: [
          { id: 'commit', kind: 'COMMITMENT', amount: d('100000.00') },
          usage('u', '10.00'),
          { id: 'fee', kind: 'FLAT_FEE', amount: d('49.00') },
        ],
      },
      [grant('g', 'PREPAID', '12500000', YEAR_END, '2026-01-01T00:00:00Z')],
    );
    expect(
      [result.totalCents, result.eligibleCents, result.appliedCents, result.amountDueCents].map((c) =>
        c.toFixed(),
      ),
    ).toEqual(['10005900', '5900', '5900', '10000000']);
    expect(
      result.lines.map((l) => `${l.lineId}:${l.creditedCents.toFixed()}:${l.dueCents.toFixed()}`),
    ).toEqual(['commit:0:10000000', 'u:1000:0', 'fee:4900:0']);
  });

  it('empty grants are skipped and a negative balance is refused', () => {
    const empty = grant('empty', 'PROMOTIONAL', '0', '2026-02-01T00:00:00Z', '2026-01-01T00:00:00Z');
    const result = applyCredits({ currency: 'USD', periodStart: at('2026-01-01T00:00:00Z'), lines }, [empty]);
    expect(result.grants).toEqual([]);
    const broken = grant('broken', 'PREPAID', '-1', YEAR_END, '2026-01-01T00:00:00Z');
    expect(() =>
      applyCredits({ currency: 'USD', periodStart: at('2026-01-01T00:00:00Z'), lines }, [broken]),
    ).toThrow(/negative balance/);
  });

  it('refuses unrounded line amounts, fractional cents and negative creditable lines', () => {
    const start = at('2026-01-01T00:00:00Z');
    const g = grant('g', 'PREPAID', '100', YEAR_END, '2026-01-01T00:00:00Z');
    expect(() =>
      applyCredits({ currency: 'USD', periodStart: start, lines: [usage('u', '2.605')] }, [g]),
    ).toThrow(/whole number/);
    expect(() =>
      applyCredits({ currency: 'USD', periodStart: start, lines }, [
        grant('h', 'PREPAID', '0.5', YEAR_END, '2026-01-01T00:00:00Z'),
      ]),
    ).toThrow(/whole number/);
    expect(() =>
      applyCredits({ currency: 'USD', periodStart: start, lines: [usage('u', '-1.00')] }, [g]),
    ).toThrow(/cannot be negative/);
  });

  it('an invoice without lines or grants owes nothing and applies nothing', () => {
    const result = applyCredits({ currency: 'USD', periodStart: at('2026-01-01T00:00:00Z'), lines: [] }, []);
    expect([
      result.totalCents.toFixed(),
      result.appliedCents.toFixed(),
      result.amountDueCents.toFixed(),
    ]).toEqual(['0', '0', '0']);
  });
});

describe('credit deductions per line', () => {
  it('splits the credited total over lines in proportion, and each grant over the lines (both ways exact)', () => {
    const result = applyCredits(
      {
        currency: 'USD',
        periodStart: at('2026-01-01T00:00:00Z'),
        lines: [usage('a', '1.00'), usage('b', '2.00')],
      },
      [
        grant('promo', 'PROMOTIONAL', '50', '2026-06-30T00:00:00Z', '2026-01-01T00:00:00Z'),
        grant('prepaid', 'PREPAID', '100', YEAR_END, '2026-01-01T00:00:00Z'),
      ],
    );
    expect(result.lines.map((l) => [l.lineId, l.creditedCents.toFixed(), l.dueCents.toFixed()])).toEqual([
      ['a', '50', '50'],
      ['b', '100', '100'],
    ]);
    expect(
      result.grants.map((g) => [g.grantId, g.lines.map((l) => `${l.lineId}:${l.cents.toFixed()}`)]),
    ).toEqual([
      ['promo', ['a:17', 'b:33']],
      ['prepaid', ['a:33', 'b:67']],
    ]);
    expect(result.amountDueCents.toFixed()).toBe('150');
  });

  it('overage: usage beyond the balance stays due, no line is over-credited, every cent is accounted for', () => {
    const lines = ['2.60', '4.80', '1.50', '11.25', '1.20'].map((amount, i) => usage(`l${i}`, amount));
    const grants = [
      grant('g1', 'PROMOTIONAL', '1000', '2026-06-30T00:00:00Z', '2026-01-01T00:00:00Z'),
      grant('g2', 'PREPAID', '333', YEAR_END, '2026-01-01T00:00:00Z'),
      grant('g3', 'PREPAID', '1', YEAR_END, '2026-01-02T00:00:00Z'),
    ];
    const result = applyCredits({ currency: 'USD', periodStart: at('2026-01-01T00:00:00Z'), lines }, grants);
    expect(result.appliedCents.toFixed()).toBe('1334');
    expect(result.amountDueCents.toFixed()).toBe('801');
    // rows: each grant's lines sum to what it gave
    for (const g of result.grants) {
      expect(g.lines.reduce((s, l) => s.plus(l.cents), d('0')).eq(g.appliedCents)).toBe(true);
    }
    // columns: each line's grant shares sum to its credit, never above its amount
    for (const line of result.lines) {
      const fromGrants = result.grants.flatMap((g) => g.lines).filter((l) => l.lineId === line.lineId);
      expect(fromGrants.reduce((s, l) => s.plus(l.cents), d('0')).eq(line.creditedCents)).toBe(true);
      expect(line.creditedCents.lte(line.amountCents)).toBe(true);
      expect(line.dueCents.plus(line.creditedCents).eq(line.amountCents)).toBe(true);
    }
    expect(result.lines.map((l) => l.creditedCents.toFixed())).toEqual(['162', '300', '94', '703', '75']);
  });

  it('random invoices: the ledger always balances', () => {
    let seed = 11;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let round = 0; round < 200; round++) {
      const lines = Array.from({ length: 1 + (next() % 8) }, (_, i) => ({
        id: `l${i}`,
        kind: next() % 5 === 0 ? 'COMMITMENT' : next() % 2 ? 'USAGE' : 'FLAT_FEE',
        amount: new Decimal(next() % 100_000).div(100),
      }));
      const grants = Array.from({ length: next() % 5 }, (_, i) =>
        grant(
          `g${i}`,
          next() % 2 ? 'PROMOTIONAL' : 'PREPAID',
          String(next() % 20_000),
          YEAR_END,
          '2026-01-01T00:00:00Z',
        ),
      );
      const result = applyCredits(
        { currency: 'USD', periodStart: at('2026-01-01T00:00:00Z'), lines },
        grants,
      );
      const granted = grants.reduce((s, g) => s.plus(g.remainingCents), d('0'));
      expect(result.appliedCents.eq(Decimal.min(granted, result.eligibleCents))).toBe(true);
      expect(result.amountDueCents.plus(result.appliedCents).eq(result.totalCents)).toBe(true);
      expect(result.grants.every((g) => !g.remainingCents.isNegative())).toBe(true);
      const byLine = result.lines.reduce((s, l) => s.plus(l.creditedCents), d('0'));
      expect(byLine.eq(result.appliedCents)).toBe(true);
      expect(result.lines.every((l) => !l.dueCents.isNegative())).toBe(true);
    }
  });
});

describe('Acme: $120,000 of credits, quarterly billing (issue 5 acceptance, pure part)', () => {
  const credits = grant('acme_2026', 'PREPAID', '12000000', YEAR_END, '2026-01-01T00:00:00Z');

  it('Q1 usage of $31,337.42 is fully covered; the balance is $88,662.58', () => {
    const q1 = applyCredits(
      { currency: 'USD', periodStart: at('2026-01-01T00:00:00Z'), lines: [usage('q1', '31337.42')] },
      [credits],
    );
    expect(q1.appliedCents.toFixed()).toBe('3133742');
    expect(q1.amountDueCents.toFixed()).toBe('0');
    expect(q1.grants[0].remainingCents.toFixed()).toBe('8866258');
  });

  it('usage beyond the balance later is billed as overage; after year end nothing applies', () => {
    const afterQ1 = { ...credits, remainingCents: d('8866258') };
    const q2 = applyCredits(
      { currency: 'USD', periodStart: at('2026-04-01T00:00:00Z'), lines: [usage('q2', '90000.00')] },
      [afterQ1],
    );
    expect([
      q2.appliedCents.toFixed(),
      q2.amountDueCents.toFixed(),
      q2.grants[0].remainingCents.toFixed(),
    ]).toEqual(['8866258', '133742', '0']);
    const nextYear = applyCredits(
      { currency: 'USD', periodStart: at('2027-01-01T00:00:00Z'), lines: [usage('q5', '5.00')] },
      [afterQ1],
    );
    expect(nextYear.appliedCents.toFixed()).toBe('0');
  });
});
