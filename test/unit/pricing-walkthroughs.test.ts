/**
 * The product documents' examples, priced with the pure domain only: rate resolution + invoice math.
 * Seed 002: the AI call center (five lines, 50 minutes, $21.35). Seed 001: three customers on the same Pro
 * plan with default and overridden rates.
 */
import { canonicalDimensionKey, usageDimensionValues } from '../../src/domain/dimensions';
import { applyCredits, sumAmounts, usageLineAmount } from '../../src/domain/invoice-math';
import { Decimal } from '../../src/domain/money';
import {
  findAmbiguities,
  getRateOrThrow,
  type RateCardEntry,
  type RateOverride,
} from '../../src/domain/rate-resolution';
import { AI_CALL_RATES } from '../support/seed-catalogs';

const d = (value: string) => new Decimal(value);
const EFFECTIVE = new Date('2024-01-01T00:00:00Z');
const CALL_TIME = new Date('2024-11-05T10:00:00Z');

const entry = (id: string, dimensions: Record<string, string>, rate: string): RateCardEntry => ({
  id,
  dimensions,
  rate: d(rate),
  effectiveFrom: EFFECTIVE,
  effectiveTo: null,
});

describe('seed 002: AI call center', () => {
  // Step 2's rate card (the first table's APAC/resolved 3.00 and the US/escalated 0.75 are typos).
  const card: RateCardEntry[] = AI_CALL_RATES.map(([region, outcome, rate]) =>
    entry(`${region}/${outcome}`, { region, call_outcome: outcome }, rate),
  );
  const fallbackRate = d('0.40');
  const groupKeys = ['region', 'call_outcome'];

  const events = [
    { region: 'US', call_outcome: 'resolved', duration_minutes: '5', agent_id: 'agent_456' },
    { region: 'US', call_outcome: 'resolved', duration_minutes: '8', agent_id: 'agent_456' },
    { region: 'US', call_outcome: 'transferred', duration_minutes: '12', agent_id: 'agent_456' },
    { region: 'EU', call_outcome: 'resolved', duration_minutes: '6', agent_id: 'agent_456' },
    { region: 'EU', call_outcome: 'escalated', duration_minutes: '15', agent_id: 'agent_456' },
    { region: 'APAC', call_outcome: 'resolved', duration_minutes: '4', agent_id: 'agent_456' },
  ];

  /** Aggregates (sum of duration_minutes per dimension key), then one priced line per combination. */
  function invoiceLines(overrides: RateOverride[] = [], contractDimensions: Record<string, string> = {}) {
    const totals = new Map<string, { values: Record<string, string>; quantity: Decimal }>();
    for (const event of events) {
      const values = usageDimensionValues(groupKeys, event, contractDimensions);
      const key = canonicalDimensionKey(values);
      const current = totals.get(key) ?? { values, quantity: d('0') };
      current.quantity = current.quantity.plus(d(event.duration_minutes));
      totals.set(key, current);
    }
    return [...totals.values()].map(({ values, quantity }) => {
      const resolved = getRateOrThrow({ values, overrides, entries: card, fallbackRate }, CALL_TIME);
      return {
        description: `AI Calls - ${values.region} / ${values.call_outcome}`,
        quantity,
        rate: resolved.rate,
        rateSource: resolved.source,
        ...usageLineAmount(quantity, resolved.rate, d('1'), 'USD'),
      };
    });
  }

  it('the rate card is unambiguous', () => {
    expect(findAmbiguities(card)).toEqual([]);
  });

  it('five lines, 50 minutes, total $21.35', () => {
    const lines = invoiceLines();
    expect(
      lines.map((l) => [
        l.description,
        l.quantity.toFixed(),
        l.rate.toFixed(2),
        l.amount.toFixed(2),
        l.rateSource,
      ]),
    ).toEqual([
      ['AI Calls - US / resolved', '13', '0.20', '2.60', 'RATE_CARD'],
      ['AI Calls - US / transferred', '12', '0.40', '4.80', 'RATE_CARD'],
      ['AI Calls - EU / resolved', '6', '0.25', '1.50', 'RATE_CARD'],
      ['AI Calls - EU / escalated', '15', '0.75', '11.25', 'RATE_CARD'],
      ['AI Calls - APAC / resolved', '4', '0.30', '1.20', 'RATE_CARD'],
    ]);
    expect(lines.reduce((sum, l) => sum.plus(l.quantity), d('0')).toFixed()).toBe('50');
    expect(sumAmounts(lines).toFixed(2)).toBe('21.35');
  });

  it('with the $10,000 prepaid grant, the invoice shows $0.00 due and the balance drops by $21.35', () => {
    const lines = invoiceLines().map((l, i) => ({ id: `line_${i}`, kind: 'USAGE', amount: l.amount }));
    const result = applyCredits({ currency: 'USD', periodStart: new Date('2024-11-01T00:00:00Z'), lines }, [
      {
        id: 'grant_10k',
        type: 'PREPAID',
        currency: 'USD',
        remainingCents: d('1000000'),
        expiresAt: new Date('2026-10-31T23:59:59Z'),
        createdAt: new Date('2024-11-01T00:00:00Z'),
      },
    ]);
    expect(result.appliedCents.toFixed()).toBe('2135');
    expect(result.amountDueCents.toFixed()).toBe('0');
    expect(result.grants[0].remainingCents.toFixed()).toBe('997865');
    expect(result.grants[0].lines.map((l) => l.cents.toFixed())).toEqual([
      '260',
      '480',
      '150',
      '1125',
      '120',
    ]);
  });

  it('an unknown region is priced at the fallback rate', () => {
    const values = usageDimensionValues(groupKeys, { region: 'LATAM', call_outcome: 'resolved' });
    const resolved = getRateOrThrow({ values, overrides: [], entries: card, fallbackRate }, CALL_TIME);
    expect([resolved.source, resolved.rate.toFixed(2)]).toEqual(['FALLBACK', '0.40']);
  });

  it('a contract override for escalations changes only those lines', () => {
    const lines = invoiceLines([{ id: 'ov', dimensions: { call_outcome: 'escalated' }, rate: d('0.55') }]);
    expect(lines.map((l) => `${l.amount.toFixed(2)} ${l.rateSource}`)).toEqual([
      '2.60 RATE_CARD',
      '4.80 RATE_CARD',
      '1.50 RATE_CARD',
      '8.25 OVERRIDE',
      '1.20 RATE_CARD',
    ]);
    expect(sumAmounts(lines).toFixed(2)).toBe('18.35');
  });
});

