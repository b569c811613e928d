/**
 * How Tally reacts to a Salesforce failure. Every failure lands in exactly one kind:
 * - TRANSIENT: try again later with exponential backoff and jitter (5xx, network, row locks).
 * - RATE_LIMITED: the org's API limits are exhausted; the whole connection pauses.
 * - AUTH_BROKEN: the refresh token no longer works (or refreshing loops); the connection stops and is reported.
 * - PERMANENT: the data or the configuration is wrong; the record goes to the dead letters with the message.
 */
export type SalesforceErrorKind = 'TRANSIENT' | 'RATE_LIMITED' | 'AUTH_BROKEN' | 'PERMANENT';

export class SalesforceError extends Error {
  constructor(
    readonly kind: SalesforceErrorKind,
    /** Salesforce's errorCode / statusCode, an OAuth error, a network code, or HTTP_<status>. */
    readonly code: string,
    message: string,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
    this.name = 'SalesforceError';
  }

  /** The call that failed (`GET /query?q=…`), so a report can say which request Salesforce refused. */
  request: string | null = null;
}

/** Network failures node-fetch reports with these codes are worth another try. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'ETIMEDOUT',
  'EPIPE',
]);

const TRANSIENT_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'REQUEST_RUNNING_TOO_LONG',
  'QUERY_TIMEOUT',
  // A row rolled back because another row of an all-or-none call failed: it was never judged on its own.
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
]);

const AUTH_CODES = new Set(['invalid_grant', 'invalid_client', 'invalid_client_id', 'unauthorized_client']);

/**
 * Classifies a whole-request failure (HTTP status and Salesforce's errorCode). Codes win over statuses
 * because Salesforce reuses 400/403 for very different things.
 */
export function classifyRequestFailure(httpStatus: number | null, code: string | null): SalesforceErrorKind {
  if (code && NETWORK_CODES.has(code)) return 'TRANSIENT';
  if (code === 'REQUEST_LIMIT_EXCEEDED') return 'RATE_LIMITED';
  if (code && AUTH_CODES.has(code)) return 'AUTH_BROKEN';
  if (code === 'INVALID_SESSION_ID' || httpStatus === 401) return 'AUTH_BROKEN';
  if (code && TRANSIENT_CODES.has(code)) return 'TRANSIENT';
  if (httpStatus === null) return code ? 'PERMANENT' : 'TRANSIENT';
  if (httpStatus >= 500 || httpStatus === 429 || httpStatus === 420 || httpStatus === 408) return 'TRANSIENT';
  // 300 (several records share an external id), 400 (malformed, invalid field), 404 (deleted) and the rest.
  return 'PERMANENT';
}

/** Classifies one row's error in an sObject Collections result (`errors[].statusCode`). */
export function classifyRowErrors(errors: Array<{ statusCode?: string; message?: string }>): {
  kind: SalesforceErrorKind;
  code: string;
  message: string;
} {
  const first = errors[0] ?? {
    statusCode: 'UNKNOWN_ERROR',
    message: 'Salesforce reported a failure without details',
  };
  const code = first.statusCode ?? 'UNKNOWN_ERROR';
  const message = errors.map((e) => `${e.statusCode ?? 'ERROR'}: ${e.message ?? ''}`.trim()).join('; ');
  if (TRANSIENT_CODES.has(code)) return { kind: 'TRANSIENT', code, message };
  if (code === 'REQUEST_LIMIT_EXCEEDED') return { kind: 'RATE_LIMITED', code, message };
  // DUPLICATE_VALUE, DUPLICATE_EXTERNAL_ID, INVALID_FIELD, FIELD_CUSTOM_VALIDATION_EXCEPTION,
  // REQUIRED_FIELD_MISSING, INVALID_CROSS_REFERENCE_KEY, ENTITY_IS_DELETED and anything unknown:
  // retrying the same data cannot help, so a person must look at it.
  return { kind: 'PERMANENT', code, message };
}

/** Error bodies Salesforce sends: `[{ message, errorCode }]`, an OAuth `{ error, error_description }`, or text. */
export function parseErrorBody(body: unknown): { code: string | null; message: string | null } {
  const first = Array.isArray(body) ? body[0] : body;
  if (first && typeof first === 'object') {
    const record = first as Record<string, unknown>;
    if (typeof record.errorCode === 'string')
      return { code: record.errorCode, message: String(record.message ?? '') };
    if (typeof record.error === 'string')
      return { code: record.error, message: String(record.error_description ?? record.error) };
  }
  return { code: null, message: typeof body === 'string' ? body.slice(0, 500) : null };
}

/** How long a REQUEST_LIMIT_EXCEEDED pauses the connection: the concurrent-request limit clears fast, the daily one does not. */
export function rateLimitPauseMs(message: string): number {
  return /concurrent/i.test(message) ? 60_000 : 60 * 60_000;
}

/** Exponential backoff with full jitter in [base·2^(n-1)/2, base·2^(n-1)], capped. */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
