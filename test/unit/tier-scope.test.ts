import { priceInvoice } from '../../src/domain/invoice-pricing';
import { d, pricingInput, row, usagePricing } from '../support/pricing-core-input';

const TIERS = [
  { upTo: '100', unitAmount: '1', flatAmount: '0' },
  { upTo: null, unitAmount: '0.5', flatAmount: '0' },
];
const priced = (tierScope: 'TOTAL' | 'PER_GROUP', freeUnits = '0') =>
  priceInvoice(
    pricingInput(usagePricing({ model: 'GRADUATED', tiers: TIERS, tierScope, freeUnits: d(freeUnits) }), [
      row('model=a|region=eu', '150'),
      row('model=b|region=eu', '60'),
      row('model=a|region=eu', '30'),
    ]),
  ).lines.map((l) => `${l.description} | ${l.quantity.toFixed()} = ${l.amount.toFixed(2)}`);

describe('tier scope', () => {
  it('TOTAL: one ladder over every combination', () => {
    // 150 + 60 + 30 = 240: 100 × 1 + 140 × 0.5 = 170.00.
    expect(priced('TOTAL')).toEqual(['Units | 240 = 170.00']);
  });

  it('PER_GROUP: each combination climbs its own ladder, one line each', () => {
    // a/eu: 150 + 30 = 180 → 100 × 1 + 80 × 0.5 = 140.00; b/eu: 60 × 1 = 60.00.
    expect(priced('PER_GROUP')).toEqual(['Units - a / eu | 180 = 140.00', 'Units - b / eu | 60 = 60.00']);
  });

  it('PER_GROUP: each group has its own free units', () => {
    // 50 free each. a/eu: 130 → 100 × 1 + 30 × 0.5 = 115.00; b/eu: 10 × 1 = 10.00.
    expect(priced('PER_GROUP', '50')).toEqual([
      'Units - a / eu (50 free) | 180 = 115.00',
      'Units - b / eu (50 free) | 60 = 10.00',
    ]);
  });
});
