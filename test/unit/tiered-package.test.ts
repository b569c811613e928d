import { priceInvoice } from '../../src/domain/invoice-pricing';
import { tieredPackageAmount, tieredPackageProblem } from '../../src/domain/tiered-package';
import type { Tier } from '../../src/domain/pricing-models';
import { d, pricingInput, row, usagePricing } from '../support/pricing-core-input';

/** Blocks of 100 at 2.95 up to 1,000 units (10 blocks), then blocks of 1,000 at 5.95. */
const LADDER: Tier[] = [
  { upTo: d('1000'), unitAmount: d('2.95'), flatAmount: d('0'), packageSize: d('100') },
  { upTo: null, unitAmount: d('5.95'), flatAmount: d('0'), packageSize: d('1000') },
];

describe('TIERED_PACKAGE', () => {
  it.each([
    ['0', '0'], // nothing reached
    ['1', '2.95'], // one started block of 100
    ['100', '2.95'], // exactly one block
    ['101', '5.9'], // 2 blocks × 2.95
    ['1000', '29.5'], // 10 blocks × 2.95, the edge stays in tier 1
    ['1001', '35.45'], // 29.50 + ⌈1 / 1,000⌉ = 1 block × 5.95
    ['2350', '41.4'], // 29.50 + ⌈1,350 / 1,000⌉ = 2 blocks × 5.95 = 11.90
  ])('%s units cost %s', (quantity, amount) => {
    expect(tieredPackageAmount(d(quantity), LADDER).amount.toFixed()).toBe(amount);
  });

  it('adds the flat amount of every tier reached', () => {
    const ladder = LADDER.map((tier, i) => ({ ...tier, flatAmount: d(i === 0 ? '1' : '10') }));
    // 1,500 units: 29.50 + 1 + 1 block × 5.95 + 10 = 46.45.
    expect(tieredPackageAmount(d('1500'), ladder).amount.toFixed()).toBe('46.45');
  });

  it('wants a package size on every tier and whole packages in bounded tiers', () => {
    expect(tieredPackageProblem(LADDER)).toBeNull();
    expect(tieredPackageProblem([{ ...LADDER[0], packageSize: null }, LADDER[1]])).toMatch(/packageSize/);
    expect(tieredPackageProblem([{ ...LADDER[0], upTo: d('1050') }, LADDER[1]])).toMatch(/whole number/);
  });

  it('prices one line over the item total, after free units', () => {
    // 1,250 units, 150 free → 1,100: 10 blocks × 2.95 = 29.50 + 1 block × 5.95 = 35.45.
    const pricing = usagePricing({
      model: 'TIERED_PACKAGE',
      freeUnits: d('150'),
      tiers: [
        { upTo: '1000', unitAmount: '2.95', flatAmount: '0', packageSize: '100' },
        { upTo: null, unitAmount: '5.95', flatAmount: '0', packageSize: '1000' },
      ],
    });
    const priced = priceInvoice(
      pricingInput(pricing, [row('model=a|region=eu', '700'), row('model=b|region=eu', '550')]),
    );
    expect(priced.lines.map((l) => [l.description, l.quantity.toFixed(), l.amount.toFixed(2)])).toEqual([
      ['Units (150 free)', '1250', '35.45'],
    ]);
  });
});
