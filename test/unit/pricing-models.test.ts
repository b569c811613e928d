import { lineAmount } from '../../src/domain/invoice-math';
import { Decimal } from '../../src/domain/money';
import {
  graduatedAmount,
  packageAmount,
  packageCount,
  perUnitAmount,
  priceQuantity,
  tiersFromStored,
  tiersToStored,
  validateTiers,
  volumeAmount,
  volumeTierIndex,
  type Tier,
} from '../../src/domain/pricing-models';

const d = (value: string) => new Decimal(value);
const tier = (upTo: string | null, unitAmount: string, flatAmount = '0'): Tier => ({
  upTo: upTo === null ? null : d(upTo),
  unitAmount: d(unitAmount),
  flatAmount: d(flatAmount),
});
const cents = (amount: Decimal) => lineAmount(amount, 'USD').amount.toFixed(2);

/** 0–1000 at 0.10; 1000–5000 at 0.08 (+10 flat); above 5000 at 0.05 (+25 flat). */
const TIERS = [tier('1000', '0.10'), tier('5000', '0.08', '10'), tier(null, '0.05', '25')];

describe('PER_UNIT', () => {
  it('quantity × rate / unitSize', () => {
    expect(perUnitAmount(d('13'), d('0.20')).toFixed()).toBe('2.6');
    expect(perUnitAmount(d('2500'), d('0.03'), d('1000')).toFixed()).toBe('0.075');
  });

  it('float trap: 1,234,567 tokens at $0.03 per 1K = $37.03701 → $37.04', () => {
    const amount = perUnitAmount(d('1234567'), d('0.03'), d('1000'));
    expect(amount.toFixed()).toBe('37.03701');
    expect(cents(amount)).toBe('37.04');
  });

  it('float trap: $0.000002 per token × 123,456,789 tokens = $246.913578 → $246.91', () => {
    const amount = perUnitAmount(d('123456789'), d('0.000002'));
    expect(amount.toFixed()).toBe('246.913578');
    expect(cents(amount)).toBe('246.91');
  });

  it('float trap: 3 × 0.1 is exactly 0.3, and 0.1 + 0.2 units at $1 is exactly 0.30', () => {
    expect(perUnitAmount(d('3'), d('0.1')).toFixed()).toBe('0.3');
    expect(perUnitAmount(d('0.1').plus(d('0.2')), d('1')).toFixed()).toBe('0.3');
    expect(cents(perUnitAmount(d('0.1').plus(d('0.2')), d('1')))).toBe('0.30');
  });

  it('rates with 12 decimals and quantities with 9 keep every digit', () => {
    const amount = perUnitAmount(d('987654321.123456789'), d('0.000000000001'));
    expect(amount.toFixed()).toBe('0.000987654321123456789');
  });

  it('fractional quantities are billed fractionally; zero is zero', () => {
    expect(perUnitAmount(d('0.5'), d('0.20')).toFixed()).toBe('0.1');
    expect(perUnitAmount(d('0'), d('0.20')).isZero()).toBe(true);
  });

  it('divides after multiplying, so a unit size of 3 stays exact on multiples', () => {
    expect(perUnitAmount(d('9'), d('1'), d('3')).toFixed()).toBe('3');
    expect(perUnitAmount(d('10'), d('0.3'), d('3')).toFixed()).toBe('1');
  });

  it('rejects a negative quantity and a non-positive unit size', () => {
    expect(() => perUnitAmount(d('-1'), d('1'))).toThrow(/quantity/);
    expect(() => perUnitAmount(d('1'), d('1'), d('0'))).toThrow(/unitSize/);
    expect(() => perUnitAmount(d('1'), d('1'), d('-5'))).toThrow(/unitSize/);
  });
});

