import { createHmac, timingSafeEqual } from 'node:crypto';
import { badInput } from '../../../domain/errors';

/** Signatures older than this are refused (replays). */
const TOLERANCE_S = 300;

export interface StripePaymentEvent {
  /** The PaymentIntent id, i.e. the payment's providerPaymentId. */
  intentId: string;
  succeeded: boolean;
  failureReason: string | null;
}

/**
 * Checks a `Stripe-Signature` header (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`) against the
 * endpoint secret, within five minutes of `now`. Throws BAD_USER_INPUT on `signature` otherwise.
 */
export function verifyStripeSignature(
  header: string | undefined,
  body: string,
  secret: string,
  now: Date,
): void {
  const parts = new Map<string, string[]>();
  for (const item of (header ?? '').split(',')) {
    const [key, value] = item.split('=', 2);
    if (key && value) parts.set(key.trim(), [...(parts.get(key.trim()) ?? []), value.trim()]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(timestamp) || Math.abs(now.getTime() / 1000 - timestamp) > TOLERANCE_S) {
    throw badInput('signature', 'is missing or outside the 5-minute tolerance');
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  const matches = (parts.get('v1') ?? []).some((hex) => {
    const given = Buffer.from(hex, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw badInput('signature', 'does not match');
}

/** The payment outcome an event reports; null for event types Tally does not act on. */
export function paymentEventOf(event: unknown): StripePaymentEvent | null {
  const e = event as {
    type?: string;
    data?: { object?: { id?: string; object?: string; last_payment_error?: { code?: string } | null } };
  };
  const intent = e?.data?.object;
  if (!intent?.id || typeof intent.id !== 'string') return null;
  if (e.type === 'payment_intent.succeeded')
    return { intentId: intent.id, succeeded: true, failureReason: null };
  if (e.type === 'payment_intent.payment_failed') {
    return {
      intentId: intent.id,
      succeeded: false,
      failureReason: intent.last_payment_error?.code ?? 'payment_failed',
    };
  }
  return null;
}
