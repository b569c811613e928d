import { usageDimensionValues } from '../../src/domain/dimensions';
import { usageLineAmount } from '../../src/domain/invoice-math';
import { Decimal } from '../../src/domain/money';
import {
  findAmbiguities,
  findRate,
  getRateOrThrow,
  rateSegments,
  type RateCardEntry,
  type RateContext,
  type RateOverride,
} from '../../src/domain/rate-resolution';

const d = (value: string) => new Decimal(value);
const at = (iso: string) => new Date(iso);
const EPOCH = at('2020-01-01T00:00:00Z');
const NOW = at('2026-03-15T12:00:00Z');

function entry(
  id: string,
  dimensions: Record<string, string>,
  rate: string,
  effectiveFrom: Date = EPOCH,
  effectiveTo: Date | null = null,
): RateCardEntry {
  return { id, dimensions, rate: d(rate), effectiveFrom, effectiveTo };
}

function context(
  values: Record<string, string>,
  entries: RateCardEntry[],
  overrides: RateOverride[] = [],
  fallbackRate: string | null = '0.40',
): RateContext {
  return { values, entries, overrides, fallbackRate: fallbackRate === null ? null : d(fallbackRate) };
}

/** The AI call center rate card of seed 002, Step 2 (the table without typos). */
const AI_CALL_CARD: RateCardEntry[] = [
  entry('us_res', { region: 'US', call_outcome: 'resolved' }, '0.20'),
  entry('us_tra', { region: 'US', call_outcome: 'transferred' }, '0.40'),
  entry('us_esc', { region: 'US', call_outcome: 'escalated' }, '0.60'),
  entry('eu_res', { region: 'EU', call_outcome: 'resolved' }, '0.25'),
  entry('eu_tra', { region: 'EU', call_outcome: 'transferred' }, '0.50'),
  entry('eu_esc', { region: 'EU', call_outcome: 'escalated' }, '0.75'),
  entry('ap_res', { region: 'APAC', call_outcome: 'resolved' }, '0.30'),
  entry('ap_tra', { region: 'APAC', call_outcome: 'transferred' }, '0.60'),
  entry('ap_esc', { region: 'APAC', call_outcome: 'escalated' }, '0.90'),
];

describe('findRate: precedence override > rate card > fallback', () => {
  const card = [entry('gpt4', { model: 'gpt-4' }, '0.03'), entry('gpt35', { model: 'gpt-3.5' }, '0.002')];

  it('uses the matching override first', () => {
    const resolved = findRate(
      context({ model: 'gpt-4' }, card, [{ id: 'ov1', dimensions: { model: 'gpt-4' }, rate: d('0.02') }]),
      NOW,
    );
    expect(resolved).toEqual({
      rate: d('0.02'),
      source: 'OVERRIDE',
      overrideId: 'ov1',
      matchedDimensions: { model: 'gpt-4' },
    });
  });

  it('an override without an id reports no overrideId', () => {
    const resolved = findRate(
      context({ model: 'gpt-4' }, card, [{ dimensions: { model: 'gpt-4' }, rate: d('0.02') }]),
      NOW,
    )!;
    expect(resolved.source).toBe('OVERRIDE');
    expect('overrideId' in resolved).toBe(false);
  });

  it('uses the rate card when no override matches', () => {
    const resolved = findRate(
      context({ model: 'gpt-3.5' }, card, [{ dimensions: { model: 'gpt-4' }, rate: d('0.02') }]),
      NOW,
    );
    expect(resolved).toEqual({
      rate: d('0.002'),
      source: 'RATE_CARD',
      entryId: 'gpt35',
      matchedDimensions: { model: 'gpt-3.5' },
    });
  });

  it('uses the fallback when nothing matches', () => {
    const resolved = findRate(context({ model: 'claude-3' }, card, [], '0.05'), NOW);
    expect(resolved).toEqual({ rate: d('0.05'), source: 'FALLBACK', matchedDimensions: {} });
  });

  it('returns null (findRate) or throws (getRateOrThrow) when nothing applies and there is no fallback', () => {
    const ctx = context({ model: 'claude-3' }, card, [], null);
    expect(findRate(ctx, NOW)).toBeNull();
    expect(() => getRateOrThrow(ctx, NOW)).toThrow(/No rate applies to usage \[model=claude-3\]/);
  });

  it('a less specific override still beats a more specific rate card entry', () => {
    const resolved = findRate(
      context({ region: 'US', call_outcome: 'resolved' }, AI_CALL_CARD, [
        { dimensions: {}, rate: d('0.10') },
      ]),
      NOW,
    )!;
    expect([resolved.source, resolved.rate.toFixed()]).toEqual(['OVERRIDE', '0.1']);
  });

  it('a zero override is a valid rate, not "no rate"', () => {
    const resolved = findRate(
      context({ model: 'gpt-4' }, card, [{ dimensions: { model: 'gpt-4' }, rate: d('0') }]),
      NOW,
    )!;
    expect([resolved.source, resolved.rate.toFixed()]).toEqual(['OVERRIDE', '0']);
  });
});

