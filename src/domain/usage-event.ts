/**
 * Usage events: the pure rules an incoming event must pass, and what a meter reads from a stored one
 * (its aggregated value, its dimension key, its hour). No I/O here; the ingestion service and the
 * aggregator both use it so they agree.
 */
import { canonicalDimensionKey } from './dimensions';
import { Decimal, parseDecimal, QUANTITY_SCALE } from './money';

/** Why an event was rejected; stable strings clients can switch on. */
export const EventRejectionCode = {
  INVALID_EVENT: 'INVALID_EVENT',
  MISSING_CUSTOMER_ID: 'MISSING_CUSTOMER_ID',
  MISSING_EVENT_NAME: 'MISSING_EVENT_NAME',
  MISSING_IDEMPOTENCY_KEY: 'MISSING_IDEMPOTENCY_KEY',
  FIELD_TOO_LONG: 'FIELD_TOO_LONG',
  UNKNOWN_CUSTOMER: 'UNKNOWN_CUSTOMER',
  INVALID_PROPERTIES: 'INVALID_PROPERTIES',
  INVALID_TIMESTAMP: 'INVALID_TIMESTAMP',
  TIMESTAMP_IN_FUTURE: 'TIMESTAMP_IN_FUTURE',
  TIMESTAMP_TOO_OLD: 'TIMESTAMP_TOO_OLD',
  PERIOD_CLOSED: 'PERIOD_CLOSED',
  MISSING_AGGREGATION_PROPERTY: 'MISSING_AGGREGATION_PROPERTY',
  INVALID_AGGREGATION_VALUE: 'INVALID_AGGREGATION_VALUE',
} as const;
export type EventRejectionCode = (typeof EventRejectionCode)[keyof typeof EventRejectionCode];

/** Wire names of the event fields (REST and the product docs); GraphQL maps them to camelCase. */
export type EventField =
  'event' | 'customer_id' | 'event_name' | 'idempotency_key' | 'timestamp' | 'properties';

export interface EventRejection {
  code: EventRejectionCode;
  message: string;
  field: EventField | `properties.${string}`;
}

/** An event as a client sent it, fields not yet checked. */
export interface RawUsageEvent {
  customerId?: unknown;
  eventName?: unknown;
  idempotencyKey?: unknown;
  timestamp?: unknown;
  properties?: unknown;
}

/** An event whose own fields are valid; the customer reference is not resolved yet. */
export interface CheckedUsageEvent {
  customerRef: string;
  eventName: string;
  idempotencyKey: string;
  occurredAt: Date;
  properties: Record<string, unknown>;
  /** `properties` as stored (JSON text), computed once. */
  propertiesJson: string;
}

/** What a meter needs from an event: enough to check its aggregation property at ingestion. */
export type MeterAggregation = 'SUM' | 'COUNT' | 'MAX' | 'UNIQUE_COUNT' | 'LATEST';

export interface MeterRule {
  code: string;
  aggregation: MeterAggregation;
  aggregationKey: string | null;
}

export const MAX_BATCH_SIZE = 1000;
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** Column sizes in usage_events; INSERT IGNORE would silently truncate longer values, so they are rejected. */
export const MAX_EVENT_NAME_LENGTH = 200;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
export const MAX_CUSTOMER_REF_LENGTH = 200;
export const MAX_PROPERTIES_BYTES = 32 * 1024;
/** DECIMAL(38,9) holds 29 integer digits; a bound well inside keeps sums of many events representable. */
const MAX_ABS_EXPONENT = 20;
const MAX_ABS_NUMBER = 1e20;
/** The dimension value of a group key the event does not carry: it prices at the fallback rate. */
export const MISSING_DIMENSION_VALUE = 'none';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

type Rejected = { ok: false; rejection: EventRejection };
type Checked<T> = { ok: true; value: T } | Rejected;
const reject = (code: EventRejectionCode, field: EventRejection['field'], message: string): Rejected => ({
  ok: false,
  rejection: { code, field, message },
});

function requiredText(
  value: unknown,
  field: EventField,
  missing: EventRejectionCode,
  maxLength: number,
): Checked<string> {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return reject(missing, field, `${field} is required`);
  }
  if (typeof value !== 'string') return reject(missing, field, `${field} must be a non-empty string`);
  if (value.length > maxLength) {
    return reject(
      EventRejectionCode.FIELD_TOO_LONG,
      field,
      `${field} must be at most ${maxLength} characters`,
    );
  }
  return { ok: true, value };
}

