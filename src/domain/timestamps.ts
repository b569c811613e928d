/**
 * Strict ISO 8601 / RFC 3339 parsing. `new Date` rolls impossible dates over ("2026-11-31" becomes
 * December 1st, "T24:00" the next day), so every part is range-checked against the calendar first and
 * only a date-time that exists is turned into a Date. Leap seconds (:60) cannot be represented: refused.
 */

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

export interface IsoParseOptions {
  /** A date alone ("2026-01-31") is refused. */
  requireTime?: boolean;
  /** A time without a zone is refused; otherwise it is read as UTC. */
  requireZone?: boolean;
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The instant `text` names, or null when it is not an ISO 8601 date(-time) that exists on the calendar. */
export function parseIsoDateTime(text: string, options: IsoParseOptions = {}): Date | null {
  const match = ISO_8601.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, zone, zh, zm] = match;
  const hasTime = h !== undefined;
  if (options.requireTime && !hasTime) return null;
  if (hasTime && options.requireZone && zone === undefined) return null;
  const [year, month, day, hour, minute, second, zoneHours, zoneMinutes] = [y, mo, d, h, mi, s, zh, zm].map(
    (part) => (part === undefined ? 0 : Number(part)),
  );
  const real =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    zoneHours <= 23 &&
    zoneMinutes <= 59;
  if (!real) return null;
  // A date alone, or a time with its zone, is read as written; a time without a zone as UTC.
  const date = new Date(hasTime && zone === undefined ? `${text}Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
}