describe('findRate: most specific first and the catch-all', () => {
  const card = [
    entry('all', {}, '0.45'),
    entry('us', { region: 'US' }, '0.35'),
    entry('us_res', { region: 'US', call_outcome: 'resolved' }, '0.20'),
  ];
  const rateFor = (values: Record<string, string>, entries = card) => {
    const r = findRate(context(values, entries), NOW)!;
    return `${r.source}:${r.entryId ?? '-'}:${r.rate.toFixed()}`;
  };

  it('picks the entry with the most matching keys', () => {
    expect(rateFor({ region: 'US', call_outcome: 'resolved' })).toBe('RATE_CARD:us_res:0.2');
    expect(rateFor({ region: 'US', call_outcome: 'escalated' })).toBe('RATE_CARD:us:0.35');
    expect(rateFor({ region: 'US' })).toBe('RATE_CARD:us:0.35');
  });

  it('the empty entry is the catch-all of the card, before the fallback', () => {
    expect(rateFor({ region: 'EU', call_outcome: 'resolved' })).toBe('RATE_CARD:all:0.45');
    expect(rateFor({})).toBe('RATE_CARD:all:0.45');
  });

  it('without a catch-all, unmatched usage goes to the fallback', () => {
    expect(rateFor({ region: 'EU' }, card.slice(1))).toBe('FALLBACK:-:0.4');
  });

  it('does not depend on entry order', () => {
    expect(rateFor({ region: 'US', call_outcome: 'resolved' }, [...card].reverse())).toBe(
      'RATE_CARD:us_res:0.2',
    );
  });

  it('matching is exact and case-sensitive', () => {
    expect(rateFor({ region: 'us', call_outcome: 'resolved' }, card.slice(1))).toBe('FALLBACK:-:0.4');
    expect(rateFor({ Region: 'US' }, card.slice(1))).toBe('FALLBACK:-:0.4');
  });

  it('the most specific override wins among overrides', () => {
    const overrides: RateOverride[] = [
      { id: 'o_any', dimensions: {}, rate: d('0.30') },
      { id: 'o_us', dimensions: { region: 'US' }, rate: d('0.15') },
      { id: 'o_us_esc', dimensions: { region: 'US', call_outcome: 'escalated' }, rate: d('0.50') },
    ];
    const pick = (values: Record<string, string>) =>
      findRate(context(values, card, overrides), NOW)!.overrideId;
    expect(pick({ region: 'US', call_outcome: 'escalated' })).toBe('o_us_esc');
    expect(pick({ region: 'US', call_outcome: 'resolved' })).toBe('o_us');
    expect(pick({ region: 'EU', call_outcome: 'resolved' })).toBe('o_any');
  });

  it('an ambiguous set that slipped through still resolves deterministically (smaller canonical key)', () => {
    const ambiguous = [
      entry('r', { region: 'US' }, '0.10'),
      entry('c', { call_outcome: 'resolved' }, '0.20'),
    ];
    const values = { region: 'US', call_outcome: 'resolved' };
    expect(findRate(context(values, ambiguous), NOW)!.entryId).toBe('c');
    expect(findRate(context(values, [...ambiguous].reverse()), NOW)!.entryId).toBe('c');
    const overrides: RateOverride[] = [
      { id: 'r', dimensions: { region: 'US' }, rate: d('0.1') },
      { id: 'c', dimensions: { call_outcome: 'resolved' }, rate: d('0.2') },
    ];
    expect(findRate(context(values, [], overrides), NOW)!.overrideId).toBe('c');
    expect(findRate(context(values, [], [...overrides].reverse()), NOW)!.overrideId).toBe('c');
  });
});

