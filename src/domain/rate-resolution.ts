/**
 * Rate resolution: which rate prices usage with dimension values V at a given time.
 *
 * Order:
 *   1. the contract's override whose dimensions all match V, most specific (most keys) first;
 *   2. else the rate card entry in effect at that time whose dimensions all match V, most specific first
 *      (`{}` is the card's catch-all);
 *   3. else the pricing's fallback rate.
 *
 * Decisions:
 * - Matching, specificity and the rate-card step reuse dimensions.ts (`dimensionsMatch`, `selectEntry`), the
 *   same code the catalog services validate with. V is built with `usageDimensionValues` (dimensions.ts):
 *   event values for the meter's group keys, the contract's fixed dimensions taking precedence.
 * - Effective ranges are half-open: an entry is in effect at t when `effectiveFrom ≤ t < effectiveTo`
 *   (`effectiveTo` null = open-ended). Specificity is compared only among entries in effect at t, so an
 *   expired specific entry gives way to a catch-all that is still in effect.
 * - Overrides have no effective dates; they apply for the whole contract.
 * - Two candidates with the same number of keys that could both match some usage are ambiguous, unless a
 *   candidate for the union of their dimensions (more specific) covers their whole overlap and so settles
 *   it — the rule of `findEntryClash` in dimensions.ts. `findAmbiguities` lists every such pair so callers
 *   can reject the set at creation naming both. Should one slip through, resolution stays deterministic:
 *   the smaller canonical dimension key wins, then the earlier in input order.
 * - Nothing matches and no fallback: `findRate` returns null and `getRateOrThrow`/`rateSegments` throw.
 *   Never price such usage at zero silently.
 */
import type { Dimensions } from './dimensions';
import {
  canonicalDimensionKey,
  dimensionsCompatible,
  dimensionsMatch,
  selectEntry,
  specificity,
} from './dimensions';
import type { Decimal } from './money';

export type RateSource = 'OVERRIDE' | 'RATE_CARD' | 'FALLBACK';

/** A contract rate override for one meter (the caller filters overrides by meter code). */
export interface RateOverride {
  id?: string;
  dimensions: Dimensions;
  rate: Decimal;
}

/** A rate card entry: one rate for one dimension combination over `[effectiveFrom, effectiveTo)`. */
export interface RateCardEntry {
  id: string;
  dimensions: Dimensions;
  rate: Decimal;
  effectiveFrom: Date;
  /** Exclusive; null = open-ended. */
  effectiveTo: Date | null;
}

/** The rate that applies, and where it came from (recorded on each invoice line). */
export interface ResolvedRate {
  rate: Decimal;
  source: RateSource;
  /** The rate card entry, when `source` is `RATE_CARD`. */
  entryId?: string;
  /** The override's id, when `source` is `OVERRIDE` and the override has one. */
  overrideId?: string;
  /** Dimensions of the winning override/entry (`{}` for a catch-all or the fallback). */
  matchedDimensions: Dimensions;
}

/** Everything resolution needs besides time. */
export interface RateContext {
  /** Usage dimension values V. */
  values: Dimensions;
  overrides: readonly RateOverride[];
  entries: readonly RateCardEntry[];
  fallbackRate: Decimal | null;
}

/** The most specific matching override; ties (ambiguous sets) go to the smaller canonical key, then input order. */
function selectOverride(overrides: readonly RateOverride[], values: Dimensions): RateOverride | null {
  let best: RateOverride | null = null;
  let bestKey = '';
  for (const override of overrides) {
    if (!dimensionsMatch(override.dimensions, values)) continue;
    const key = canonicalDimensionKey(override.dimensions);
    const diff = best === null ? 1 : specificity(override.dimensions) - specificity(best.dimensions);
    if (diff > 0 || (diff === 0 && key < bestKey)) {
      best = override;
      bestKey = key;
    }
  }
  return best;
}

/** The rate for usage with values `context.values` at instant `at`, or null when nothing applies. */
export function findRate(context: RateContext, at: Date): ResolvedRate | null {
  const override = selectOverride(context.overrides, context.values);
  if (override) {
    return {
      rate: override.rate,
      source: 'OVERRIDE',
      ...(override.id !== undefined ? { overrideId: override.id } : {}),
      matchedDimensions: override.dimensions,
    };
  }
  const entry = selectEntry(context.entries, context.values, at);
  if (entry) {
    return { rate: entry.rate, source: 'RATE_CARD', entryId: entry.id, matchedDimensions: entry.dimensions };
  }
  if (context.fallbackRate !== null) {
    return { rate: context.fallbackRate, source: 'FALLBACK', matchedDimensions: {} };
  }
  return null;
}

/** Like {@link findRate}, but throws when no override, entry or fallback applies. */
export function getRateOrThrow(context: RateContext, at: Date): ResolvedRate {
  const resolved = findRate(context, at);
  if (resolved === null) {
    throw new Error(
      `No rate applies to usage [${canonicalDimensionKey(context.values)}] at ${at.toISOString()} ` +
        'and the pricing has no fallback rate',
    );
  }
  return resolved;
}

/** A stretch of time over which one rate applies: `[from, to)`. */
export interface RateSegment extends ResolvedRate {
  from: Date;
  to: Date;
}

