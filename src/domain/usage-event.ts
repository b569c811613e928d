/**
 * Usage events: the pure rules an incoming event must pass, and what a meter reads from a stored one
 * (its aggregated value, its dimension key, its hour). No I/O here; the ingestion service and the
 * aggregator both use it so they agree.
 */
import { canonicalDimensionKey, MAX_CANONICAL_KEY_LENGTH, MAX_DIMENSION_VALUE_LENGTH } from './dimensions';
import { Decimal, parseDecimal, QUANTITY_SCALE } from './money';
import { parseIsoDateTime } from './timestamps';
import { isWellFormed } from './unicode';

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
  /** A SUM meter that is not declared `allowNegative` got a value below zero. */
  NEGATIVE_VALUE: 'NEGATIVE_VALUE',
  /** The aggregated value is beyond MAX_EVENT_VALUE in magnitude: it could not be billed. */
  VALUE_OUT_OF_RANGE: 'VALUE_OUT_OF_RANGE',
  /** A group-key value longer than MAX_DIMENSION_VALUE_LENGTH. */
  DIMENSION_VALUE_TOO_LONG: 'DIMENSION_VALUE_TOO_LONG',
  /** The meter's whole dimension key (every group-key value) is longer than MAX_CANONICAL_KEY_LENGTH. */
  DIMENSION_KEY_TOO_LONG: 'DIMENSION_KEY_TOO_LONG',
  /** Objects and arrays nested deeper than MAX_PROPERTIES_DEPTH. */
  PROPERTIES_TOO_DEEP: 'PROPERTIES_TOO_DEEP',
  /** More than MAX_PROPERTIES_ENTRIES keys and array items in all. */
  TOO_MANY_PROPERTIES: 'TOO_MANY_PROPERTIES',
  /** A string that is not well-formed UTF-16 (a lone surrogate): the database would store U+FFFD instead. */
  INVALID_UNICODE: 'INVALID_UNICODE',
  /** The database refused the row for another reason than a duplicate key; nothing was stored. */
  NOT_STORABLE: 'NOT_STORABLE',
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
  /** The group keys, whose values become the stored dimension key. */
  groupKeys: readonly string[];
  /** A SUM meter declared signed accepts negative values (corrections); all others refuse them. */
  allowNegative: boolean;
}

export const MAX_BATCH_SIZE = 1000;
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** Column sizes in usage_events; INSERT IGNORE would silently truncate longer values, so they are rejected. */
export const MAX_EVENT_NAME_LENGTH = 200;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
export const MAX_CUSTOMER_REF_LENGTH = 200;
export const MAX_PROPERTIES_BYTES = 32 * 1024;
/**
 * Nesting of `properties` (the object itself is level 1). The database's JSON check refuses 32 levels;
 * 8 is plenty for event data and keeps every accepted document far from that limit.
 */
export const MAX_PROPERTIES_DEPTH = 8;
/** Keys and array items of `properties`, counted at every level. */
export const MAX_PROPERTIES_ENTRIES = 1000;
/**
 * The largest magnitude of a value a meter aggregates, checked at ingestion. Rounded invoice money is
 * DECIMAL(20,4), below 1e16: capping an event one digit lower keeps a single event billable at any rate up
 * to 10 per unit. Whatever still overflows (many events, a higher rate) is refused at finalization with a
 * coded error naming the figure (see domain/column-bounds.ts), never by the database.
 */
export const MAX_EVENT_VALUE = 1e15;
/**
 * What the aggregator reads as a number. DECIMAL(38,9) holds 29 integer digits; a bound well inside keeps
 * sums of many events representable. Wider than MAX_EVENT_VALUE so events stored before that bound still
 * aggregate as they did.
 */
const MAX_ABS_EXPONENT = 20;
const MAX_ABS_NUMBER = 1e20;
/** The dimension value of a group key the event does not carry: it prices at the fallback rate. */
export const MISSING_DIMENSION_VALUE = 'none';

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
  if (!isWellFormed(value)) {
    return reject(
      EventRejectionCode.INVALID_UNICODE,
      field,
      `${field} contains a lone surrogate (not well-formed UTF-16)`,
    );
  }
  if (value.length > maxLength) {
    return reject(
      EventRejectionCode.FIELD_TOO_LONG,
      field,
      `${field} must be at most ${maxLength} characters`,
    );
  }
  return { ok: true, value };
}

/**
 * Parses the optional RFC 3339 timestamp (with a zone); absent means "now". Strict: a date-time that does
 * not exist on the calendar ("2026-11-31", "T24:00") is refused, never rolled over.
 */
