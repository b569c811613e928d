import type { RequestContext } from '../../context';
import type { Decimal } from '../../domain/money';
import type { PaymentStatus } from '../../entities/payment.entity';

export interface PaymentRequest {
  invoiceId: string;
  customerId: string;
  currency: string;
  /** Rounded to the currency's minor unit; positive; never more than the invoice's open amount. */
  amount: Decimal;
  /** The caller's reference for this payment (unique per provider). */
  reference: string;
  /** The processor's token of the customer's payment method to charge (auto-pay), when there is one. */
  paymentMethodToken?: string | null;
}

export interface PaymentOutcome {
  /** SUCCEEDED settles now; PENDING reserves the amount until the processor reports back; FAILED records nothing owed. */
  status: PaymentStatus;
  /** The processor's id for the payment (charge id, transfer id). */
  providerPaymentId: string | null;
  failureReason?: string | null;
}

/**
 * Where money comes from. `collect` runs INSIDE the payment's transaction, with the invoice row locked, so it
 * must be quick: a processor that talks to a network should create its intent there (or return PENDING) and
 * confirm later through `PaymentService.settle` from its webhook, never hold the lock across a slow call.
 */
export interface PaymentProvider {
  /** Stored on each payment, e.g. `manual`, `stripe`. */
  readonly name: string;
  /**
   * True for providers that only record what an operator asserts (money received elsewhere): a customer
   * using them would be marking its own invoice paid without paying.
   */
  readonly operatorsOnly?: boolean;
  collect(ctx: RequestContext, request: PaymentRequest): Promise<PaymentOutcome>;
}

/**
 * The built-in provider: records a payment made elsewhere (bank transfer, check, a processor the customer's
 * own systems call) as settled at once. The caller's reference is the payment id.
 */
export class RecordedPaymentProvider implements PaymentProvider {
  readonly name = 'manual';
  readonly operatorsOnly = true;

  async collect(_ctx: RequestContext, request: PaymentRequest): Promise<PaymentOutcome> {
    return { status: 'SUCCEEDED', providerPaymentId: request.reference };
  }
}

/** Stripe's test card that is always declined ends in 0002; the test processor follows it. */
const DECLINED_LAST4 = '_0002';

/**
 * The test processor's charges (outside production): a payment method token ending in `_0002` is declined,
 * any other is charged at once; without a token nothing is charged.
 */
export class TestCardPaymentProvider implements PaymentProvider {
  readonly name = 'test';

  async collect(_ctx: RequestContext, request: PaymentRequest): Promise<PaymentOutcome> {
    if (!request.paymentMethodToken) {
      return { status: 'FAILED', providerPaymentId: null, failureReason: 'No payment method to charge' };
    }
    if (request.paymentMethodToken.endsWith(DECLINED_LAST4)) {
      return { status: 'FAILED', providerPaymentId: null, failureReason: 'card_declined' };
    }
    return { status: 'SUCCEEDED', providerPaymentId: `ch_${request.reference}`.slice(0, 200) };
  }
}
