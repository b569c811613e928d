import { badInput } from '../../domain/errors';
import { Decimal } from '../../domain/money';
import { optionalText } from '../common';

/**
 * Input rules shared by every way of granting credits. Each throws BAD_USER_INPUT naming the field,
 * before anything is written.
 */

/** 10^15 cents = $10 trillion: far above any real grant, and every value stays exact in DECIMAL(20,4). */
export const MAX_CREDIT_CENTS = new Decimal('1e15');

/** Cents as callers send them: a GraphQL Decimal, a JSON number, or a string of digits. */
export type CentsInput = Decimal | number | string | bigint;

/** A positive whole number of minor units. */
export function checkCents(value: CentsInput | null | undefined, field: string): Decimal {
  if (value === null || value === undefined) throw badInput(field, 'is required');
  let cents: Decimal;
  try {
    cents = new Decimal(typeof value === 'bigint' ? value.toString() : value);
  } catch {
    throw badInput(field, 'must be a whole number of cents');
  }
  if (!cents.isFinite() || !cents.isInteger()) throw badInput(field, 'must be a whole number of cents');
  if (!cents.gt(0)) throw badInput(field, 'must be greater than zero');
  if (cents.gt(MAX_CREDIT_CENTS)) throw badInput(field, `must be at most ${MAX_CREDIT_CENTS.toFixed()}`);
  return cents;
}

/** Optional variant: null/undefined stays null. */
export function checkOptionalCents(value: CentsInput | null | undefined, field: string): Decimal | null {
  return value === null || value === undefined ? null : checkCents(value, field);
}

/** The expiry must be a real instant after the grant becomes available; null means "never expires". */
export function checkExpiry(value: Date | null | undefined, availableFrom: Date, field: string): Date | null {
  if (value === null || value === undefined) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(field, 'must be a date-time');
  if (value.getTime() <= availableFrom.getTime()) {
    throw badInput(
      field,
      `must be after the credits become available (${availableFrom.toISOString()}); got ${value.toISOString()}`,
    );
  }
  return value;
}

export function checkDescription(value: string | null | undefined, field: string, fallback: string): string {
  return optionalText(value, field, 500) ?? fallback;
}

export function checkIdempotencyKey(value: string | null | undefined, field: string): string | null {
  return optionalText(value, field, 200);
}