/**
 * Splits usage time `[from, to)` into segments with a constant rate, cutting at every effective-date
 * boundary of the rate card that falls inside the range. Adjacent segments with the same source, entry,
 * override and rate are merged, so usage that straddles a rate change becomes exactly two segments and a
 * boundary that changes nothing (e.g. an unrelated entry's version) adds none. An override short-circuits
 * to one segment. Throws when some segment has no rate (no fallback).
 */
export function rateSegments(context: RateContext, from: Date, to: Date): RateSegment[] {
  if (to.getTime() <= from.getTime()) return [];
  const lo = from.getTime();
  const hi = to.getTime();
  const cuts = new Set<number>([lo, hi]);
  if (selectOverride(context.overrides, context.values) === null) {
    for (const entry of context.entries) {
      for (const edge of [entry.effectiveFrom, entry.effectiveTo]) {
        if (edge !== null && edge.getTime() > lo && edge.getTime() < hi) cuts.add(edge.getTime());
      }
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: RateSegment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const resolved = getRateOrThrow(context, new Date(points[i]));
    const previous = segments[segments.length - 1];
    if (previous && sameRate(previous, resolved)) {
      previous.to = new Date(points[i + 1]);
    } else {
      segments.push({ ...resolved, from: new Date(points[i]), to: new Date(points[i + 1]) });
    }
  }
  return segments;
}

function sameRate(a: ResolvedRate, b: ResolvedRate): boolean {
  return (
    a.source === b.source && a.entryId === b.entryId && a.overrideId === b.overrideId && a.rate.eq(b.rate)
  );
}

/** An override or entry as seen by the ambiguity check; absent dates = always in effect. */
export interface AmbiguityCandidate {
  id?: string;
  dimensions: Dimensions;
  effectiveFrom?: Date | null;
  effectiveTo?: Date | null;
}

/** Two candidates that could both match the same usage with the same specificity. */
export interface Ambiguity<T> {
  /** DUPLICATE: the same dimensions; AMBIGUOUS: different dimensions, same number of keys. */
  kind: 'DUPLICATE' | 'AMBIGUOUS';
  first: T;
  second: T;
  firstIndex: number;
  secondIndex: number;
  /** Usage values both match: the union of their dimensions. */
  example: Record<string, string>;
  /** Human-readable, naming both, for a CONFLICT / BAD_USER_INPUT error. */
  message: string;
}

const fromOf = (c: AmbiguityCandidate): number => c.effectiveFrom?.getTime() ?? -Infinity;
const toOf = (c: AmbiguityCandidate): number => c.effectiveTo?.getTime() ?? Infinity;

/** True when the candidates' ranges together cover `[from, to)` without a gap. */
function covers(candidates: readonly AmbiguityCandidate[], from: number, to: number): boolean {
  const sorted = [...candidates].sort((a, b) => fromOf(a) - fromOf(b));
  let reached = from;
  for (const candidate of sorted) {
    if (fromOf(candidate) > reached) break;
    reached = Math.max(reached, toOf(candidate));
    if (reached >= to) return true;
  }
  return reached >= to;
}

function describe(candidate: AmbiguityCandidate, index: number): string {
  const key = canonicalDimensionKey(candidate.dimensions);
  return `${candidate.id ?? `#${index}`} {${key === '' ? 'catch-all' : key}}`;
}

/**
 * Every ambiguous pair among `candidates` (a contract's overrides for one meter, or a rate card's entries),
 * in index order; empty when the set is valid. A pair is ambiguous when both have the same number of keys,
 * agree on the keys they share, and have overlapping effective ranges — unless candidates for the union of
 * their dimensions cover the whole overlap (the union is more specific and prices all usage both match).
 * Identical dimensions with overlapping ranges are always reported (`DUPLICATE`).
 */
export function findAmbiguities<T extends AmbiguityCandidate>(candidates: readonly T[]): Ambiguity<T>[] {
  const keys = candidates.map((c) => canonicalDimensionKey(c.dimensions));
  const byKey = new Map<string, T[]>();
  candidates.forEach((c, i) => byKey.set(keys[i], [...(byKey.get(keys[i]) ?? []), c]));
  const result: Ambiguity<T>[] = [];
  for (let i = 0; i < candidates.length; i++) {
    for (let j = i + 1; j < candidates.length; j++) {
      const a = candidates[i];
      const b = candidates[j];
      if (specificity(a.dimensions) !== specificity(b.dimensions)) continue;
      const from = Math.max(fromOf(a), fromOf(b));
      const to = Math.min(toOf(a), toOf(b));
      if (from >= to || !dimensionsCompatible(a.dimensions, b.dimensions)) continue;
      const example = { ...a.dimensions, ...b.dimensions };
      const kind = keys[i] === keys[j] ? 'DUPLICATE' : 'AMBIGUOUS';
      if (kind === 'AMBIGUOUS' && covers(byKey.get(canonicalDimensionKey(example)) ?? [], from, to)) continue;
      const why =
        kind === 'DUPLICATE'
          ? 'have the same dimensions and overlapping effective dates'
          : `could both match usage [${canonicalDimensionKey(example)}] with the same specificity`;
      result.push({
        kind,
        first: a,
        second: b,
        firstIndex: i,
        secondIndex: j,
        example,
        message: `${describe(a, i)} and ${describe(b, j)} ${why}`,
      });
    }
  }
  return result;
}
