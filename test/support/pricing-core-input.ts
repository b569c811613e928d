import { Decimal } from '../../src/domain/money';
import type {
  InvoicePricingInput,
  PricingTerms,
  UsageQuantity,
} from '../../src/domain/invoice-pricing-input';

/** Small builders for pricing-core unit tests of the pricing-breadth models (free units, tiers, …). */
export const d = (value: string) => new Decimal(value);
export const PERIOD = {
  index: 0,
  start: new Date('2026-11-01T00:00:00Z'),
  end: new Date('2026-12-01T00:00:00Z'),
  nominalEnd: new Date('2026-12-01T00:00:00Z'),
};

/** A usage pricing on meter `mtr_1` (groupKeys model, region): PER_UNIT at 1 per unit unless overridden. */
export function usagePricing(terms: Partial<PricingTerms>): PricingTerms {
  return {
    id: 'prc_1',
    name: 'Usage',
    kind: 'USAGE',
    meterId: 'mtr_1',
    model: 'PER_UNIT',
    unitSize: d('1'),
    fallbackRate: d('1'),
    rateCardId: null,
    tiers: null,
    flatAmount: null,
    ...terms,
  };
}

/** A usage row of `mtr_1` over the whole period. */
export function row(dimensionKey: string, quantity: string, eventCount?: string): UsageQuantity {
  return {
    meterId: 'mtr_1',
    dimensionKey,
    from: PERIOD.start,
    to: PERIOD.end,
    quantity: d(quantity),
    ...(eventCount ? { eventCount: d(eventCount) } : {}),
  };
}

/** One contract item buying `pricing` for the whole period, with `usage`. */
export function pricingInput(pricing: PricingTerms, usage: UsageQuantity[]): InvoicePricingInput {
  return {
    currency: 'USD',
    period: PERIOD,
    contractDimensions: {},
    items: [
      {
        id: 'i1',
        pricingId: pricing.id,
        position: 1,
        quantity: d('1'),
        startsAt: PERIOD.start,
        endsAt: null,
      },
    ],
    pricings: new Map([[pricing.id, pricing]]),
    meters: new Map([
      [
        'mtr_1',
        { id: 'mtr_1', code: 'M', displayName: 'Units', aggregation: 'SUM', groupKeys: ['model', 'region'] },
      ],
    ]),
    rateCardEntries: new Map(),
    overrides: [],
    usage,
  };
}
