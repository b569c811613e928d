import DecimalJs from 'decimal.js';

/**
 * The one decimal.js instance Tally uses for every rate, quantity and amount.
 * 60 significant digits: the defaults (20) lost a cent on long products of small rates.
 * ROUND_HALF_UP is the invoice rounding policy (see README, "Rounding").
 */
export const Decimal = DecimalJs.clone({
  precision: 60,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -60,
  toExpPos: 60,
});
export type Decimal = InstanceType<typeof Decimal>;

/** Scale of DECIMAL columns, kept in one place so migrations and transformers agree. */
export const RATE_SCALE = 12; // DECIMAL(30,12): $0.000002 per token and smaller
export const QUANTITY_SCALE = 9; // DECIMAL(38,9)
export const AMOUNT_SCALE = 12; // unrounded amounts: DECIMAL(30,12)

const MINOR_UNITS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  CLP: 0,
  VND: 0,
  ISK: 0,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

/** Digits after the decimal point of a currency's minor unit (2 for USD, 0 for JPY). */
export function minorUnitDigits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/** Rounds an amount to the currency's minor unit, half up: the single rounding policy for invoice lines. */
export function roundToMinorUnit(amount: Decimal, currency: string): Decimal {
  return amount.toDecimalPlaces(minorUnitDigits(currency), Decimal.ROUND_HALF_UP);
}

/** Fixed-point string for the wire: never exponent notation, trailing zeros trimmed past `minDigits`. */
export function toWire(value: Decimal, minDigits = 0): string {
  const fixed = value.toFixed();
  if (minDigits <= 0) return fixed;
  const [whole, frac = ''] = fixed.split('.');
  return `${whole}.${frac.padEnd(minDigits, '0')}`;
}

/** Money as a string with exactly the currency's minor digits, e.g. "21.35". */
export function formatAmount(value: Decimal, currency: string): string {
  return value.toFixed(minorUnitDigits(currency));
}

/** Converts integer minor units (cents) to a decimal amount. */
export function fromMinorUnits(units: number | bigint | string, currency: string): Decimal {
  return new Decimal(units.toString()).div(new Decimal(10).pow(minorUnitDigits(currency)));
}

/** Converts an amount to integer minor units; the amount must already be rounded. */
export function toMinorUnits(amount: Decimal, currency: string): Decimal {
  return amount.mul(new Decimal(10).pow(minorUnitDigits(currency)));
}

/** Parses a user-supplied decimal string or number; returns null when it is not a finite decimal. */
export function parseDecimal(input: unknown): Decimal | null {
  if (typeof input === 'number') return Number.isFinite(input) ? new Decimal(input.toString()) : null;
  if (typeof input !== 'string') return null;
  const text = input.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  return new Decimal(text);
}

export const ZERO = new Decimal(0);
