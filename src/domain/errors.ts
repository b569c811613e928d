/**
 * The error codes every interface speaks. GraphQL errors carry the code in `extensions.code`;
 * REST answers carry it in `error.code`. `field` names the offending input path for BAD_USER_INPUT.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  INTERNAL_SERVER_ERROR: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Dotted input path, e.g. `input.entries.2.rate`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

export const badInput = (field: string, message: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field);
/** `what` names the kind of record (e.g. 'Customer'); `field`, when given, the input that referenced it. */
export const notFound = (what: string, id: string, field?: string) =>
  new AppError(ErrorCode.NOT_FOUND, `${what} ${id} not found`, field);
export const conflict = (message: string, field?: string) => new AppError(ErrorCode.CONFLICT, message, field);
/** `field`, when given, names the input the caller may not use. */
export const forbidden = (message = 'Not allowed for this caller', field?: string) =>
  new AppError(ErrorCode.FORBIDDEN, message, field);
export const unauthenticated = (message = 'A valid API key is required') =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);
