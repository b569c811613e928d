/**
 * Free units: the first N units of a pricing in each billing period cost nothing.
 *
 * Decisions:
 * - Free units come off the quantity before the pricing model applies: the model prices what is left. So
 *   12 units with 5 free in packages of 10 is ⌈7 / 10⌉ = one package, and a GRADUATED ladder's edges count
 *   billable units (the first tier starts after the free units).
 * - The allowance is per item and period (per group with `tierScope: PER_GROUP`), never prorated: a
 *   partial first period gets the whole allowance.
 * - A pricing with several lines (PER_UNIT: one per dimension combination and rate) uses its allowance
 *   up in invoice order: the earliest stretch first, then the lines as the invoice lists them. Each line
 *   keeps its measured quantity and says how many of its units were free.
 */
import { Decimal, ZERO } from './money';

/** How one quantity splits between the free allowance and what is billed. */
export interface FreeSplit {
  free: Decimal;
  billable: Decimal;
}

/** One quantity against an allowance: `free = min(quantity, allowance)`, `billable = quantity − free`. */
export function applyFreeUnits(quantity: Decimal, allowance: Decimal): FreeSplit {
  if (!allowance.isFinite() || allowance.isNegative()) {
    throw new Error(`free units must be zero or more, got ${allowance.toFixed()}`);
  }
  const free = Decimal.min(quantity, allowance);
  return { free, billable: quantity.minus(free) };
}

/**
 * Several quantities, in order, against one allowance: each takes what is left of it, up to its own
 * quantity. The splits are in the same order as the quantities.
 */
export function consumeFreeUnits(quantities: readonly Decimal[], allowance: Decimal): FreeSplit[] {
  let left = allowance;
  return quantities.map((quantity) => {
    const split = applyFreeUnits(quantity, left);
    left = left.minus(split.free);
    return split;
  });
}

/** ` (5 free)` for a line some of whose units were free; empty otherwise. */
export function freeUnitsNote(free: Decimal): string {
  return free.gt(ZERO) ? ` (${free.toFixed()} free)` : '';
}
