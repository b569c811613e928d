import {
  canonicalDimensionKey,
  checkDimensions,
  dimensionsCompatible,
  dimensionsMatch,
  findEntryClash,
  parseDimensionKey,
  selectEntry,
  specificity,
  usageDimensionValues,
  type DimensionedEntry,
} from '../../src/domain/dimensions';

const EPOCH = new Date(0);
const at = (iso: string) => new Date(iso);
const entry = (
  dimensions: Record<string, string>,
  effectiveFrom: Date = EPOCH,
  effectiveTo: Date | null = null,
  name = canonicalDimensionKey(dimensions),
): DimensionedEntry & { name: string } => ({ dimensions, effectiveFrom, effectiveTo, name });

describe('canonicalDimensionKey', () => {
  it('sorts keys and joins key=value pairs with |', () => {
    expect(canonicalDimensionKey({ region: 'US', call_outcome: 'resolved' })).toBe(
      'call_outcome=resolved|region=US',
    );
    expect(canonicalDimensionKey({ call_outcome: 'resolved', region: 'US' })).toBe(
      'call_outcome=resolved|region=US',
    );
  });

  it('is empty for the catch-all', () => {
    expect(canonicalDimensionKey({})).toBe('');
  });

  it('escapes =, | and backslash so different maps never collide', () => {
    const tricky = { a: 'x|b=y' };
    const split = { a: 'x', b: 'y' };
    expect(canonicalDimensionKey(tricky)).toBe('a=x\\|b\\=y');
    expect(canonicalDimensionKey(split)).toBe('a=x|b=y');
    expect(canonicalDimensionKey({ 'k\\': 'v' })).toBe('k\\\\=v');
  });

  it('round-trips through parseDimensionKey', () => {
    const maps: Array<Record<string, string>> = [{}, { region: 'US' }, { a: 'x|b=y', 'c=d': 'e\\f', z: '' }];
    for (const dims of maps) {
      expect(parseDimensionKey(canonicalDimensionKey(dims))).toEqual(dims);
    }
  });
});

describe('dimensionsMatch and specificity', () => {
  const values = { region: 'US', call_outcome: 'resolved', agent_id: 'a1' };

  it('matches when every key of the entry has that exact value', () => {
    expect(dimensionsMatch({ region: 'US' }, values)).toBe(true);
    expect(dimensionsMatch({ region: 'US', call_outcome: 'resolved' }, values)).toBe(true);
    expect(dimensionsMatch({ region: 'EU' }, values)).toBe(false);
    expect(dimensionsMatch({ region: 'us' }, values)).toBe(false);
    expect(dimensionsMatch({ model: 'gpt-4' }, values)).toBe(false);
  });

  it('treats the empty entry as the catch-all', () => {
    expect(dimensionsMatch({}, values)).toBe(true);
    expect(dimensionsMatch({}, {})).toBe(true);
  });

  it('does not coerce numbers to strings', () => {
    expect(dimensionsMatch({ tier: '5' }, { tier: 5 })).toBe(false);
  });

  it('counts keys', () => {
    expect(specificity({})).toBe(0);
    expect(specificity({ region: 'US', call_outcome: 'resolved' })).toBe(2);
  });

  it('calls maps compatible unless a shared key differs', () => {
    expect(dimensionsCompatible({ region: 'US' }, { call_outcome: 'resolved' })).toBe(true);
    expect(dimensionsCompatible({ region: 'US', x: '1' }, { region: 'US' })).toBe(true);
    expect(dimensionsCompatible({ region: 'US' }, { region: 'EU' })).toBe(false);
  });
});

describe('usageDimensionValues', () => {
  it('keeps group keys only, stringifies scalars and lets fixed values win', () => {
    expect(
      usageDimensionValues(
        ['region', 'call_outcome', 'tier', 'missing'],
        { region: 'US', call_outcome: 'resolved', tier: 3, agent_id: 'x', missing: { nested: true } },
        { region: 'EU' },
      ),
    ).toEqual({ region: 'EU', call_outcome: 'resolved', tier: '3' });
  });
});

describe('checkDimensions', () => {
  const keys = ['region', 'call_outcome'];

  it('accepts a subset of the group keys with string values', () => {
    expect(checkDimensions({ region: 'US' }, keys)).toEqual({ ok: true, dimensions: { region: 'US' } });
    expect(checkDimensions({}, keys)).toEqual({ ok: true, dimensions: {} });
  });

  it('rejects unknown keys, non-string or empty values and non-objects', () => {
    expect(checkDimensions({ country: 'US' }, keys)).toEqual({
      ok: false,
      message: '"country" is not a group key of the meter (group keys: region, call_outcome)',
    });
    expect(checkDimensions({ region: 5 }, keys)).toEqual({
      ok: false,
      message: 'the value of "region" must be a string, got 5',
    });
    expect(checkDimensions({ region: '' }, keys).ok).toBe(false);
    expect(checkDimensions(['US'], keys).ok).toBe(false);
    expect(checkDimensions(null, keys).ok).toBe(false);
  });
});

