/**
 * What the pricing core reads and what it returns. Plain shapes: the stored contract items, pricings and
 * meters satisfy them as they are, so the invoicing service hands its loaded rows over without mapping.
 */
import type { Dimensions } from './dimensions';
import type { Decimal } from './money';
import type { BillingPeriod } from './periods';
import type { PricingModel } from './pricing-models';
import type { RateCardEntry, RateOverride, RateSource } from './rate-resolution';

/**
 * Every kind of invoice line; the pricing core writes USAGE, FLAT_FEE and ONE_TIME. COMMITMENT is a
 * prepaid-credit invoice's line; MINIMUM_TRUE_UP bills a contract minimum's shortfall (minimum-commitment.ts).
 */
export type InvoiceLineKind = 'USAGE' | 'FLAT_FEE' | 'ONE_TIME' | 'COMMITMENT' | 'MINIMUM_TRUE_UP';

/** Which of its pricing's per-period bounds changed a line's amount (pricing-bounds.ts). */
export type LineBound = 'MINIMUM' | 'MAXIMUM';

/** How a meter combines the events of one stretch into a quantity. */
export type MeterAggregation = 'SUM' | 'COUNT' | 'MAX' | 'UNIQUE_COUNT' | 'LATEST';

/** A meter as the core needs it: how to merge quantities and how to name its lines. */
export interface PricingMeter {
  id: string;
  code: string;
  displayName: string;
  aggregation: MeterAggregation;
  /** The dimensions, in the order the meter declares them. */
  groupKeys: readonly string[];
}

/** A tier as stored: `upTo` null is the last, open-ended tier. Decimals as fixed-point strings. */
export interface PricingStoredTier {
  upTo: string | null;
  unitAmount: string;
  flatAmount: string;
  /** TIERED_PACKAGE tiers: the package size of the tier. */
  packageSize?: string | null;
}

/** A catalog pricing: usage on a meter (model, unit size, fallback rate, rate card, tiers) or a flat fee. */
export interface PricingTerms {
  id: string;
  name: string;
  kind: 'USAGE' | 'FLAT_FEE';
  meterId: string | null;
  model: PricingModel | null;
  unitSize: Decimal;
  fallbackRate: Decimal | null;
  rateCardId: string | null;
  tiers: readonly PricingStoredTier[] | null;
  flatAmount: Decimal | null;
  /** GRADUATED only: zero usage bills the first tier's flat amount; absent or false = nothing. */
  billFirstTierFlatAtZeroUsage?: boolean;
  /** Per-period minimum of each line of the pricing, prorated like flat fees; null/absent = none. */
  minimumAmount?: Decimal | null;
  /** Per-period cap of each line of the pricing, prorated like flat fees; null/absent = none. */
  maximumAmount?: Decimal | null;
  /** Units free in each period before the model prices the rest (free-units.ts); absent = none. */
  freeUnits?: Decimal;
  /** PERCENTAGE only: the percentage of the summed amount, or null when tiers grade it. */
  percent?: Decimal | null;
  /** PERCENTAGE only: a fixed fee per transaction (event). */
  feePerTransaction?: Decimal | null;
  /**
   * Models other than PER_UNIT: TOTAL (default) prices the item's total quantity on one line; PER_GROUP
   * prices each dimension combination on its own line, with its own tiers (and free units).
   */
  tierScope?: TierScope;
}

export type TierScope = 'TOTAL' | 'PER_GROUP';

/** One pricing a contract charges over `[startsAt, endsAt)`. */
export interface PricingItem {
  id: string;
  pricingId: string;
  /** Order of the item's lines on the invoice. */
  position: number;
  /** Seats for flat fees; 1 for usage pricings. */
  quantity: Decimal;
  startsAt: Date;
  endsAt: Date | null;
}

/** A rate card entry as the core needs it (position orders lines like the card lists its entries). */
export interface PricingRateCardEntry extends RateCardEntry {
  position: number;
}

/** A contract override for one meter. */
export interface PricingOverride extends RateOverride {
  meterId: string;
}

/**
 * The usage of one meter and dimension combination over one stretch `[from, to)` of the period, already
 * aggregated by the meter's aggregation (sum, count, max, distinct count or latest value).
 */
export interface UsageQuantity {
  meterId: string;
  /** canonicalDimensionKey of the event's group-key values (missing keys valued "none"). */
  dimensionKey: string;
  from: Date;
  to: Date;
  quantity: Decimal;
  /** SUM and COUNT meters: the events behind the quantity (per-transaction fees); absent = unknown. */
  eventCount?: Decimal;
  /** LATEST meters: when the value was observed, so merging keeps the latest. */
  observedAt?: Date | null;
  /**
   * UNIQUE_COUNT meters read over several stretches: the distinct values themselves (any stable text, e.g.
   * hashes), so stretches that end on one line count a value once. `quantity` is then their number.
   */
  distinctValues?: ReadonlySet<string>;
}

/** A contract's one-time charge (the stored charge fits this shape). */
export interface PricingOneTimeCharge {
  position: number;
  description: string;
  /** Unit price. */
  amount: Decimal;
  quantity: Decimal;
  chargeDate: Date;
}

export interface InvoicePricingInput {
  currency: string;
  period: BillingPeriod;
  /** Contract's fixed dimension values (only a meter's group keys apply to it). */
  contractDimensions: Dimensions;
  items: readonly PricingItem[];
  pricings: ReadonlyMap<string, PricingTerms>;
  meters: ReadonlyMap<string, PricingMeter>;
  /** Entries per rate card id. */
  rateCardEntries: ReadonlyMap<string, readonly PricingRateCardEntry[]>;
  overrides: readonly PricingOverride[];
  /** Every one-time charge of the contract; only those dated inside the period are billed. */
  oneTimeCharges?: readonly PricingOneTimeCharge[];
  usage: readonly UsageQuantity[];
}

export interface PricedLine {
  kind: InvoiceLineKind;
  /** Null for one-time charges, which belong to the contract, not to a catalog pricing. */
  pricingId: string | null;
  meterCode: string | null;
  description: string;
  dimensions: Record<string, string> | null;
  quantity: Decimal;
  rate: Decimal | null;
  unitSize: Decimal | null;
  rateSource: RateSource | null;
  /** Unrounded, at 12 decimals (the column's scale). */
  preciseAmount: Decimal;
  /** Rounded half-up to the currency's minor unit. */
  amount: Decimal;
  serviceFrom: Date;
  serviceTo: Date;
  /** The pricing bound that changed the amount, if any. */
  bound?: LineBound | null;
  /** The rounded amount before `bound` applied (set only with `bound`). */
  unboundedAmount?: Decimal | null;
}

export interface PricedInvoice {
  lines: PricedLine[];
  subtotal: Decimal;
}

/** A priced line with the keys that order it on the invoice (dropped before the lines are returned). */
export interface SortableLine extends PricedLine {
  itemPosition: number;
  order: number;
}

/** The stretch of the period an item covers: `[max(start), min(end))`, or null when it covers none. */
export function itemRange(item: PricingItem, period: BillingPeriod): { from: Date; to: Date } | null {
  const from = Math.max(item.startsAt.getTime(), period.start.getTime());
  const to = Math.min(item.endsAt?.getTime() ?? Infinity, period.end.getTime());
  return to > from ? { from: new Date(from), to: new Date(to) } : null;
}
