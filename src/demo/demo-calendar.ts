import { AI_CALL_CENTER_CALLS } from './seed-data';

/**
 * Where the demo puts the seed's calls in time. The demo contract bills calendar months from the start of
 * last month, so there is one closed month (finalized) and the current one (the live draft) whatever day
 * the demo runs.
 */

/** 00:00 UTC on the first day of the month `offset` months from the one holding `now`. */
export function monthStart(now: Date, offset = 0): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
}

/** "2026-11": the month in the events' idempotency keys, so a re-run in the same month adds nothing. */
export function monthKey(instant: Date): string {
  return instant.toISOString().slice(0, 7);
}

/** Milliseconds since midnight UTC of the seed's call (e.g. 01:05 for call_001). */
function timeOfDayMs(at: string): number {
  const instant = new Date(at);
  return instant.getTime() - Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate());
}

export interface DemoCall {
  callId: string;
  region: string;
  outcome: string;
  minutes: number;
  at: Date;
}

/**
 * The seed's calls at their times of day on `day`, never later than `notAfter` (on the first hours of a
 * month the current day has not reached 05:45 yet; the events API refuses timestamps in the future).
 */
export function seedCallsOn(day: Date, notAfter: Date, callIds?: readonly string[]): DemoCall[] {
  return AI_CALL_CENTER_CALLS.filter(([callId]) => !callIds || callIds.includes(callId)).map(
    ([callId, region, outcome, minutes, at]) => ({
      callId,
      region,
      outcome,
      minutes,
      at: new Date(Math.min(day.getTime() + timeOfDayMs(at), notAfter.getTime())),
    }),
  );
}