/** Parses the optional ISO 8601 timestamp (with a zone); absent means "now". */
function checkTimestamp(value: unknown, now: Date): Checked<Date> {
  if (value === undefined || value === null || value === '') return { ok: true, value: now };
  if (typeof value !== 'string' || !ISO_8601.test(value)) {
    return reject(
      EventRejectionCode.INVALID_TIMESTAMP,
      'timestamp',
      'timestamp must be an ISO 8601 date-time with a zone, e.g. "2026-01-31T12:00:00Z"',
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return reject(EventRejectionCode.INVALID_TIMESTAMP, 'timestamp', `timestamp ${value} is not a real date`);
  }
  return { ok: true, value: date };
}

/**
 * Checks the fields of one event that need nothing but the event, the clock and the grace window:
 * required fields, properties, and the timestamp window [now - graceDays, now + 5 min].
 */
export function checkUsageEvent(
  raw: unknown,
  now: Date,
  graceDays: number,
): { ok: true; event: CheckedUsageEvent } | Rejected {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return reject('INVALID_EVENT', 'event', 'each event must be an object');
  }
  const input = raw as RawUsageEvent;
  const eventName = requiredText(input.eventName, 'event_name', 'MISSING_EVENT_NAME', MAX_EVENT_NAME_LENGTH);
  if (!eventName.ok) return eventName;
  const key = requiredText(
    input.idempotencyKey,
    'idempotency_key',
    'MISSING_IDEMPOTENCY_KEY',
    MAX_IDEMPOTENCY_KEY_LENGTH,
  );
  if (!key.ok) return key;
  const customer = requiredText(
    input.customerId,
    'customer_id',
    'MISSING_CUSTOMER_ID',
    MAX_CUSTOMER_REF_LENGTH,
  );
  if (!customer.ok) return customer;

  const properties = input.properties ?? {};
  if (typeof properties !== 'object' || Array.isArray(properties)) {
    return reject('INVALID_PROPERTIES', 'properties', 'properties must be a JSON object');
  }
  const propertiesJson = JSON.stringify(properties);
  if (Buffer.byteLength(propertiesJson) > MAX_PROPERTIES_BYTES) {
    return reject(
      'INVALID_PROPERTIES',
      'properties',
      `properties must be at most ${MAX_PROPERTIES_BYTES} bytes`,
    );
  }

  const timestamp = checkTimestamp(input.timestamp, now);
  if (!timestamp.ok) return timestamp;
  const occurredAt = timestamp.value;
  if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
    return reject('TIMESTAMP_IN_FUTURE', 'timestamp', 'timestamp is more than 5 minutes in the future');
  }
  if (occurredAt.getTime() < now.getTime() - graceDays * DAY_MS) {
    return reject(
      'TIMESTAMP_TOO_OLD',
      'timestamp',
      `timestamp is older than the ${graceDays}-day grace window for late events`,
    );
  }
  return {
    ok: true,
    event: {
      customerRef: customer.value,
      eventName: eventName.value,
      idempotencyKey: key.value,
      occurredAt,
      properties: properties as Record<string, unknown>,
      propertiesJson,
    },
  };
}

/**
 * The number a SUM/MAX/LATEST meter reads from a property: a finite JSON number or a decimal string
 * ("12.5"), rounded to the quantity scale. Booleans, NaN, Infinity and other strings are not numbers.
 */
export function numericValue(value: unknown): Decimal | null {
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  const parsed = parseDecimal(value);
  // `e` is the exponent of the leading digit: |x| >= 1e20 exactly when e >= 20 (for x != 0). Checked and
  // rounded without allocating: the aggregator calls this for every event it rolls up.
  if (!parsed || (!parsed.isZero() && parsed.e >= MAX_ABS_EXPONENT)) return null;
  return parsed.decimalPlaces() > QUANTITY_SCALE
    ? parsed.toDecimalPlaces(QUANTITY_SCALE, Decimal.ROUND_HALF_UP)
    : parsed;
}

/**
 * `numericValue(value) !== null`, without building a Decimal for a JSON number (ingestion checks every
 * event's aggregated property): a finite number below 1e20 in magnitude. 1e20 is exact in binary, and a
 * number's shortest decimal form lies on the same side of it, so this agrees with `numericValue`.
 */
export function isNumericValue(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) < MAX_ABS_NUMBER;
  return numericValue(value) !== null;
}

/** The text a UNIQUE_COUNT meter counts distinct values of (7 and "7" are the same value); null if absent. */
export function distinctValueText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Checks that an event carries what a meter on its event name aggregates (nothing for COUNT). */
export function checkAggregationProperty(
  properties: Readonly<Record<string, unknown>>,
  meter: MeterRule,
): EventRejection | null {
  if (meter.aggregation === 'COUNT' || !meter.aggregationKey) return null;
  const key = meter.aggregationKey;
  const field = `properties.${key}` as const;
  const value = properties[key];
  if (value === undefined || value === null) {
    return {
      code: 'MISSING_AGGREGATION_PROPERTY',
      field,
      message: `properties.${key} is required: meter ${meter.code} aggregates it (${meter.aggregation})`,
    };
  }
  if (meter.aggregation === 'UNIQUE_COUNT') {
    return distinctValueText(value) === null
      ? { code: 'INVALID_AGGREGATION_VALUE', field, message: `properties.${key} must not be empty` }
      : null;
  }
  return isNumericValue(value)
    ? null
    : {
        code: 'INVALID_AGGREGATION_VALUE',
        field,
        message: `properties.${key} must be a finite number or a decimal string such as "12.5", got ${JSON.stringify(value) ?? String(value)}`,
      };
}

/** The meter's dimension values of an event, a missing (or non-scalar) group key valued "none". */
export function eventDimensions(
  groupKeys: readonly string[],
  properties: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of groupKeys) {
    const value = properties[key];
    if (typeof value === 'string' && value !== '') values[key] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) values[key] = String(value);
    else if (typeof value === 'boolean') values[key] = String(value);
    else values[key] = MISSING_DIMENSION_VALUE;
  }
  return values;
}

export function eventDimensionKey(
  groupKeys: readonly string[],
  properties: Readonly<Record<string, unknown>>,
) {
  return canonicalDimensionKey(eventDimensions(groupKeys, properties));
}

/** Start of the UTC hour holding `at`: the aggregation bucket. */
export function hourBucket(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

export function isWholeHour(at: Date): boolean {
  return at.getTime() % HOUR_MS === 0;
}