function checkTimestamp(value: unknown, now: Date): Checked<Date> {
  if (value === undefined || value === null || value === '') return { ok: true, value: now };
  const date =
    typeof value === 'string' ? parseIsoDateTime(value, { requireTime: true, requireZone: true }) : null;
  if (!date) {
    return reject(
      EventRejectionCode.INVALID_TIMESTAMP,
      'timestamp',
      `timestamp must be a real ISO 8601 date-time with a zone, e.g. "2026-01-31T12:00:00Z"; got ${JSON.stringify(value)}`,
    );
  }
  return { ok: true, value: date };
}

/**
 * Walks `properties` once: nesting depth, number of entries, and every key and string well-formed.
 * Everything accepted here is a document the database's JSON check accepts.
 */
function checkPropertiesShape(properties: object): Rejected | null {
  let entries = 0;
  const walk = (value: unknown, depth: number, field: EventRejection['field']): Rejected | null => {
    if (typeof value === 'string') {
      return isWellFormed(value)
        ? null
        : reject('INVALID_UNICODE', field, `${field} contains a lone surrogate (not well-formed UTF-16)`);
    }
    if (value === null || typeof value !== 'object') return null;
    if (depth > MAX_PROPERTIES_DEPTH) {
      return reject(
        'PROPERTIES_TOO_DEEP',
        'properties',
        `properties must be nested at most ${MAX_PROPERTIES_DEPTH} levels deep`,
      );
    }
    for (const [key, child] of Object.entries(value)) {
      if (++entries > MAX_PROPERTIES_ENTRIES) {
        return reject(
          'TOO_MANY_PROPERTIES',
          'properties',
          `properties must hold at most ${MAX_PROPERTIES_ENTRIES} keys and array items in all`,
        );
      }
      if (!isWellFormed(key)) {
        return reject('INVALID_UNICODE', 'properties', 'a property name contains a lone surrogate');
      }
      // Only a top-level property is named in the answer; deeper ones are reported as `properties`.
      const rejected = walk(child, depth + 1, depth === 1 ? `properties.${key}` : field);
      if (rejected) return rejected;
    }
    return null;
  };
  return walk(properties, 1, 'properties');
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
  const shape = checkPropertiesShape(properties);
  if (shape) return shape;
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

/**
 * Checks that an event can be aggregated and billed by a meter on its event name: the property it
 * aggregates (nothing for COUNT) and the dimension key its group keys make.
 */
export function checkAgainstMeter(
  properties: Readonly<Record<string, unknown>>,
  meter: MeterRule,
): EventRejection | null {
  return checkAggregationProperty(properties, meter) ?? checkDimensionKey(properties, meter);
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
  const number = isNumericValue(value) ? numericValue(value) : null;
  if (number === null) {
    return {
      code: 'INVALID_AGGREGATION_VALUE',
      field,
      message: `properties.${key} must be a finite number or a decimal string such as "12.5", got ${JSON.stringify(value) ?? String(value)}`,
    };
  }
  if (number.abs().greaterThan(MAX_EVENT_VALUE)) {
    return {
      code: 'VALUE_OUT_OF_RANGE',
      field,
      message: `properties.${key} must be at most ${MAX_EVENT_VALUE} in magnitude`,
    };
  }
  if (meter.aggregation === 'SUM' && !meter.allowNegative && number.isNegative() && !number.isZero()) {
    return {
      code: 'NEGATIVE_VALUE',
      field,
      message: `properties.${key} must not be negative: meter ${meter.code} does not allow negative values`,
    };
  }
  return null;
}

/**
 * Checks the dimension key the meter's group keys make of an event: each value at most
 * MAX_DIMENSION_VALUE_LENGTH characters, the whole canonical key at most MAX_CANONICAL_KEY_LENGTH (the
 * stored column). A longer one could not be aggregated.
 */
function checkDimensionKey(
  properties: Readonly<Record<string, unknown>>,
  meter: MeterRule,
): EventRejection | null {
  if (!meter.groupKeys.length) return null;
  const dimensions = eventDimensions(meter.groupKeys, properties);
  for (const key of meter.groupKeys) {
    if (dimensions[key].length > MAX_DIMENSION_VALUE_LENGTH) {
      return {
        code: 'DIMENSION_VALUE_TOO_LONG',
        field: `properties.${key}`,
        message: `properties.${key} must be at most ${MAX_DIMENSION_VALUE_LENGTH} characters: meter ${meter.code} groups by it`,
      };
    }
  }
  if (canonicalDimensionKey(dimensions).length > MAX_CANONICAL_KEY_LENGTH) {
    return {
      code: 'DIMENSION_KEY_TOO_LONG',
      field: 'properties',
      message: `the values of ${meter.groupKeys.join(', ')} (meter ${meter.code}) must be at most ${MAX_CANONICAL_KEY_LENGTH} characters in all`,
    };
  }
  return null;
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
