/**
 * Billing periods, in UTC.
 *
 * Decisions:
 * - All calendar arithmetic is UTC; a "date" is a `Date` at 00:00:00.000Z. Time of day on contract dates is
 *   ignored (truncated to the UTC day), so `2026-12-31T23:59:59Z` and `2026-12-31T00:00Z` mean the same day.
 * - A contract's `endDate` is INCLUSIVE on input: a contract "Jan 1 – Dec 31" covers Dec 31. Internally we
 *   use the exclusive instant `endDate + 1 day` (see {@link contractEndExclusive}); every period returned
 *   here is a half-open interval `[start, end)`.
 * - WEEKLY periods are 7 UTC days each from the start date (a week has no month end to clamp to).
 * - The other cycles (monthly, quarterly, semiannual = 6 months, annual) follow the contract's start date
 *   with anchor-day semantics: period k starts at `addMonthsClamped(startDate, k * months)`, so a start on the 31st bills to the last day of shorter
 *   months and returns to the 31st after (Jan 31 → Feb 28/29 → Mar 31 → Apr 30 …). Clamping is always
 *   computed from the anchor, never from the previous period, so it never drifts.
 * - CALENDAR alignment (`BillingAlignment`) counts the same cycles from the calendar period holding the
 *   start (the 1st of its month, quarter, half-year or year; Monday for weeks) and cuts the first period to
 *   a stub from the start day; `nominalStart` keeps the calendar period's start, the stub's proration base.
 * - The last period ends with the contract (partial); `nominalEnd` keeps the end it would have had, which is
 *   the denominator for proration by days.
 * - Evergreen contracts (no end date) are generated up to a caller-given `until`: every period that starts
 *   before `until` is returned.
 */

export type BillingCycle = 'WEEKLY' | 'MONTHLY' | 'QUARTERLY' | 'SEMIANNUAL' | 'ANNUAL';

/**
 * ANNIVERSARY: periods count from the start date. CALENDAR: periods follow the calendar (months from the
 * 1st; quarters from Jan, Apr, Jul, Oct 1; half-years from Jan and Jul 1; years from Jan 1; weeks from
 * Monday), and a start inside a calendar period makes a first stub from the start to the next boundary.
 */
export type BillingAlignment = 'ANNIVERSARY' | 'CALENDAR';
export const BILLING_ALIGNMENTS: readonly BillingAlignment[] = ['ANNIVERSARY', 'CALENDAR'];

/** A billing period `[start, end)`; `nominalEnd` is the cycle's end, later than `end` only for a partial last period. */
export interface BillingPeriod {
  /** 0-based position from the contract start. */
  index: number;
  start: Date;
  /** Exclusive. */
  end: Date;
  /** Exclusive end of the full cycle; equals `end` unless the contract ends inside this period. */
  nominalEnd: Date;
  /** Start of the full cycle when it is earlier than `start`: a calendar billing's first stub. */
  nominalStart?: Date;
}

/** The dates that define a contract's periods. `endDate` is the inclusive last day, null when evergreen. */
export interface PeriodSchedule {
  startDate: Date;
  endDate: Date | null;
  cycle: BillingCycle;
  /** Default ANNIVERSARY. */
  alignment?: BillingAlignment;
}

export const DAY_MS = 86_400_000;

/** Upper bound on the periods one call may produce: guards against a runaway `until`. */
export const MAX_PERIODS = 10_000;

const CYCLE_MONTHS: Record<BillingCycle, number> = {
  WEEKLY: 0,
  MONTHLY: 1,
  QUARTERLY: 3,
  SEMIANNUAL: 6,
  ANNUAL: 12,
};
const WEEK_DAYS = 7;

/** Whole months in one billing cycle: 1, 3, 6 or 12; 0 for WEEKLY (a week is no whole month). */
export function cycleMonths(cycle: BillingCycle): number {
  const months = CYCLE_MONTHS[cycle];
  if (months === undefined) throw new Error(`Unknown billing cycle: ${String(cycle)}`);
  return months;
}