describe("the contract's dimensions take precedence over the event's", () => {
  const card = [
    entry('gpt4', { model: 'gpt-4' }, '0.03'),
    entry('gpt4_ent', { model: 'gpt-4', customer_tier: 'enterprise' }, '0.015'),
  ];

  it('an event claiming another tier is priced at the contract tier', () => {
    const values = usageDimensionValues(
      ['model', 'customer_tier'],
      { model: 'gpt-4', customer_tier: 'free' },
      { customer_tier: 'enterprise' },
    );
    expect(values).toEqual({ model: 'gpt-4', customer_tier: 'enterprise' });
    expect(findRate(context(values, card), NOW)!.entryId).toBe('gpt4_ent');
  });

  it('without contract dimensions the event value is used', () => {
    const values = usageDimensionValues(['model', 'customer_tier'], {
      model: 'gpt-4',
      customer_tier: 'free',
    });
    expect(findRate(context(values, card), NOW)!.entryId).toBe('gpt4');
  });

  it('properties that are not group keys are ignored (agent_id)', () => {
    const values = usageDimensionValues(['region', 'call_outcome'], {
      region: 'EU',
      call_outcome: 'escalated',
      duration_minutes: 15,
      agent_id: 'agent_456',
    });
    expect(values).toEqual({ region: 'EU', call_outcome: 'escalated' });
    expect(findRate(context(values, AI_CALL_CARD), NOW)!.entryId).toBe('eu_esc');
  });
});

describe('effective dates', () => {
  const MARCH = at('2026-03-01T00:00:00Z');
  const APRIL = at('2026-04-01T00:00:00Z');
  const card = [
    entry('all', {}, '0.50'),
    entry('us_v1', { region: 'US' }, '0.20', EPOCH, MARCH),
    entry('us_v2', { region: 'US' }, '0.25', MARCH, APRIL),
    entry('eu_future', { region: 'EU' }, '0.30', APRIL),
  ];
  const idAt = (values: Record<string, string>, instant: Date) =>
    findRate(context(values, card), instant)!.entryId;

  it('uses the version in effect at the instant (effectiveFrom inclusive, effectiveTo exclusive)', () => {
    expect(idAt({ region: 'US' }, at('2026-02-28T23:59:59.999Z'))).toBe('us_v1');
    expect(idAt({ region: 'US' }, MARCH)).toBe('us_v2');
    expect(idAt({ region: 'US' }, at('2026-03-31T23:59:59.999Z'))).toBe('us_v2');
  });

  it('an expired specific entry gives way to the catch-all still in effect', () => {
    expect(idAt({ region: 'US' }, APRIL)).toBe('all');
  });

  it('an entry not yet effective does not apply', () => {
    expect(idAt({ region: 'EU' }, at('2026-03-31T23:59:59.999Z'))).toBe('all');
    expect(idAt({ region: 'EU' }, APRIL)).toBe('eu_future');
  });

  it('falls back when no entry is in effect at all', () => {
    const resolved = findRate(context({ region: 'US' }, card.slice(1)), APRIL)!;
    expect(resolved.source).toBe('FALLBACK');
  });
});