describe('PACKAGE', () => {
  it.each([
    ['0', '0', '0'],
    ['1', '1', '5'],
    ['99.5', '1', '5'],
    ['100', '1', '5'],
    ['100.000000001', '2', '10'],
    ['101', '2', '10'],
    ['250', '3', '15'],
    ['1000', '10', '50'],
  ])('%s units in packages of 100 at $5 → %s packages, $%s', (quantity, packages, amount) => {
    expect(packageCount(d(quantity), d('100')).toFixed()).toBe(packages);
    expect(packageAmount(d(quantity), d('5'), d('100')).toFixed()).toBe(amount);
  });

  it('a package of one unit is per started unit', () => {
    expect(packageAmount(d('2.1'), d('0.5'), d('1')).toFixed()).toBe('1.5');
  });

  it('rejects a negative quantity and a non-positive package size', () => {
    expect(() => packageAmount(d('-1'), d('5'), d('100'))).toThrow(/quantity/);
    expect(() => packageAmount(d('1'), d('5'), d('0'))).toThrow(/unitSize/);
  });
});

describe('GRADUATED', () => {
  const amountOf = (quantity: string, tiers = TIERS) => graduatedAmount(d(quantity), tiers).amount.toFixed();

  it.each([
    ['0', '0'],
    ['1', '0.1'],
    ['999.999', '99.9999'],
    ['1000', '100'], // exactly at the edge: the second tier is not reached
    ['1000.5', '110.04'], // 100 + 0.5 × 0.08 + 10
    ['1001', '110.08'],
    ['5000', '430'], // 100 + 4000 × 0.08 + 10
    ['5001', '455.05'], // 430 + 0.05 + 25
    ['10000', '705'], // 430 + 5000 × 0.05 + 25
  ])('%s units → %s', (quantity, expected) => {
    expect(amountOf(quantity)).toBe(expected);
  });

  it('explains the amount tier by tier', () => {
    const { charges } = graduatedAmount(d('5001'), TIERS);
    expect(charges.map((c) => [c.tierIndex, c.quantity.toFixed(), c.amount.toFixed()])).toEqual([
      [0, '1000', '100'],
      [1, '4000', '330'],
      [2, '1', '25.05'],
    ]);
    expect(graduatedAmount(d('0'), TIERS).charges).toEqual([]);
  });

  it("charges the first tier's flat amount once any usage exists, not for zero", () => {
    const tiers = [tier('10', '1', '5'), tier(null, '0.5')];
    expect(graduatedAmount(d('0'), tiers).amount.toFixed()).toBe('0');
    expect(graduatedAmount(d('0.001'), tiers).amount.toFixed()).toBe('5.001');
    expect(graduatedAmount(d('10'), tiers).amount.toFixed()).toBe('15');
  });

  it('a single open tier is per unit', () => {
    expect(graduatedAmount(d('7'), [tier(null, '0.3')]).amount.toFixed()).toBe('2.1');
  });

  it('prices per unit size: tiers of tokens at a price per 1K', () => {
    const tiers = [tier('1000000', '0.03'), tier(null, '0.02')];
    expect(graduatedAmount(d('1500000'), tiers, d('1000')).amount.toFixed()).toBe('40');
    expect(graduatedAmount(d('1234567'), tiers, d('1000')).amount.toFixed()).toBe('34.69134');
  });
});

describe('VOLUME', () => {
  const amountOf = (quantity: string, tiers = TIERS) => volumeAmount(d(quantity), tiers).amount.toFixed();

  it.each([
    ['0', '0'],
    ['1', '0.1'],
    ['1000', '100'], // at the edge: still tier 1
    ['1000.5', '90.04'], // all at 0.08, + 10
    ['5000', '410'],
    ['5001', '275.05'], // all at 0.05, + 25
  ])('%s units → %s', (quantity, expected) => {
    expect(amountOf(quantity)).toBe(expected);
  });

  it('reports the tier the total falls in', () => {
    expect(volumeTierIndex(d('1000'), TIERS)).toBe(0);
    expect(volumeTierIndex(d('1000.000000001'), TIERS)).toBe(1);
    expect(volumeTierIndex(d('99999999'), TIERS)).toBe(2);
    expect(volumeAmount(d('5001'), TIERS).charges).toHaveLength(1);
    expect(volumeAmount(d('0'), TIERS).charges).toEqual([]);
  });

  it('prices per unit size', () => {
    expect(
      volumeAmount(d('1500000'), [tier('1000000', '0.03'), tier(null, '0.02')], d('1000')).amount.toFixed(),
    ).toBe('30');
  });
});

