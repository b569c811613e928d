/**
 * The largest magnitudes the DECIMAL columns of an invoice hold, derived from their precision and scale
 * (the column definitions live in db/decimal.transformer.ts and the migrations). An invoice whose figures
 * do not fit cannot be stored: it is refused with a message naming the figure, before anything is written,
 * instead of failing inside the database.
 */
import { Decimal, ZERO } from './money';
import type { PricedLine } from './invoice-pricing-input';

/** The largest value of a DECIMAL(precision, scale) column: 10^(precision - scale) - 10^-scale. */
export function decimalColumnMax(precision: number, scale: number): Decimal {
  return new Decimal(10).pow(precision - scale).minus(new Decimal(10).pow(-scale));
}

/** Rounded money (invoice totals, line amounts, credits applied): DECIMAL(20,4). */
export const MAX_MONEY = decimalColumnMax(20, 4);
/** Unrounded line amounts: DECIMAL(30,12). */
export const MAX_PRECISE_AMOUNT = decimalColumnMax(30, 12);
/** Line quantities: DECIMAL(38,9). */
export const MAX_QUANTITY = decimalColumnMax(38, 9);

/** A figure of an invoice that its column cannot hold. */
export interface OutOfRange {
  /** Where, e.g. `lines.2.amount` or `subtotal`. */
  field: string;
  value: Decimal;
  max: Decimal;
}

/**
 * The first figure of a priced invoice that its column cannot hold, or null when all fit: each line's
 * quantity, unrounded and rounded amount, then the subtotal. Credits applied and the amount due never
 * exceed the subtotal, so they fit whenever it does.
 */
export function firstOutOfRange(lines: readonly PricedLine[]): OutOfRange | null {
  let subtotal = ZERO;
  for (const [position, line] of lines.entries()) {
    const figures: Array<[string, Decimal, Decimal]> = [
      ['quantity', line.quantity, MAX_QUANTITY],
      ['preciseAmount', line.preciseAmount, MAX_PRECISE_AMOUNT],
      ['amount', line.amount, MAX_MONEY],
    ];
    for (const [name, value, max] of figures) {
      if (value.abs().greaterThan(max)) return { field: `lines.${position}.${name}`, value, max };
    }
    subtotal = subtotal.plus(line.amount);
  }
  return subtotal.abs().greaterThan(MAX_MONEY)
    ? { field: 'subtotal', value: subtotal, max: MAX_MONEY }
    : null;
}