describe('seed 001: same Pro plan, different customers, different rates', () => {
  const card = [
    entry('gpt4', { model: 'gpt-4' }, '0.03'),
    entry('gpt35', { model: 'gpt-3.5' }, '0.002'),
    entry('claude3', { model: 'claude-3' }, '0.015'),
  ];
  const customers: Record<string, RateOverride[]> = {
    'Startup Inc': [],
    'Acme Corp': [{ dimensions: { model: 'gpt-4' }, rate: d('0.02') }],
    'Mega Enterprise': [
      { dimensions: { model: 'gpt-4' }, rate: d('0.015') },
      { dimensions: { model: 'gpt-3.5' }, rate: d('0.001') },
    ],
  };
  const usage = { 'gpt-4': d('1234567'), 'gpt-3.5': d('2000000'), 'claude-3': d('333333') };

  function invoice(overrides: RateOverride[]) {
    return Object.entries(usage).map(([model, tokens]) => {
      const resolved = getRateOrThrow(
        { values: { model }, overrides, entries: card, fallbackRate: d('0.01') },
        new Date('2026-02-10T00:00:00Z'),
      );
      const line = usageLineAmount(tokens, resolved.rate, d('1000'), 'USD');
      return `${model} ${resolved.rate.toFixed()} ${resolved.source} ${line.preciseAmount.toFixed()} ${line.amount.toFixed(2)}`;
    });
  }

  it('the overrides are unambiguous', () => {
    for (const overrides of Object.values(customers)) expect(findAmbiguities(overrides)).toEqual([]);
  });

  it('Startup Inc pays the defaults', () => {
    expect(invoice(customers['Startup Inc'])).toEqual([
      'gpt-4 0.03 RATE_CARD 37.03701 37.04',
      'gpt-3.5 0.002 RATE_CARD 4 4.00',
      'claude-3 0.015 RATE_CARD 4.999995 5.00',
    ]);
  });

  it('Acme Corp pays its gpt-4 override and the default gpt-3.5 rate', () => {
    expect(invoice(customers['Acme Corp'])).toEqual([
      'gpt-4 0.02 OVERRIDE 24.69134 24.69',
      'gpt-3.5 0.002 RATE_CARD 4 4.00',
      'claude-3 0.015 RATE_CARD 4.999995 5.00',
    ]);
  });

  it('Mega Enterprise pays both overrides', () => {
    expect(invoice(customers['Mega Enterprise'])).toEqual([
      'gpt-4 0.015 OVERRIDE 18.518505 18.52',
      'gpt-3.5 0.001 OVERRIDE 2 2.00',
      'claude-3 0.015 RATE_CARD 4.999995 5.00',
    ]);
  });

  it('an enterprise tier from the contract dimensions beats the event (enterprise 50% rate)', () => {
    const tiered = [...card, entry('gpt4_ent', { model: 'gpt-4', customer_tier: 'enterprise' }, '0.015')];
    const values = usageDimensionValues(
      ['model', 'customer_tier'],
      { model: 'gpt-4' },
      { customer_tier: 'enterprise' },
    );
    const resolved = getRateOrThrow(
      { values, overrides: [], entries: tiered, fallbackRate: null },
      new Date('2026-02-10T00:00:00Z'),
    );
    expect([
      resolved.entryId,
      usageLineAmount(d('1234567'), resolved.rate, d('1000'), 'USD').amount.toFixed(2),
    ]).toEqual(['gpt4_ent', '18.52']);
  });
});
