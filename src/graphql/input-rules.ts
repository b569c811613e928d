import { ValidateBy } from 'class-validator';
import { checkDimensions } from '../domain/dimensions';
import { Decimal } from '../domain/money';
import { decimalRuleViolation, type DecimalRule } from '../services/common';

/**
 * class-validator rules for input classes that hold values a later step stores in a typed column (drafts
 * keep terms that become a contract only at confirmation). They apply the services' own checks, so a value
 * the contract would refuse is refused where it is typed in, under the input's own field name.
 */

/** A Decimal that fits `rule` (sign, decimal places, digits before the point) as `checkDecimal` checks it. */
export const FitsDecimal = (rule: DecimalRule) =>
  ValidateBy({
    name: 'fitsDecimal',
    validator: {
      validate: (value) => Decimal.isDecimal(value) && decimalRuleViolation(value as Decimal, rule) === null,
      defaultMessage: (args) =>
        Decimal.isDecimal(args?.value)
          ? (decimalRuleViolation(args.value as Decimal, rule) ?? 'is not a valid number')
          : 'must be a decimal number',
    },
  });

/**
 * A map of group-key values: string values of 1–200 characters, at most 500 characters in all. Which keys
 * are allowed depends on the meter, checked when the terms are applied.
 */
export const DimensionValues = () =>
  ValidateBy({
    name: 'dimensionValues',
    validator: {
      validate: (value) => checkDimensions(value, dimensionKeysOf(value)).ok,
      defaultMessage: (args) => {
        const check = checkDimensions(args?.value, dimensionKeysOf(args?.value));
        return check.ok ? 'is not valid' : check.message;
      },
    },
  });

function dimensionKeysOf(value: unknown): string[] {
  return value !== null && typeof value === 'object' ? Object.keys(value) : [];
}
