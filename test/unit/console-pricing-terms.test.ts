import type { Pricing } from '../../src/console/src/api/types';
import { pricingTermsPhrases } from '../../src/console/src/screens/pricing-terms';

const pricing = (terms: Partial<Pricing>): Pricing => ({
  id: 'prc_1',
  name: 'P',
  kind: 'USAGE',
  model: 'PER_UNIT',
  unitSize: '1',
  fallbackRate: '0',
  flatAmount: null,
  freeUnits: '0',
  percent: null,
  feePerTransaction: null,
  tierScope: 'TOTAL',
  tiers: null,
  meter: { code: 'M' },
  rateCard: null,
  ...terms,
});

describe('console: a pricing’s terms in the catalog (amounts without a currency, as pricings have none)', () => {
  it('free units, per-group scope and a tiered-package ladder', () => {
    expect(
      pricingTermsPhrases(
        pricing({
          model: 'TIERED_PACKAGE',
          freeUnits: '5.000000000',
          tierScope: 'PER_GROUP',
          tiers: [
            { upTo: '1000', unitAmount: '2.95', flatAmount: '0', packageSize: '100' },
            { upTo: null, unitAmount: '5.95', flatAmount: '0', packageSize: '1000' },
          ],
        }),
      ),
    ).toEqual([
      'priced per dimension combination',
      'first 5 free per period',
      '0–1,000: 2.95 per 100-unit package',
      'above 1,000: 5.95 per 1,000-unit package',
    ]);
  });

  it('a percentage with a fee per transaction, and graduated percentages', () => {
    expect(
      pricingTermsPhrases(pricing({ model: 'PERCENTAGE', percent: '2.9', feePerTransaction: '0.3' })),
    ).toEqual(['2.9% of the amount', '+ 0.30 per transaction']);
    expect(
      pricingTermsPhrases(
        pricing({
          model: 'PERCENTAGE',
          tiers: [
            { upTo: '10000', unitAmount: '3', flatAmount: '0', packageSize: null },
            { upTo: null, unitAmount: '2', flatAmount: '5', packageSize: null },
          ],
        }),
      ),
    ).toEqual(['0–10,000: 3%', 'above 10,000: 2% + 5.00 flat']);
  });

  it('nothing for a flat fee', () => {
    expect(pricingTermsPhrases(pricing({ kind: 'FLAT_FEE', model: null, freeUnits: '0' }))).toEqual([]);
  });
});
