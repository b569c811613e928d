import { applyFreeUnits, consumeFreeUnits } from '../../src/domain/free-units';
import { priceInvoice } from '../../src/domain/invoice-pricing';
import { d, pricingInput, row, usagePricing } from '../support/pricing-core-input';

const lines = (input: Parameters<typeof priceInvoice>[0]) =>
  priceInvoice(input).lines.map((l) => `${l.description} | ${l.quantity.toFixed()} = ${l.amount.toFixed(2)}`);

describe('free units', () => {
  it('split one quantity: free is the smaller of quantity and allowance', () => {
    expect(applyFreeUnits(d('12'), d('5'))).toEqual({ free: d('5'), billable: d('7') });
    expect(applyFreeUnits(d('3'), d('5'))).toEqual({ free: d('3'), billable: d('0') });
    expect(() => applyFreeUnits(d('3'), d('-1'))).toThrow('free units');
  });

  it('are used up in order over several quantities', () => {
    // Allowance 10: 4 all free (6 left), 5 all free (1 left), 7 → 1 free, 6 billed; 2 → all billed.
    expect(
      consumeFreeUnits([d('4'), d('5'), d('7'), d('2')], d('10')).map((s) => s.billable.toFixed()),
    ).toEqual(['0', '0', '6', '2']);
  });

  it('PACKAGE: 12 units, 5 free, packages of 10 at 8 → ⌈7/10⌉ = 1 package = 8.00', () => {
    const pricing = usagePricing({
      model: 'PACKAGE',
      unitSize: d('10'),
      fallbackRate: d('8'),
      freeUnits: d('5'),
    });
    expect(lines(pricingInput(pricing, [row('model=a|region=eu', '12')]))).toEqual([
      'Units (5 free) | 12 = 8.00',
    ]);
  });

  it('PER_UNIT: the allowance goes to lines in invoice order; each line says what was free', () => {
    // 100 free; model a: 60 units, all free; model b: 90 units, 40 free, 50 × 0.5 = 25.00.
    const pricing = usagePricing({ fallbackRate: d('0.5'), freeUnits: d('100') });
    const input = pricingInput(pricing, [row('model=b|region=eu', '90'), row('model=a|region=eu', '60')]);
    expect(lines(input)).toEqual([
      'Units - a / eu (60 free) | 60 = 0.00',
      'Units - b / eu (40 free) | 90 = 25.00',
    ]);
  });

  it('GRADUATED: the ladder prices what is left after the free units', () => {
    // 1,500 units, 500 free → 1,000 billable: 0–800 at 0.10 = 80, 200 at 0.05 = 10 → 90.00.
    const pricing = usagePricing({
      model: 'GRADUATED',
      freeUnits: d('500'),
      tiers: [
        { upTo: '800', unitAmount: '0.10', flatAmount: '0' },
        { upTo: null, unitAmount: '0.05', flatAmount: '0' },
      ],
    });
    expect(lines(pricingInput(pricing, [row('model=a|region=eu', '1500')]))).toEqual([
      'Units (500 free) | 1500 = 90.00',
    ]);
  });

  it('VOLUME: the tier is chosen by the billable quantity', () => {
    // 1,100 units, 200 free → 900 billable, in tier 1 (≤ 1,000) at 0.10 = 90.00 (not 1,100 × 0.08).
    const pricing = usagePricing({
      model: 'VOLUME',
      freeUnits: d('200'),
      tiers: [
        { upTo: '1000', unitAmount: '0.10', flatAmount: '0' },
        { upTo: null, unitAmount: '0.08', flatAmount: '0' },
      ],
    });
    expect(lines(pricingInput(pricing, [row('model=a|region=eu', '1100')]))).toEqual([
      'Units (200 free) | 1100 = 90.00',
    ]);
  });
});
