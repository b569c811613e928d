import { Decimal } from '../../src/domain/money';
import type { ContractItemEntity } from '../../src/entities/contract-item.entity';
import type { MeterEntity } from '../../src/entities/meter.entity';
import type { PricingEntity } from '../../src/entities/pricing.entity';
import { priceInvoice, usageCutPoints } from '../../src/domain/invoice-pricing';
import type { InvoicePricingInput } from '../../src/domain/invoice-pricing-input';
import { usageRowDimensionValues } from '../../src/domain/usage-line-pricing';

const d = (value: string) => new Decimal(value);
const at = (iso: string) => new Date(iso);
const period = {
  index: 0,
  start: at('2026-11-01T00:00:00Z'),
  end: at('2026-12-01T00:00:00Z'),
  nominalEnd: at('2026-12-01T00:00:00Z'),
};

const meter = {
  id: 'mtr_1',
  code: 'LLM',
  displayName: 'LLM Tokens',
  aggregation: 'SUM',
  groupKeys: ['model', 'tier'],
} as MeterEntity;
const usagePricing = {
  id: 'prc_u',
  kind: 'USAGE',
  meterId: 'mtr_1',
  model: 'PER_UNIT',
  unitSize: d('1000'),
  fallbackRate: d('0.05'),
  rateCardId: 'rc_1',
  tiers: null,
  flatAmount: null,
  name: 'Tokens',
} as PricingEntity;
const feePricing = { id: 'prc_f', kind: 'FLAT_FEE', name: 'Seats', flatAmount: d('10') } as PricingEntity;
const item = (id: string, pricingId: string, position: number, quantity = '1', startsAt = period.start) =>
  ({ id, pricingId, position, quantity: d(quantity), startsAt, endsAt: null }) as ContractItemEntity;

function input(overrides: Partial<InvoicePricingInput>): InvoicePricingInput {
  return {
    currency: 'USD',
    period,
    contractDimensions: {},
    items: [item('i1', 'prc_u', 1)],
    pricings: new Map([
      ['prc_u', usagePricing],
      ['prc_f', feePricing],
    ]),
    meters: new Map([['mtr_1', meter]]),
    rateCardEntries: new Map([
      [
        'rc_1',
        [
          {
            id: 'e1',
            position: 0,
            dimensions: { model: 'gpt-4' },
            rate: d('0.03'),
            effectiveFrom: new Date(0),
            effectiveTo: at('2026-11-15T00:00:00Z'),
          },
          {
            id: 'e2',
            position: 1,
            dimensions: { model: 'gpt-4' },
            rate: d('0.025'),
            effectiveFrom: at('2026-11-15T00:00:00Z'),
            effectiveTo: null,
          },
        ],
      ],
    ]),
    overrides: [],
    usage: [],
    ...overrides,
  };
}

