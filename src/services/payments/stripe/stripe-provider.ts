import type { RequestContext } from '../../../context';
import { badInput } from '../../../domain/errors';
import { toMinorUnits } from '../../../domain/money';
import type { PaymentMethodDetails, PaymentMethodProvider } from '../payment-method-provider';
import type { PaymentOutcome, PaymentProvider, PaymentRequest } from '../payment-provider';
import { type StripeApi, StripeApiError, type StripePaymentIntent } from './stripe-api';

/**
 * Stripe as a payment-method processor (`pm_…` tokens from Stripe Elements) and as a payment provider:
 * a charge is an off-session PaymentIntent confirmed at once, keyed by the payment's reference so a retried
 * attempt never charges twice. `succeeded` settles now, `processing` / `requires_action` stays PENDING until
 * the webhook (POST /v1/webhooks/stripe) confirms or fails it, a decline is FAILED with Stripe's code.
 */
export class StripeProvider implements PaymentProvider, PaymentMethodProvider {
  readonly name = 'stripe';

  constructor(private readonly api: StripeApi) {}

  async describe(_ctx: RequestContext, token: string): Promise<PaymentMethodDetails> {
    if (!/^pm_[A-Za-z0-9_]{1,190}$/.test(token))
      throw badInput('token', 'is not a Stripe payment method id (pm_…)');
    try {
      const method = await this.api.getPaymentMethod(token);
      return {
        brand: method.card?.brand ?? method.type ?? null,
        last4: method.card?.last4 ?? null,
        expMonth: method.card?.exp_month ?? null,
        expYear: method.card?.exp_year ?? null,
      };
    } catch (error) {
      if (error instanceof StripeApiError && error.status === 404) {
        throw badInput('token', `Stripe does not know payment method ${token}`);
      }
      throw error;
    }
  }

  async collect(_ctx: RequestContext, request: PaymentRequest): Promise<PaymentOutcome> {
    if (!request.paymentMethodToken) {
      return { status: 'FAILED', providerPaymentId: null, failureReason: 'No payment method to charge' };
    }
    const params = {
      amount: toMinorUnits(request.amount, request.currency).toFixed(0),
      currency: request.currency.toLowerCase(),
      payment_method: request.paymentMethodToken,
      confirm: 'true',
      off_session: 'true',
      'metadata[tally_invoice_id]': request.invoiceId,
      'metadata[tally_customer_id]': request.customerId,
    };
    try {
      return outcomeOf(await this.api.createPaymentIntent(params, `tally-${request.reference}`));
    } catch (error) {
      // A card error (402) is an answer, not a failure to ask: the intent exists and is declined.
      if (error instanceof StripeApiError && error.status === 402) {
        return {
          status: 'FAILED',
          providerPaymentId: error.error.payment_intent?.id ?? null,
          failureReason: error.error.decline_code ?? error.error.code ?? 'card_error',
        };
      }
      throw error;
    }
  }
}

function outcomeOf(intent: StripePaymentIntent): PaymentOutcome {
  if (intent.status === 'succeeded') return { status: 'SUCCEEDED', providerPaymentId: intent.id };
  if (intent.status === 'processing' || intent.status === 'requires_action') {
    return { status: 'PENDING', providerPaymentId: intent.id };
  }
  return {
    status: 'FAILED',
    providerPaymentId: intent.id,
    failureReason: intent.last_payment_error?.code ?? intent.status,
  };
}
