/**
 * The webhook retry policy, as pure functions: which answers are retried, how long to wait, when to give up.
 */

export type DeliveryVerdict = 'DELIVERED' | 'RETRY' | 'FAILED';

/**
 * 2xx is delivered. Timeouts and network errors (no status), 408, 429 and 5xx are transient and retried;
 * any other answer (3xx included: redirects are not followed) means the receiver refused this event, and
 * sending it again would get the same answer.
 */
export function verdictFor(statusCode: number | null): DeliveryVerdict {
  if (statusCode === null) return 'RETRY';
  if (statusCode >= 200 && statusCode < 300) return 'DELIVERED';
  if (statusCode === 408 || statusCode === 429 || statusCode >= 500) return 'RETRY';
  return 'FAILED';
}

/**
 * Exponential backoff with "equal jitter": after the n-th failed attempt wait between half and all of
 * base·2^(n-1), capped at `maxMs`. The jitter spreads out retries of many deliveries that failed together
 * (a receiver's outage) so they do not all come back at the same instant. `random` is in [0, 1).
 */
export function backoffMs(attempts: number, baseMs: number, maxMs: number, random: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/**
 * The wait a `Retry-After` header asks for, in ms (delay-seconds or an HTTP date), or null when absent or
 * unreadable. Capped at `maxMs` so a receiver cannot park a delivery for longer than the backoff's ceiling.
 */
export function retryAfterMs(header: string | null | undefined, nowMs: number, maxMs: number): number | null {
  if (!header) return null;
  const text = header.trim();
  let wait: number;
  if (/^\d+$/.test(text)) wait = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    wait = at - nowMs;
  }
  return Math.min(Math.max(wait, 0), maxMs);
}