describe('validateTiers', () => {
  it('accepts a valid list', () => {
    expect(validateTiers(TIERS)).toBeNull();
    expect(validateTiers([tier(null, '0')])).toBeNull();
  });

  it.each<[string, Tier[], RegExp]>([
    ['no tiers', [], /At least one tier/],
    ['a bounded last tier', [tier('10', '1')], /last tier must be open-ended/],
    ['an open middle tier', [tier(null, '1'), tier(null, '2')], /only the last tier/],
    ['a zero bound', [tier('0', '1'), tier(null, '1')], /Tier 1: upTo must be greater than 0/],
    ['a negative bound', [tier('-5', '1'), tier(null, '1')], /upTo must be greater/],
    [
      'equal bounds',
      [tier('10', '1'), tier('10', '1'), tier(null, '1')],
      /Tier 2: upTo must be greater than 10/,
    ],
    ['decreasing bounds', [tier('10', '1'), tier('5', '1'), tier(null, '1')], /Tier 2/],
    ['a negative unit amount', [tier('10', '-1'), tier(null, '1')], /unitAmount/],
    ['a negative flat amount', [tier('10', '1'), tier(null, '1', '-1')], /Tier 2: flatAmount/],
  ])('rejects %s', (_name, tiers, message) => {
    expect(validateTiers(tiers)).toMatch(message);
  });

  it('the tiered functions refuse invalid tiers', () => {
    expect(() => graduatedAmount(d('1'), [tier('10', '1')])).toThrow(/open-ended/);
    expect(() => volumeAmount(d('1'), [])).toThrow(/At least one tier/);
    expect(() => volumeAmount(d('0'), [])).toThrow(/At least one tier/);
  });
});

describe('priceQuantity', () => {
  it('dispatches on the model', () => {
    const q = d('1001');
    expect(priceQuantity(q, { model: 'PER_UNIT', rate: d('0.1') }).toFixed()).toBe('100.1');
    expect(priceQuantity(q, { model: 'PACKAGE', rate: d('5'), unitSize: d('100') }).toFixed()).toBe('55');
    expect(priceQuantity(q, { model: 'GRADUATED', tiers: TIERS }).toFixed()).toBe('110.08');
    expect(priceQuantity(q, { model: 'VOLUME', tiers: TIERS }).toFixed()).toBe('90.08');
  });

  it('needs a rate or tiers as the model requires', () => {
    expect(() => priceQuantity(d('1'), { model: 'PER_UNIT' })).toThrow(/needs a rate/);
    expect(() => priceQuantity(d('1'), { model: 'PACKAGE', rate: null })).toThrow(/needs a rate/);
    expect(() => priceQuantity(d('1'), { model: 'GRADUATED', tiers: null })).toThrow(/needs tiers/);
    expect(() => priceQuantity(d('1'), { model: 'BOGUS' as never })).toThrow(/Unknown pricing model/);
  });
});

describe('stored tiers', () => {
  it('round-trip as fixed-point strings, never exponent notation', () => {
    const stored = tiersToStored([
      tier('1000000000', '0.0000002', '0.000000000001'),
      tier(null, '0.0000001'),
    ]);
    expect(stored).toEqual([
      { upTo: '1000000000', unitAmount: '0.0000002', flatAmount: '0.000000000001' },
      { upTo: null, unitAmount: '0.0000001', flatAmount: '0' },
    ]);
    expect(tiersToStored(tiersFromStored(stored))).toEqual(stored);
  });
});
