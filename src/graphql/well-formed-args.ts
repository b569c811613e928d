import type { MiddlewareFn } from 'type-graphql';
import { badInput } from '../domain/errors';
import { findIllFormedText } from '../domain/unicode';
import type { GraphQLContext } from './context';

/**
 * Fields whose arguments are checked item by item by their service, so one bad item is answered on its
 * own instead of failing the whole operation (each usage event is answered INVALID_UNICODE by index).
 */
const CHECKED_PER_ITEM = new Set(['Mutation.ingestEvents']);

/**
 * Refuses any argument holding a string that is not well-formed UTF-16 (a lone surrogate, which the
 * database would store as U+FFFD), whether it came as a literal or a variable: BAD_USER_INPUT naming the
 * argument path, e.g. `input.idempotencyKey`. Runs on every field with arguments, before its resolver.
 */
export const WellFormedArgs: MiddlewareFn<GraphQLContext> = async ({ args, info }, next) => {
  if (!CHECKED_PER_ITEM.has(`${info.parentType.name}.${info.fieldName}`)) {
    for (const [name, value] of Object.entries(args)) {
      const path = findIllFormedText(value, name);
      if (path) throw badInput(path, 'must be well-formed Unicode text (it holds a lone surrogate)');
    }
  }
  return next();
};
