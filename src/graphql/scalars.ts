import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { JSONObjectResolver } from 'graphql-scalars';
import { Decimal, parseDecimal } from '../domain/money';
import { parseIsoDateTime } from '../domain/timestamps';

function invalid(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function decimalFrom(value: unknown): Decimal {
  const parsed = parseDecimal(value);
  if (!parsed)
    throw invalid(
      `Decimal must be a decimal number written as a string, e.g. "0.25"; got ${JSON.stringify(value)}`,
    );
  return parsed;
}

/** Significant digits a JS number is exact to: beyond them are binary artefacts (0.1 + 0.2). */
const FLOAT_DIGITS = 15;

/**
 * Exact decimals for rates and quantities: strings on the wire (never floats), decimal.js inside. Money
 * amounts are the Money scalar instead, written with their currency's minor digits.
 */
export const DecimalScalar = new GraphQLScalarType<Decimal, string>({
  name: 'Decimal',
  description:
    'An exact decimal number (a rate or a quantity), serialized as a string with the digits it has, such as ' +
    '"0.000002" or "1.5" (never a float, never exponent notation).',
  serialize: (value) => {
    if (value instanceof Decimal) return value.toFixed();
    if (typeof value === 'number' && Number.isFinite(value))
      return new Decimal(value.toPrecision(FLOAT_DIGITS)).toFixed();
    return decimalFrom(value).toFixed();
  },
  parseValue: decimalFrom,
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT)
      return decimalFrom(ast.value);
    throw invalid('Decimal must be a string such as "0.25"');
  },
});

function dateFrom(value: unknown): Date {
  // Strict: "2026-02-30" or "T24:00" is refused instead of rolled over. A date without a zone is read as
  // UTC: billing periods are computed in UTC.
  const date = typeof value === 'string' ? parseIsoDateTime(value) : null;
  if (!date) {
    throw invalid(
      `DateTime must be a real ISO 8601 date-time such as "2026-01-31T00:00:00Z"; got ${JSON.stringify(value)}`,
    );
  }
  return date;
}

/** ISO 8601 date-times in UTC. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO 8601 date-time, e.g. "2026-01-31T00:00:00.000Z". Times without a zone are UTC.',
  serialize: (value) => (value instanceof Date ? value : dateFrom(value)).toISOString(),
  parseValue: dateFrom,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw invalid('DateTime must be a string');
    return dateFrom(ast.value);
  },
});

/** Dimension maps and other free-form objects, e.g. `{"region": "US"}`. */
export const JSONObjectScalar = JSONObjectResolver;
