import { Decimal } from '../../src/domain/money';
import { money, MoneyScalar, preciseMoney } from '../../src/graphql/money';
import { DecimalScalar } from '../../src/graphql/scalars';

describe('Money scalar', () => {
  it.each([
    ['21.35', 'USD', '21.35'],
    ['10', 'USD', '10.00'],
    ['0', 'USD', '0.00'],
    ['1.6', 'USD', '1.60'],
    ['-7.5', 'USD', '-7.50'],
    ['-0.001', 'USD', '0.00'],
    ['1500', 'JPY', '1500'],
    ['37.5', 'JPY', '38'],
    ['1.2345', 'BHD', '1.235'],
    ['120000', 'EUR', '120000.00'],
  ])('money(%s, %s) is %s', (amount, currency, expected) => {
    expect(MoneyScalar.serialize(money(new Decimal(amount), currency))).toBe(expected);
  });

  it('writes unrounded amounts with 12 decimal places, never exponent notation', () => {
    expect(preciseMoney(new Decimal('2'))).toBe('2.000000000000');
    expect(preciseMoney(new Decimal('0.000000000001'))).toBe('0.000000000001');
    expect(preciseMoney(new Decimal('52.173913043478'))).toBe('52.173913043478');
  });

  it('refuses an amount that was not formatted with its currency', () => {
    expect(() => MoneyScalar.serialize(new Decimal('2'))).toThrow(/money\(\)/);
    expect(() => MoneyScalar.serialize(2)).toThrow(/money\(\)/);
    expect(() => MoneyScalar.serialize('2e3')).toThrow(/money\(\)/);
  });
});

describe('Decimal scalar (rates and quantities)', () => {
  it.each([
    [new Decimal('0.000002'), '0.000002'],
    [new Decimal('1.500000000'), '1.5'],
    [new Decimal('1e-7'), '0.0000001'],
    [new Decimal('1e21'), '1000000000000000000000'],
    [0.1 + 0.2, '0.3'],
    ['2500000.3', '2500000.3'],
  ])('serializes %s as %s', (value, expected) => {
    expect(DecimalScalar.serialize(value)).toBe(expected);
  });
});