/** The UTC midnight that starts the day of `date`. */
export function startOfUtcDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

/** `date` plus `days` whole days (UTC has no DST, so a day is always 24 h). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Whole UTC days from the day of `from` to the day of `to` (negative when `to` is earlier). */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((startOfUtcDay(to).getTime() - startOfUtcDay(from).getTime()) / DAY_MS);
}

/** Days in a month; `monthIndex` is 0-based (0 = January). */
export function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * `date` plus `months` calendar months in UTC, clamping the day to the target month's last day
 * (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year). Time of day is kept.
 */
export function addMonthsClamped(date: Date, months: number): Date {
  if (!Number.isInteger(months)) throw new Error(`months must be an integer, got ${months}`);
  const total = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
  const result = new Date(date.getTime());
  result.setUTCFullYear(year, month, day);
  return result;
}

/** Parses `YYYY-MM-DD` into that day at 00:00Z. Throws on anything else or an impossible date. */
export function parseCalendarDate(text: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new Error(`Not a calendar date (YYYY-MM-DD): ${text}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  if (month < 0 || month > 11 || day < 1 || day > daysInMonth(year, month))
    throw new Error(`Not a calendar date: ${text}`);
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  return date;
}

/** `YYYY-MM-DD` of a date's UTC day. */
export function formatCalendarDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first instant a contract no longer covers: the day after its inclusive `endDate`; null when evergreen. */
export function contractEndExclusive(endDate: Date | null): Date | null {
  return endDate === null ? null : addDays(startOfUtcDay(endDate), 1);
}

/** Start of period `index` of a schedule (ignores the contract end). */
function nominalStart(startDate: Date, cycle: BillingCycle, index: number): Date {
  if (cycle === 'WEEKLY') return addDays(startOfUtcDay(startDate), index * WEEK_DAYS);
  return addMonthsClamped(startOfUtcDay(startDate), index * cycleMonths(cycle));
}

/** A first guess at the index of the period holding `instant`, refined by the caller: never too far off. */
function approximateIndex(start: Date, cycle: BillingCycle, instant: Date): number {
  if (cycle === 'WEEKLY') return Math.floor(daysBetween(start, instant) / WEEK_DAYS);
  const monthDiff =
    (instant.getUTCFullYear() - start.getUTCFullYear()) * 12 + (instant.getUTCMonth() - start.getUTCMonth());
  return Math.floor(monthDiff / cycleMonths(cycle));
}

/** The first day of the calendar period (of `cycle`) holding `date`: the 1st, a quarter's, Monday, …. */
export function calendarPeriodStart(date: Date, cycle: BillingCycle): Date {
  const day = startOfUtcDay(date);
  if (cycle === 'WEEKLY') return addDays(day, -((day.getUTCDay() + 6) % 7));
  const months = cycleMonths(cycle);
  const month = Math.floor(day.getUTCMonth() / months) * months;
  const first = new Date(0);
  first.setUTCFullYear(day.getUTCFullYear(), month, 1);
  return first;
}

/** Where a schedule's periods count from: its start day, or the calendar period holding it. */
function scheduleAnchor(schedule: PeriodSchedule): Date {
  return schedule.alignment === 'CALENDAR'
    ? calendarPeriodStart(schedule.startDate, schedule.cycle)
    : startOfUtcDay(schedule.startDate);
}

/**
 * Period `index` (0-based) of a schedule, or null when it starts at or after the contract's end.
 */
export function periodAt(schedule: PeriodSchedule, index: number): BillingPeriod | null {
  if (!Number.isInteger(index) || index < 0) return null;
  const anchor = scheduleAnchor(schedule);
  const cycleStart = nominalStart(anchor, schedule.cycle, index);
  const nominalEnd = nominalStart(anchor, schedule.cycle, index + 1);
  const first = startOfUtcDay(schedule.startDate);
  // Only a calendar schedule's first period can begin before the start day: it is cut to a stub.
  const start = cycleStart.getTime() < first.getTime() ? first : cycleStart;
  const contractEnd = contractEndExclusive(schedule.endDate);
  if (contractEnd !== null && start.getTime() >= contractEnd.getTime()) return null;
  const end = contractEnd !== null && contractEnd.getTime() < nominalEnd.getTime() ? contractEnd : nominalEnd;
  return start === cycleStart
    ? { index, start, end, nominalEnd }
    : { index, start, end, nominalEnd, nominalStart: cycleStart };
}

/** Validates a schedule: the inclusive end date may not be before the start date. */
function assertSchedule(schedule: PeriodSchedule): void {
  if (Number.isNaN(schedule.startDate.getTime())) throw new Error('startDate is not a valid date');
  if (schedule.endDate !== null && daysBetween(schedule.startDate, schedule.endDate) < 0) {
    throw new Error('endDate is before startDate');
  }
}

/**
 * The billing periods of a contract, in order, as half-open `[start, end)` intervals at UTC midnight.
 *
 * - Fixed term (`endDate` set, inclusive): every period of the term; the last ends at `endDate + 1 day`.
 * - Evergreen (`endDate` null): `until` is required; returns every period that starts before `until`.
 * - With both, both limits apply.
 */
export function billingPeriods(schedule: PeriodSchedule & { until?: Date }): BillingPeriod[] {
  assertSchedule(schedule);
  if (schedule.endDate === null && schedule.until === undefined) {
    throw new Error('An evergreen schedule needs `until`');
  }
  const periods: BillingPeriod[] = [];
  for (let index = 0; ; index++) {
    const period = periodAt(schedule, index);
    if (period === null) break;
    if (schedule.until !== undefined && period.start.getTime() >= schedule.until.getTime()) break;
    if (periods.length >= MAX_PERIODS) throw new Error(`More than ${MAX_PERIODS} billing periods requested`);
    periods.push(period);
  }
  return periods;
}

/**
 * The period containing `instant` (start ≤ instant < end), or null when the instant is before the contract
 * starts or at/after its end. Constant time: no period list is built.
 */
export function periodContaining(schedule: PeriodSchedule, instant: Date): BillingPeriod | null {
  assertSchedule(schedule);
  const start = startOfUtcDay(schedule.startDate);
  const t = instant.getTime();
  if (t < start.getTime()) return null;
  const contractEnd = contractEndExclusive(schedule.endDate);
  if (contractEnd !== null && t >= contractEnd.getTime()) return null;
  const anchor = scheduleAnchor(schedule);
  let index = Math.max(0, approximateIndex(anchor, schedule.cycle, instant));
  while (index > 0 && nominalStart(anchor, schedule.cycle, index).getTime() > t) index--;
  while (nominalStart(anchor, schedule.cycle, index + 1).getTime() <= t) index++;
  return periodAt(schedule, index);
}

/** The period after `period`, or null when the contract has ended. */
export function nextPeriod(schedule: PeriodSchedule, period: BillingPeriod): BillingPeriod | null {
  return periodAt(schedule, period.index + 1);
}

/** Days actually covered by a period: `end − start` in whole days. */
export function daysInPeriod(period: { start: Date; end: Date }): number {
  return daysBetween(period.start, period.end);
}

/** Days in the full cycle of a period (`nominalEnd − start`): the denominator for proration. */
export function daysInFullPeriod(period: BillingPeriod): number {
  return daysBetween(period.start, period.nominalEnd);
}

/** True when the contract ends inside this period. */
export function isPartialPeriod(period: BillingPeriod): boolean {
  return period.end.getTime() < period.nominalEnd.getTime();
}

/** Due date of an invoice: `issuedAt + paymentTermsDays` days (time of day kept; 0 = due on receipt). */
export function dueDate(issuedAt: Date, paymentTermsDays: number): Date {
  if (!Number.isInteger(paymentTermsDays) || paymentTermsDays < 0) {
    throw new Error(`paymentTermsDays must be a non-negative integer, got ${paymentTermsDays}`);
  }
  return addDays(issuedAt, paymentTermsDays);
}