describe('findEntryClash', () => {
  it('accepts the AI call-center card: nine full combinations and a catch-all', () => {
    const entries = [entry({})];
    for (const region of ['US', 'EU', 'APAC'])
      for (const call_outcome of ['resolved', 'transferred', 'escalated'])
        entries.push(entry({ region, call_outcome }));
    expect(findEntryClash(entries)).toBeNull();
  });

  it('reports the same dimensions with overlapping dates as a duplicate, naming both', () => {
    const a = entry({ region: 'US' }, at('2026-01-01'), at('2026-07-01'), 'a');
    const b = entry({ region: 'US' }, at('2026-06-01'), null, 'b');
    expect(findEntryClash([a, b])).toEqual({ kind: 'DUPLICATE', first: a, second: b });
  });

  it('allows the same dimensions in consecutive ranges (rate versions)', () => {
    const v1 = entry({ region: 'US' }, at('2026-01-01'), at('2026-07-01'));
    const v2 = entry({ region: 'US' }, at('2026-07-01'), null);
    expect(findEntryClash([v1, v2])).toBeNull();
  });

  it('reports two equally specific entries that can match the same usage as ambiguous', () => {
    const region = entry({ region: 'US' }, EPOCH, null, 'region');
    const outcome = entry({ call_outcome: 'resolved' }, EPOCH, null, 'outcome');
    expect(findEntryClash([region, outcome])).toEqual({ kind: 'AMBIGUOUS', first: region, second: outcome });
  });

  it('accepts equally specific entries that cannot match the same usage', () => {
    expect(findEntryClash([entry({ region: 'US' }), entry({ region: 'EU' })])).toBeNull();
    expect(
      findEntryClash([
        entry({ region: 'US', call_outcome: 'resolved' }),
        entry({ region: 'US', call_outcome: 'escalated' }),
      ]),
    ).toBeNull();
  });

  it('accepts entries of different specificity (the more specific one wins)', () => {
    expect(
      findEntryClash([entry({ region: 'US' }), entry({ region: 'US', call_outcome: 'resolved' })]),
    ).toBeNull();
  });

  it('accepts an ambiguous pair when the combined entry covers their common period, not when it covers part', () => {
    const region = entry({ region: 'US' });
    const outcome = entry({ call_outcome: 'resolved' });
    const both = entry({ region: 'US', call_outcome: 'resolved' });
    expect(findEntryClash([region, outcome, both])).toBeNull();
    const partial = entry({ region: 'US', call_outcome: 'resolved' }, at('2026-01-01'));
    expect(findEntryClash([region, outcome, partial])?.kind).toBe('AMBIGUOUS');
  });

  it('does not compare entries whose dates do not overlap', () => {
    const region = entry({ region: 'US' }, at('2026-01-01'), at('2026-02-01'));
    const outcome = entry({ call_outcome: 'resolved' }, at('2026-02-01'), null);
    expect(findEntryClash([region, outcome])).toBeNull();
  });
});

describe('selectEntry', () => {
  const catchAll = entry({}, EPOCH, null, 'catch-all');
  const us = entry({ region: 'US' }, EPOCH, null, 'us');
  const usResolvedOld = entry({ region: 'US', call_outcome: 'resolved' }, EPOCH, at('2026-03-01'), 'old');
  const usResolvedNew = entry({ region: 'US', call_outcome: 'resolved' }, at('2026-03-01'), null, 'new');
  const card = [catchAll, us, usResolvedOld, usResolvedNew];

  it('picks the most specific matching entry in effect', () => {
    const values = { region: 'US', call_outcome: 'resolved' };
    expect(selectEntry(card, values, at('2026-02-15'))?.name).toBe('old');
    expect(selectEntry(card, values, at('2026-03-01'))?.name).toBe('new');
    expect(selectEntry(card, { region: 'US', call_outcome: 'escalated' }, at('2026-02-15'))?.name).toBe('us');
    expect(selectEntry(card, { region: 'EU' }, at('2026-02-15'))?.name).toBe('catch-all');
  });

  it('returns null when nothing matches (the fallback rate applies)', () => {
    expect(selectEntry([us], { region: 'EU' }, at('2026-02-15'))).toBeNull();
    expect(
      selectEntry([usResolvedNew], { region: 'US', call_outcome: 'resolved' }, at('2026-01-01')),
    ).toBeNull();
  });
});
