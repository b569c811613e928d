/**
 * Dimensions: the group-key values a rate card entry prices, e.g. `{ region: 'US', call_outcome: 'resolved' }`.
 * An entry with fewer keys is less specific; `{}` is the catch-all. Usage is priced by the most specific
 * entry whose every key matches the usage's values. Pure code: the catalog service, the pricing engine and
 * the event aggregator all share it so they agree on what "matches" means.
 */
export type Dimensions = Readonly<Record<string, string>>;

/** Dimension (group) key names: event property names, e.g. `region`, `call_outcome`, `model.family`. */
export const DIMENSION_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
export const MAX_DIMENSION_VALUE_LENGTH = 200;
/** The stored canonical key is a VARCHAR(500); a longer one cannot be stored or matched. */
export const MAX_CANONICAL_KEY_LENGTH = 500;

function escapePart(text: string): string {
  return text.replace(/[\\=|]/g, (c) => `\\${c}`);
}

/**
 * The canonical string of a dimension map: keys sorted (by UTF-16 code units, as `Array.sort` does),
 * `key=value` pairs joined by `|`, with `\`, `=` and `|` escaped by a backslash.
 * `{region:'US', call_outcome:'resolved'}` → `call_outcome=resolved|region=US`; `{}` → `''`.
 * Equal maps give equal strings, so it is the stored `dimension_key` and the aggregation key.
 */
export function canonicalDimensionKey(dimensions: Dimensions): string {
  return Object.keys(dimensions)
    .sort()
    .map((key) => `${escapePart(key)}=${escapePart(dimensions[key])}`)
    .join('|');
}

/** Inverse of `canonicalDimensionKey`. */
export function parseDimensionKey(canonical: string): Record<string, string> {
  const result: Record<string, string> = {};
  if (canonical === '') return result;
  let key = '';
  let current = '';
  let escaped = false;
  for (const c of canonical) {
    if (escaped) {
      current += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === '=') {
      key = current;
      current = '';
    } else if (c === '|') {
      result[key] = current;
      key = '';
      current = '';
    } else {
      current += c;
    }
  }
  result[key] = current;
  return result;
}

/**
 * True when every key of the entry has exactly that value in `values` (case-sensitive: "US" is not "us").
 * Keys of `values` the entry does not name are ignored; the empty entry matches everything.
 * Values are compared as strings; callers stringify event properties when they store them.
 */
export function dimensionsMatch(entry: Dimensions, values: Readonly<Record<string, unknown>>): boolean {
  for (const key of Object.keys(entry)) {
    if (values[key] !== entry[key]) return false;
  }
  return true;
}

/**
 * The dimension values of one usage event for a meter: its properties named by the meter's group keys,
 * as strings (numbers and booleans stringified; other types and missing properties left out), with
 * `fixed` values (a contract's fixed dimensions) taking precedence over the event's.
 */
export function usageDimensionValues(
  groupKeys: readonly string[],
  properties: Readonly<Record<string, unknown>>,
  fixed: Dimensions = {},
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of groupKeys) {
    const value = key in fixed ? fixed[key] : properties[key];
    if (typeof value === 'string') values[key] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) values[key] = String(value);
    else if (typeof value === 'boolean') values[key] = String(value);
  }
  return values;
}

/** How specific an entry is: the number of keys it fixes. The catch-all `{}` is 0. */
export function specificity(dimensions: Dimensions): number {
  return Object.keys(dimensions).length;
}

/** True when some usage could match both maps: no key they share has different values. */
export function dimensionsCompatible(a: Dimensions, b: Dimensions): boolean {
  for (const key of Object.keys(a)) {
    if (key in b && b[key] !== a[key]) return false;
  }
  return true;
}

/** A validated dimension map, or the reason the raw value is not one. */
export type DimensionsCheck = { ok: true; dimensions: Dimensions } | { ok: false; message: string };

/**
 * Checks a user-supplied map: an object whose keys are among `allowedKeys` and whose values are
 * non-empty strings of at most MAX_DIMENSION_VALUE_LENGTH characters.
 */
export function checkDimensions(raw: unknown, allowedKeys: readonly string[]): DimensionsCheck {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, message: 'must be an object of group-key values, e.g. {"region": "US"}' };
  }
  const dimensions: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!allowedKeys.includes(key)) {
      const allowed = allowedKeys.length ? allowedKeys.join(', ') : 'none';
      return { ok: false, message: `"${key}" is not a group key of the meter (group keys: ${allowed})` };
    }
    if (typeof value !== 'string') {
      return { ok: false, message: `the value of "${key}" must be a string, got ${JSON.stringify(value)}` };
    }
    if (value.length === 0 || value.length > MAX_DIMENSION_VALUE_LENGTH) {
      return {
        ok: false,
        message: `the value of "${key}" must be 1 to ${MAX_DIMENSION_VALUE_LENGTH} characters`,
      };
    }
    dimensions[key] = value;
  }
  if (canonicalDimensionKey(dimensions).length > MAX_CANONICAL_KEY_LENGTH) {
    return { ok: false, message: `is too long (at most ${MAX_CANONICAL_KEY_LENGTH} characters in all)` };
  }
  return { ok: true, dimensions };
}