describe('rateSegments: usage straddling a rate change', () => {
  const CHANGE = at('2026-03-15T00:00:00Z');
  const card = [
    entry('us_v1', { region: 'US' }, '0.20', EPOCH, CHANGE),
    entry('us_v2', { region: 'US' }, '0.25', CHANGE),
    entry('eu_v1', { region: 'EU' }, '0.30', EPOCH, at('2026-03-20T00:00:00Z')),
    entry('eu_v2', { region: 'EU' }, '0.35', at('2026-03-20T00:00:00Z')),
  ];
  const FROM = at('2026-03-01T00:00:00Z');
  const TO = at('2026-04-01T00:00:00Z');
  const show = (segments: ReturnType<typeof rateSegments>) =>
    segments.map(
      (s) =>
        `${s.from.toISOString().slice(0, 10)}..${s.to.toISOString().slice(0, 10)} ${s.source} ${s.entryId ?? s.overrideId ?? '-'} ${s.rate.toFixed()}`,
    );

  it('splits at the version boundary into two segments (and ignores other entries’ boundaries)', () => {
    expect(show(rateSegments(context({ region: 'US' }, card), FROM, TO))).toEqual([
      '2026-03-01..2026-03-15 RATE_CARD us_v1 0.2',
      '2026-03-15..2026-04-01 RATE_CARD us_v2 0.25',
    ]);
  });

  it('a range within one version is one segment', () => {
    expect(show(rateSegments(context({ region: 'US' }, card), FROM, CHANGE))).toEqual([
      '2026-03-01..2026-03-15 RATE_CARD us_v1 0.2',
    ]);
  });

  it('an override is one segment for the whole range', () => {
    const overrides = [{ id: 'o', dimensions: { region: 'US' }, rate: d('0.18') }];
    expect(show(rateSegments(context({ region: 'US' }, card, overrides), FROM, TO))).toEqual([
      '2026-03-01..2026-04-01 OVERRIDE o 0.18',
    ]);
  });

  it('a gap between versions is priced at the fallback', () => {
    const gappy = [
      entry('a', { region: 'US' }, '0.20', EPOCH, at('2026-03-10T00:00:00Z')),
      entry('b', { region: 'US' }, '0.22', at('2026-03-20T00:00:00Z')),
    ];
    expect(show(rateSegments(context({ region: 'US' }, gappy), FROM, TO))).toEqual([
      '2026-03-01..2026-03-10 RATE_CARD a 0.2',
      '2026-03-10..2026-03-20 FALLBACK - 0.4',
      '2026-03-20..2026-04-01 RATE_CARD b 0.22',
    ]);
  });

  it('throws when a segment has no rate and there is no fallback', () => {
    const gappy = [entry('a', { region: 'US' }, '0.20', EPOCH, at('2026-03-10T00:00:00Z'))];
    expect(() => rateSegments(context({ region: 'US' }, gappy, [], null), FROM, TO)).toThrow(
      /No rate applies/,
    );
  });

  it('an empty or reversed range has no segments', () => {
    expect(rateSegments(context({ region: 'US' }, card), FROM, FROM)).toEqual([]);
    expect(rateSegments(context({ region: 'US' }, card), TO, FROM)).toEqual([]);
  });

  it('becomes two invoice lines with their own rates', () => {
    const segments = rateSegments(context({ region: 'US' }, card), FROM, TO);
    const quantities = [d('100'), d('40')]; // minutes before and after the change, from aggregates
    const lines = segments.map((s, i) =>
      usageLineAmount(quantities[i], s.rate, d('1'), 'USD').amount.toFixed(2),
    );
    expect(lines).toEqual(['20.00', '10.00']);
  });
});

