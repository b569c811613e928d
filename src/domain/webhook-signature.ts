import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `Tally-Signature` header of a webhook delivery, on Stripe's scheme: `t=<unix seconds>,v1=<hex>`, where
 * v1 is the HMAC-SHA256 of `"<t>.<raw body>"` under the endpoint's secret. Signing the timestamp with the
 * body lets receivers refuse replays of an old delivery (the README's snippet allows 5 minutes).
 */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/** True when `header` carries a valid v1 signature of `body` made at most `toleranceSeconds` from `nowSeconds`. */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureHeader(secret, t, body).split('v1=')[1], 'hex');
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
