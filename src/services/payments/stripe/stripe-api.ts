/** The few Stripe API calls Tally makes, over fetch: form-encoded bodies, a secret key, idempotency keys. */

export interface StripeConfig {
  secretKey: string;
  /** https://api.stripe.com, or a local fake in tests. */
  apiUrl: string;
  /** Each call gives up after this long (the payment transaction holds the invoice lock meanwhile). */
  timeoutMs?: number;
}

export interface StripeError {
  type?: string;
  code?: string;
  decline_code?: string;
  message?: string;
  payment_intent?: StripePaymentIntent;
}

export interface StripePaymentIntent {
  id: string;
  status: string;
  amount: number;
  currency: string;
  last_payment_error?: { code?: string; message?: string } | null;
}

export interface StripePaymentMethod {
  id: string;
  type: string;
  card?: { brand?: string; last4?: string; exp_month?: number; exp_year?: number } | null;
}

/** A non-2xx answer: its HTTP status and Stripe's error object. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: StripeError,
  ) {
    super(`Stripe ${status}: ${error.code ?? error.type ?? 'error'} ${error.message ?? ''}`.trim());
    this.name = 'StripeApiError';
  }
}

export class StripeApi {
  constructor(private readonly config: StripeConfig) {}

  getPaymentMethod(id: string): Promise<StripePaymentMethod> {
    return this.call<StripePaymentMethod>('GET', `/v1/payment_methods/${encodeURIComponent(id)}`);
  }

  /** Creates and confirms an off-session payment; the key makes a retried call return the same intent. */
  createPaymentIntent(params: Record<string, string>, idempotencyKey: string): Promise<StripePaymentIntent> {
    return this.call<StripePaymentIntent>('POST', '/v1/payment_intents', params, idempotencyKey);
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    params?: Record<string, string>,
    idempotencyKey?: string,
  ): Promise<T> {
    const response = await fetch(new URL(path, this.config.apiUrl), {
      method,
      headers: {
        authorization: `Bearer ${this.config.secretKey}`,
        ...(params ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: params ? new URLSearchParams(params).toString() : undefined,
      signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000),
    });
    const body = (await response.json().catch(() => ({}))) as T & { error?: StripeError };
    if (!response.ok) throw new StripeApiError(response.status, body.error ?? {});
    return body;
  }
}