/** A half-open effective range [from, to); `to` null is open-ended. */
export interface EffectiveRange {
  effectiveFrom: Date;
  effectiveTo: Date | null;
}

export interface DimensionedEntry extends EffectiveRange {
  dimensions: Dimensions;
}

const FOREVER = Number.POSITIVE_INFINITY;
const endOf = (range: EffectiveRange) => range.effectiveTo?.getTime() ?? FOREVER;

export function rangesOverlap(a: EffectiveRange, b: EffectiveRange): boolean {
  return a.effectiveFrom.getTime() < endOf(b) && b.effectiveFrom.getTime() < endOf(a);
}

export function isEffectiveAt(range: EffectiveRange, at: Date): boolean {
  const t = at.getTime();
  return range.effectiveFrom.getTime() <= t && t < endOf(range);
}

/** True when the ranges of `entries` together cover [from, to) without a gap. */
function covers(entries: readonly EffectiveRange[], from: number, to: number): boolean {
  const sorted = [...entries].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
  let reached = from;
  for (const entry of sorted) {
    if (entry.effectiveFrom.getTime() > reached) break;
    reached = Math.max(reached, endOf(entry));
    if (reached >= to) return true;
  }
  return reached >= to;
}

export interface EntryClash<T> {
  /**
   * DUPLICATE: same dimensions with overlapping effective ranges.
   * AMBIGUOUS: different dimensions with the same number of keys that could both match the same usage
   * at the same time, and no more specific entry settles which applies.
   */
  kind: 'DUPLICATE' | 'AMBIGUOUS';
  first: T;
  second: T;
}

/**
 * Finds the first pair of entries that cannot both be in one rate card (in input order: `second` comes
 * after `first`). An ambiguity between {region:US} and {call_outcome:resolved} is settled when entries for
 * {call_outcome:resolved, region:US} cover the whole overlapping period: that entry is more specific, so
 * it prices every usage both would match.
 */
export function findEntryClash<T extends DimensionedEntry>(entries: readonly T[]): EntryClash<T> | null {
  const keys = entries.map((entry) => canonicalDimensionKey(entry.dimensions));
  const byKey = new Map<string, T[]>();
  entries.forEach((entry, i) => byKey.set(keys[i], [...(byKey.get(keys[i]) ?? []), entry]));
  for (let j = 1; j < entries.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = entries[i];
      const b = entries[j];
      if (!rangesOverlap(a, b)) continue;
      if (keys[i] === keys[j]) return { kind: 'DUPLICATE', first: a, second: b };
      if (specificity(a.dimensions) !== specificity(b.dimensions)) continue;
      if (!dimensionsCompatible(a.dimensions, b.dimensions)) continue;
      const union = canonicalDimensionKey({ ...a.dimensions, ...b.dimensions });
      const from = Math.max(a.effectiveFrom.getTime(), b.effectiveFrom.getTime());
      const to = Math.min(endOf(a), endOf(b));
      if (!covers(byKey.get(union) ?? [], from, to)) return { kind: 'AMBIGUOUS', first: a, second: b };
    }
  }
  return null;
}

/**
 * The entry that prices usage with `values` at time `at`: the most specific matching entry effective then,
 * or null (the pricing's fallback rate applies). Ties cannot happen in a validated card; should they, the
 * smallest canonical key wins so the answer is still deterministic.
 */
export function selectEntry<T extends DimensionedEntry>(
  entries: readonly T[],
  values: Readonly<Record<string, unknown>>,
  at: Date,
): T | null {
  let best: T | null = null;
  let bestKey = '';
  for (const entry of entries) {
    if (!isEffectiveAt(entry, at) || !dimensionsMatch(entry.dimensions, values)) continue;
    const key = canonicalDimensionKey(entry.dimensions);
    const better =
      best === null ||
      specificity(entry.dimensions) > specificity(best.dimensions) ||
      (specificity(entry.dimensions) === specificity(best.dimensions) && key < bestKey);
    if (better) {
      best = entry;
      bestKey = key;
    }
  }
  return best;
}

/** Describes an entry for error messages, e.g. `{region=US} from 1970-01-01T00:00:00.000Z`. */
export function describeEntry(entry: DimensionedEntry): string {
  const key = canonicalDimensionKey(entry.dimensions);
  const to = entry.effectiveTo ? ` to ${entry.effectiveTo.toISOString()}` : '';
  return `{${key || 'catch-all'}} from ${entry.effectiveFrom.toISOString()}${to}`;
}