describe('findAmbiguities', () => {
  const summary = (list: ReturnType<typeof findAmbiguities>) =>
    list.map((a) => `${a.kind} ${a.firstIndex}-${a.secondIndex}`);

  it('the AI call center card with a catch-all is unambiguous', () => {
    expect(findAmbiguities([...AI_CALL_CARD, entry('all', {}, '0.40')])).toEqual([]);
  });

  it('flags two entries with the same key count that both match some usage, naming both', () => {
    const list = findAmbiguities([
      entry('by_region', { region: 'US' }, '0.1'),
      entry('by_outcome', { call_outcome: 'resolved' }, '0.2'),
    ]);
    expect(summary(list)).toEqual(['AMBIGUOUS 0-1']);
    expect(list[0].first.id).toBe('by_region');
    expect(list[0].second.id).toBe('by_outcome');
    expect(list[0].example).toEqual({ region: 'US', call_outcome: 'resolved' });
    expect(list[0].message).toBe(
      'by_region {region=US} and by_outcome {call_outcome=resolved} could both match usage ' +
        '[call_outcome=resolved|region=US] with the same specificity',
    );
  });

  it('flags two-key entries that share one key with the same value', () => {
    const list = findAmbiguities([
      entry('a', { model: 'gpt-4', region: 'US' }, '0.1'),
      entry('b', { model: 'gpt-4', tier: 'pro' }, '0.2'),
    ]);
    expect(summary(list)).toEqual(['AMBIGUOUS 0-1']);
  });

  it('flags duplicates with overlapping dates, and two catch-alls', () => {
    expect(
      summary(findAmbiguities([entry('a', { region: 'US' }, '0.1'), entry('b', { region: 'US' }, '0.2')])),
    ).toEqual(['DUPLICATE 0-1']);
    const catchAlls = findAmbiguities([entry('x', {}, '0.1'), entry('y', {}, '0.2')]);
    expect(summary(catchAlls)).toEqual(['DUPLICATE 0-1']);
    expect(catchAlls[0].message).toBe(
      'x {catch-all} and y {catch-all} have the same dimensions and overlapping effective dates',
    );
  });

  it('flags partially overlapping versions', () => {
    const list = findAmbiguities([
      entry('v1', { region: 'US' }, '0.1', EPOCH, at('2026-03-20T00:00:00Z')),
      entry('v2', { region: 'US' }, '0.2', at('2026-03-15T00:00:00Z')),
    ]);
    expect(summary(list)).toEqual(['DUPLICATE 0-1']);
  });

  it('does not flag different values on a shared key', () => {
    expect(
      findAmbiguities([entry('a', { region: 'US' }, '0.1'), entry('b', { region: 'EU' }, '0.2')]),
    ).toEqual([]);
    expect(
      findAmbiguities([
        entry('a', { model: 'gpt-4', region: 'US' }, '0.1'),
        entry('b', { model: 'gpt-3.5', tier: 'pro' }, '0.2'),
      ]),
    ).toEqual([]);
  });

  it('does not flag entries with different key counts (the more specific wins)', () => {
    expect(
      findAmbiguities([
        entry('a', { region: 'US' }, '0.1'),
        entry('b', { region: 'US', call_outcome: 'resolved' }, '0.2'),
      ]),
    ).toEqual([]);
    expect(findAmbiguities([entry('a', {}, '0.1'), entry('b', { region: 'US' }, '0.2')])).toEqual([]);
  });

  it('does not flag consecutive versions (effectiveTo is exclusive)', () => {
    const change = at('2026-03-15T00:00:00Z');
    expect(
      findAmbiguities([
        entry('v1', { region: 'US' }, '0.1', EPOCH, change),
        entry('v2', { region: 'US' }, '0.2', change),
      ]),
    ).toEqual([]);
  });

  it('does not flag compatible entries whose dates do not overlap', () => {
    const change = at('2026-03-15T00:00:00Z');
    expect(
      findAmbiguities([
        entry('a', { region: 'US' }, '0.1', EPOCH, change),
        entry('b', { call_outcome: 'resolved' }, '0.2', change),
      ]),
    ).toEqual([]);
  });

  it('an entry for the union settles the ambiguity, but only over the time it covers', () => {
    const settled = [
      entry('a', { region: 'US' }, '0.1'),
      entry('b', { call_outcome: 'resolved' }, '0.2'),
      entry('ab', { region: 'US', call_outcome: 'resolved' }, '0.15'),
    ];
    expect(findAmbiguities(settled)).toEqual([]);
    const partly = [
      entry('a', { region: 'US' }, '0.1'),
      entry('b', { call_outcome: 'resolved' }, '0.2'),
      entry('ab', { region: 'US', call_outcome: 'resolved' }, '0.15', at('2026-01-01T00:00:00Z')),
    ];
    expect(summary(findAmbiguities(partly))).toEqual(['AMBIGUOUS 0-1']);
    const pieced = [
      ...partly,
      entry('ab0', { region: 'US', call_outcome: 'resolved' }, '0.15', EPOCH, at('2026-01-01T00:00:00Z')),
    ];
    expect(findAmbiguities(pieced)).toEqual([]);
  });

  it('checks contract overrides, which have no dates', () => {
    const overrides: RateOverride[] = [
      { id: 'o1', dimensions: { model: 'gpt-4' }, rate: d('0.02') },
      { id: 'o2', dimensions: { region: 'EU' }, rate: d('0.01') },
      { id: 'o3', dimensions: { model: 'gpt-3.5' }, rate: d('0.001') },
    ];
    expect(summary(findAmbiguities(overrides))).toEqual(['AMBIGUOUS 0-1', 'AMBIGUOUS 1-2']);
    expect(findAmbiguities([overrides[0], overrides[2]])).toEqual([]);
  });

  it('lists every pair, in index order', () => {
    const list = findAmbiguities([
      entry('a', { x: '1' }, '0.1'),
      entry('b', { y: '1' }, '0.1'),
      entry('c', { z: '1' }, '0.1'),
    ]);
    expect(summary(list)).toEqual(['AMBIGUOUS 0-1', 'AMBIGUOUS 0-2', 'AMBIGUOUS 1-2']);
  });
});
