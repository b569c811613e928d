import { GraphQLError, GraphQLScalarType } from 'graphql';
import { AMOUNT_SCALE, type Decimal, formatAmount } from '../domain/money';

declare const moneyBrand: unique symbol;

/**
 * An amount already written for the wire with its currency's digits. Branded so a bare Decimal or string
 * cannot reach a Money field: the scalar alone does not know the currency, the object holding the field does.
 */
export type Money = string & { readonly [moneyBrand]: true };

/** A tiny negative rounds to "-0.00"; nobody owes minus nothing. */
function unsignedZero(text: string): string {
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

/** Money with exactly the currency's minor digits: "21.35", "10.00", "0.00"; JPY "1500". */
export function money(amount: Decimal, currency: string): Money {
  return unsignedZero(formatAmount(amount, currency)) as Money;
}

/** An unrounded amount with its full stored precision, always AMOUNT_SCALE (12) decimal places. */
export function preciseMoney(amount: Decimal): Money {
  return unsignedZero(amount.toFixed(AMOUNT_SCALE)) as Money;
}

const FIXED_POINT = /^-?\d+(\.\d+)?$/;

/**
 * Output-only: amounts in inputs stay `Decimal` (a caller's "10" or "10.5" is as good as "10.00"), while every
 * amount Tally returns is formatted by `money()` with the currency of its invoice, balance, grant or payment.
 */
export const MoneyScalar = new GraphQLScalarType<Money, string>({
  name: 'Money',
  description:
    'A money amount as a string with exactly the minor-unit digits of its currency, e.g. "21.35", "10.00", ' +
    '"0.00" for USD and "1500" for JPY (never a float, never exponent notation). The currency is the ' +
    "`currency` field of the object holding the amount (an invoice line: its invoice's). Unrounded amounts " +
    '(InvoiceLine.preciseAmount) are the one exception and say so: always 12 decimal places.',
  serialize: (value) => {
    // A Decimal here is a resolver that skipped money(): fail loudly rather than guess the digits.
    if (typeof value !== 'string' || !FIXED_POINT.test(value))
      throw new Error(`Money must be formatted with its currency by money(); got ${String(value)}`);
    return value;
  },
  parseValue: () => {
    throw new GraphQLError('Money is an output type; amounts in inputs are Decimal strings', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  },
  parseLiteral: () => {
    throw new GraphQLError('Money is an output type; amounts in inputs are Decimal strings', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  },
});
