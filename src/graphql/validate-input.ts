import { validate, type ValidationError } from 'class-validator';
import type { ValidatorFn } from 'type-graphql';
import { badInput } from '../domain/errors';

function firstViolation(
  errors: ValidationError[],
  prefix: string,
): { field: string; message: string } | null {
  for (const error of errors) {
    const path = `${prefix}.${error.property}`;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length) return { field: path, message: messages[0] };
    const nested = firstViolation(error.children ?? [], path);
    if (nested) return nested;
  }
  return null;
}

/**
 * An argument validator that runs the class-validator rules of an input class and reports the first
 * violation as BAD_USER_INPUT with the full path from the argument, e.g. `input.entries.2.rate`.
 * (type-graphql's own validation does not know the argument's name, so its paths would lack `input.`.)
 *
 *   @Arg('input', () => CreateMeterInput, { validateFn: validateArg('input') })
 */
export function validateArg(argName: string): ValidatorFn {
  return async (value) => {
    const items = Array.isArray(value) ? value : [value];
    for (const [i, item] of items.entries()) {
      if (item === null || typeof item !== 'object') continue;
      const errors = await validate(item as object, {
        skipMissingProperties: true,
        forbidUnknownValues: false,
      });
      const violation = firstViolation(errors, Array.isArray(value) ? `${argName}.${i}` : argName);
      if (violation) throw badInput(violation.field, violation.message);
    }
  };
}
