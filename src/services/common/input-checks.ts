import { badInput } from '../../domain/errors';
import { Decimal, QUANTITY_SCALE, RATE_SCALE } from '../../domain/money';

/**
 * Small checks the catalog and customer services share. Each throws BAD_USER_INPUT naming `field`,
 * so a service reads as a list of rules. Services re-check everything the GraphQL inputs check:
 * they are also called by the demo loader, connectors and workers.
 */

/** Trims and checks a required text; returns the trimmed text. */
export function requiredText(value: string | null | undefined, field: string, max: number): string {
  const text = (value ?? '').trim();
  if (!text) throw badInput(field, 'must not be empty');
  if (text.length > max) throw badInput(field, `must be at most ${max} characters`);
  return text;
}

/** Trims an optional text; empty becomes null. */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  const text = (value ?? '').trim();
  if (!text) return null;
  if (text.length > max) throw badInput(field, `must be at most ${max} characters`);
  return text;
}

export interface DecimalRule {
  /** `zero`: >= 0; `positive`: > 0. */
  min: 'zero' | 'positive';
  /** Digits allowed after the decimal point (the column's scale). */
  scale: number;
  /** Digits allowed before the decimal point (precision - scale). */
  integerDigits: number;
}

/** Rates and amounts: DECIMAL(30,12). */
export const RATE_RULE: DecimalRule = { min: 'zero', scale: RATE_SCALE, integerDigits: 18 };
/** Quantities and unit sizes: DECIMAL(38,9). */
export const POSITIVE_QUANTITY_RULE: DecimalRule = {
  min: 'positive',
  scale: QUANTITY_SCALE,
  integerDigits: 29,
};

/** Checks a decimal fits its column and sign rule; never rounds silently. */
export function checkDecimal(value: Decimal | null | undefined, field: string, rule: DecimalRule): Decimal {
  if (value === null || value === undefined) throw badInput(field, 'is required');
  const decimal = new Decimal(value);
  if (!decimal.isFinite()) throw badInput(field, 'must be a finite number');
  if (rule.min === 'zero' && decimal.isNegative() && !decimal.isZero()) {
    throw badInput(field, 'must be zero or more');
  }
  if (rule.min === 'positive' && !decimal.greaterThan(0)) throw badInput(field, 'must be greater than zero');
  if (decimal.decimalPlaces() > rule.scale) {
    throw badInput(field, `must have at most ${rule.scale} decimal places`);
  }
  if (decimal.abs().trunc().toFixed().length > rule.integerDigits) {
    throw badInput(field, `must have at most ${rule.integerDigits} digits before the decimal point`);
  }
  return decimal;
}

/** MySQL's ER_DUP_ENTRY: a unique key refused the row (a concurrent insert won the race). */
export function isDuplicateKeyError(error: unknown, keyName?: string): boolean {
  const e = error as { errno?: number; message?: string; driverError?: { errno?: number; message?: string } };
  const errno = e?.errno ?? e?.driverError?.errno;
  if (errno !== 1062) return false;
  const message = e?.message ?? e?.driverError?.message ?? '';
  return keyName === undefined || message.includes(keyName);
}
