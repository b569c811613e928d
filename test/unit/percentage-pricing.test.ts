import { priceInvoice } from '../../src/domain/invoice-pricing';
import { percentageAmount } from '../../src/domain/percentage-pricing';
import { d, pricingInput, row, usagePricing } from '../support/pricing-core-input';

const tier = (upTo: string | null, percent: string, flat = '0') => ({
  upTo: upTo === null ? null : d(upTo),
  unitAmount: d(percent),
  flatAmount: d(flat),
});

describe('PERCENTAGE', () => {
  it('a percentage of the volume plus a fee per transaction', () => {
    // 10,000.00 × 2.9 % = 290.00; 40 transactions × 0.30 = 12.00 → 302.00.
    const terms = { percent: d('2.9'), tiers: null, feePerTransaction: d('0.30') };
    expect(percentageAmount(d('10000'), d('40'), terms).toFixed()).toBe('302');
  });

  it('graduated percentages: each slice of the volume at its own percentage', () => {
    // 25,000: the first 10,000 at 3 % = 300, the next 15,000 at 2 % = 300 → 600; flat 5 on tier 2 → 605.
    const terms = {
      percent: null,
      tiers: [tier('10000', '3'), tier(null, '2', '5')],
      feePerTransaction: null,
    };
    expect(percentageAmount(d('25000'), d('7'), terms).toFixed()).toBe('605');
  });

  it('refuses terms without a percentage', () => {
    expect(() =>
      percentageAmount(d('1'), d('1'), { percent: null, tiers: null, feePerTransaction: null }),
    ).toThrow('percent or tiers');
  });

  it('prices one line from the summed volume and the event count; free units waive volume only', () => {
    // Volume 1,234.56 + 765.44 = 2,000.00 over 3 + 2 = 5 events; 500.00 free → 1,500.00 × 1.5 % = 22.50;
    // 5 × 0.25 = 1.25 → 23.75.
    const pricing = usagePricing({
      model: 'PERCENTAGE',
      percent: d('1.5'),
      feePerTransaction: d('0.25'),
      freeUnits: d('500'),
    });
    const priced = priceInvoice(
      pricingInput(pricing, [
        row('model=a|region=eu', '1234.56', '3'),
        row('model=b|region=eu', '765.44', '2'),
      ]),
    );
    expect(priced.lines.map((l) => [l.description, l.quantity.toFixed(), l.amount.toFixed(2)])).toEqual([
      ['Units (1.5% + 0.25 × 5 transactions) (500 free)', '2000', '23.75'],
    ]);
  });
});

describe('PERCENTAGE with zero-amount transactions', () => {
  it('counts their fee, even on a row whose sum is zero', () => {
    // Volume 100.00 over 2 events, plus a row of 3 zero-amount events: 100 × 2 % = 2.00; 5 × 0.10 = 0.50.
    const pricing = usagePricing({ model: 'PERCENTAGE', percent: d('2'), feePerTransaction: d('0.10') });
    const priced = priceInvoice(
      pricingInput(pricing, [row('model=a|region=eu', '100', '2'), row('model=b|region=eu', '0', '3')]),
    );
    expect(priced.lines.map((l) => [l.quantity.toFixed(), l.amount.toFixed(2)])).toEqual([['100', '2.50']]);
  });

  it('bills the fees of a period with no volume at all', () => {
    // 4 zero-amount events: 0 × 2 % + 4 × 0.10 = 0.40.
    const pricing = usagePricing({ model: 'PERCENTAGE', percent: d('2'), feePerTransaction: d('0.10') });
    const priced = priceInvoice(pricingInput(pricing, [row('model=a|region=eu', '0', '4')]));
    expect(priced.lines.map((l) => [l.quantity.toFixed(), l.amount.toFixed(2)])).toEqual([['0', '0.40']]);
  });
});