describe('invoice pricing core', () => {
  it('cuts usage at rate card effective dates and prices each version on its own line', () => {
    const base = input({});
    expect(usageCutPoints(base)).toEqual([at('2026-11-15T00:00:00Z')]);
    const priced = priceInvoice({
      ...base,
      usage: [
        {
          meterId: 'mtr_1',
          dimensionKey: 'model=gpt-4|tier=none',
          from: period.start,
          to: at('2026-11-15T00:00:00Z'),
          quantity: d('1234567'),
        },
        {
          meterId: 'mtr_1',
          dimensionKey: 'model=gpt-4|tier=none',
          from: at('2026-11-15T00:00:00Z'),
          to: period.end,
          quantity: d('1000'),
        },
      ],
    });
    expect(
      priced.lines.map((l) => [
        l.description,
        l.rate!.toFixed(),
        l.preciseAmount.toFixed(),
        l.amount.toFixed(),
      ]),
    ).toEqual([
      ['LLM Tokens - gpt-4', '0.03', '37.03701', '37.04'],
      ['LLM Tokens - gpt-4', '0.025', '0.025', '0.03'],
    ]);
    expect(priced.subtotal.toFixed()).toBe('37.07'); // the sum of rounded lines, not round(37.06201)
  });

  it('adds 0.1 + 0.2 exactly and rounds half-up once per line', () => {
    const priced = priceInvoice({
      ...input({ rateCardEntries: new Map(), items: [item('i1', 'prc_u', 1)] }),
      usage: [
        {
          meterId: 'mtr_1',
          dimensionKey: 'model=x|tier=none',
          from: period.start,
          to: period.end,
          quantity: d('0.1'),
        },
        {
          meterId: 'mtr_1',
          dimensionKey: 'model=x|tier=none',
          from: period.start,
          to: period.end,
          quantity: d('0.2'),
        },
        {
          meterId: 'mtr_1',
          dimensionKey: 'model=y|tier=none',
          from: period.start,
          to: period.end,
          quantity: d('100'),
        },
      ],
    });
    expect(
      priced.lines.map((l) => [
        l.quantity.toFixed(),
        l.preciseAmount.toFixed(),
        l.amount.toFixed(),
        l.rateSource,
      ]),
    ).toEqual([
      ['0.3', '0.000015', '0', 'FALLBACK'],
      ['100', '0.005', '0.01', 'FALLBACK'], // half-up: 0.005 → 0.01
    ]);
  });

  it("applies the contract's dimensions over the event's and overrides over the card", () => {
    expect(
      usageRowDimensionValues(['model', 'tier'], 'model=gpt-4|tier=startup', {
        tier: 'enterprise',
        other: 'x',
      }),
    ).toEqual({
      model: 'gpt-4',
      tier: 'enterprise',
    });
    const priced = priceInvoice({
      ...input({
        overrides: [{ id: 'o1', meterId: 'mtr_1', dimensions: { tier: 'enterprise' }, rate: d('0.01') }],
      }),
      contractDimensions: { tier: 'enterprise' },
      usage: [
        {
          meterId: 'mtr_1',
          dimensionKey: 'model=gpt-4|tier=none',
          from: period.start,
          to: at('2026-11-15T00:00:00Z'),
          quantity: d('5000'),
        },
      ],
    });
    expect(priced.lines.map((l) => [l.description, l.rateSource, l.amount.toFixed()])).toEqual([
      ['LLM Tokens - gpt-4 / enterprise', 'OVERRIDE', '0.05'],
    ]);
  });

  it('prorates a flat fee by the days its item covers, times its quantity', () => {
    const priced = priceInvoice(input({ items: [item('f1', 'prc_f', 0, '3', at('2026-11-21T00:00:00Z'))] }));
    // 3 seats × $10 × 10/30 days
    expect(priced.lines.map((l) => [l.description, l.preciseAmount.toFixed(), l.amount.toFixed()])).toEqual([
      ['Seats (10 of 30 days)', '10', '10'],
    ]);
  });

  it('bills one-time charges dated in [start, end) in full, after the item lines, never prorated', () => {
    const charge = (
      position: number,
      description: string,
      amount: string,
      quantity: string,
      date: string,
    ) => ({
      position,
      description,
      amount: d(amount),
      quantity: d(quantity),
      chargeDate: at(date),
    });
    const priced = priceInvoice(
      input({
        // The fee covers 10 of 30 days; the one-time charge on its first day is still billed whole.
        items: [item('f1', 'prc_f', 0, '1', at('2026-11-21T00:00:00Z'))],
        oneTimeCharges: [
          charge(1, 'Training', '0.1', '3', '2026-11-30T23:59:59Z'),
          charge(0, 'Onboarding', '2000', '1', '2026-11-01T00:00:00Z'),
          charge(2, 'Next month', '5', '1', '2026-12-01T00:00:00Z'),
          charge(3, 'Last month', '5', '1', '2026-10-31T23:59:59Z'),
        ],
      }),
    );
    expect(priced.lines.map((l) => [l.kind, l.description, l.pricingId, l.amount.toFixed()])).toEqual([
      ['FLAT_FEE', 'Seats (10 of 30 days)', 'prc_f', '3.33'],
      ['ONE_TIME', 'Onboarding', null, '2000'],
      ['ONE_TIME', 'Training', null, '0.3'],
    ]);
    expect(priced.subtotal.toFixed()).toBe('2003.63');
  });
});
