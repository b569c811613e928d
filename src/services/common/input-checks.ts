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

/**
 * Credit amounts in major units (drafts' prepaid credits): at most 3 decimal places (the finest minor unit
 * of any currency) and 12 integer digits, so the amount in minor units stays within the 10^15 cents a grant
 * may hold (999,999,999,999.999 × 1000 < 10^15).
 */
export const CREDIT_AMOUNT_RULE: DecimalRule = { min: 'positive', scale: 3, integerDigits: 12 };

/**
 * What is wrong with `decimal` under `rule`, or null when it fits. Reads the exponent instead of writing the
 * digits out, so `1e400000000` costs no more to refuse than `1e400`.
 */
export function decimalRuleViolation(decimal: Decimal, rule: DecimalRule): string | null {
  if (!decimal.isFinite()) return 'must be a finite number';
  if (rule.min === 'zero' && decimal.isNegative() && !decimal.isZero()) return 'must be zero or more';
  if (rule.min === 'positive' && !decimal.greaterThan(0)) return 'must be greater than zero';
  if (decimal.decimalPlaces() > rule.scale) return `must have at most ${rule.scale} decimal places`;
  // `e` is the exponent of the leading digit: 123.4 has e = 2, three integer digits.
  if (Math.max(1, decimal.e + 1) > rule.integerDigits) {
    return `must have at most ${rule.integerDigits} digits before the decimal point`;
  }
  return null;
}

/** Checks a decimal fits its column and sign rule; never rounds silently. */
export function checkDecimal(value: Decimal | null | undefined, field: string, rule: DecimalRule): Decimal {
  if (value === null || value === undefined) throw badInput(field, 'is required');
  const decimal = new Decimal(value);
  const violation = decimalRuleViolation(decimal, rule);
  if (violation) throw badInput(field, violation);
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
