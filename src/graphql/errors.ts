import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { AppError } from '../domain/errors';
import type { Logger } from '../logger';

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

/** Flattens class-validator errors into the first offending path and its message. */
function firstViolation(
  errors: ValidationErrorLike[],
  prefix: string,
): { field: string; message: string } | null {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints && Object.keys(error.constraints).length) {
      return { field: path, message: Object.values(error.constraints)[0] };
    }
    const nested = firstViolation(error.children ?? [], path);
    if (nested) return nested;
  }
  return null;
}

/** graphql-js hints such as ` Did you mean "meters"?`, which spell out the schema to whoever guesses. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * Gives every error a stable `extensions.code`: AppErrors keep theirs (with `field` for bad input),
 * class-validator failures become BAD_USER_INPUT naming the field, and anything unexpected is logged
 * and reported as INTERNAL_SERVER_ERROR without internals. With `hideSuggestions` (production),
 * "Did you mean …" hints are removed from messages.
 */
export function createErrorFormatter(log: Logger, options: { hideSuggestions?: boolean } = {}) {
  const format = formatError(log);
  if (!options.hideSuggestions) return format;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    const message = result.message.replace(SUGGESTION, '');
    return message === result.message ? result : { ...result, message };
  };
}

function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AppError) {
      return {
        ...formatted,
        message: original.message,
        extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
      };
    }
    if (original instanceof ArgumentValidationError) {
      const violation = firstViolation(original.extensions.validationErrors as ValidationErrorLike[], '');
      return {
        ...formatted,
        message: violation ? `${violation.field}: ${violation.message}` : 'Invalid input',
        extensions: { code: 'BAD_USER_INPUT', field: violation?.field },
      };
    }
    const code = formatted.extensions?.code;
    if (code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
    log.error({ err: original }, 'unexpected error in GraphQL operation');
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
