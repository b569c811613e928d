import type { IncomingMessage } from 'node:http';
import { AppError } from '../domain/errors';
import { paymentEventOf, verifyStripeSignature } from '../services/payments';
import { HttpError, readBody, sendJson } from './http-utils';
import type { RouteDeps } from './route-deps';
import type { Router } from './router';

const BODY_LIMIT = 512 * 1024;

/**
 * `POST /v1/webhooks/stripe`: Stripe confirms or fails a PENDING charge. The signature is checked against
 * STRIPE_WEBHOOK_SECRET (404 when Stripe is not configured); `payment_intent.succeeded` settles the payment
 * and `payment_intent.payment_failed` fails it, in the payment's environment; other events, and intents
 * Tally did not create, are acknowledged and ignored (Stripe redelivers on anything but 2xx).
 */
export function registerStripeRoutes(router: Router, deps: RouteDeps): void {
  router.add('POST', '/v1/webhooks/stripe', async (req, res) => {
    const secret = deps.services.config.stripeWebhookSecret;
    if (!secret) throw new HttpError(404, 'NOT_FOUND', 'Stripe is not configured');
    const body = await readBody(req, BODY_LIMIT);
    const requestId = (req as IncomingMessage & { requestId?: string }).requestId ?? '';
    const caller = { kind: 'SYSTEM', name: 'stripe-webhook' } as const;
    const lookup = deps.authenticator.contextFor(
      { environmentId: '', organizationId: '', caller },
      requestId,
      deps.log,
    );
    const signature = req.headers['stripe-signature'];
    try {
      verifyStripeSignature(
        typeof signature === 'string' ? signature : undefined,
        body,
        secret,
        lookup.now(),
      );
    } catch (error) {
      throw new HttpError(400, 'BAD_USER_INPUT', error instanceof AppError ? error.message : 'Bad signature');
    }
    let event: unknown;
    try {
      event = JSON.parse(body);
    } catch {
      throw new HttpError(400, 'INVALID_JSON', 'Request body is not valid JSON');
    }
    const outcome = paymentEventOf(event);
    const payment = outcome
      ? await deps.services.selfServe.payments.findByProviderPaymentId(lookup, 'stripe', outcome.intentId)
      : null;
    if (!outcome || !payment) {
      sendJson(res, 200, { received: true, applied: false });
      return;
    }
    const ctx = deps.authenticator.contextFor(
      { environmentId: payment.environmentId, organizationId: payment.organizationId, caller },
      requestId,
      deps.log,
    );
    const result = await deps.services.selfServe.payments.settle(
      ctx,
      payment.id,
      outcome.succeeded,
      outcome.failureReason ?? undefined,
    );
    sendJson(res, 200, { received: true, applied: !result.replayed, status: result.payment.status });
  });
}
