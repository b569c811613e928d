import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createMeter,
  createPlan,
  createPricing,
  createRateCard,
  sendEvent,
} from '../support/billing-api';

/**
 * Helpers for the live (graphql-ws) tests: a real graphql-ws client over a real WebSocket, and a small
 * scenario (one meter priced by a rate card, customers with contracts) driven through the public APIs.
 */

export const LIVE_INVOICE_FIELDS = `
  id status currency periodStart periodEnd subtotal creditsApplied total amountDue
  lines { description meterCode quantity rate amount creditsApplied }
`;

export const DRAFT_BY_CUSTOMER = `subscription($customerId: ID) {
  draftInvoiceUpdated(customerId: $customerId) { ${LIVE_INVOICE_FIELDS} }
}`;
export const DRAFT_BY_CONTRACT = `subscription($contractId: ID) {
  draftInvoiceUpdated(contractId: $contractId) { ${LIVE_INVOICE_FIELDS} }
}`;
export const CREDITS = `subscription($customerId: ID!) {
  creditBalanceUpdated(customerId: $customerId) { customerId totals { currency granted remaining } }
}`;

export interface LiveInvoice {
  id: string;
  status: string;
  subtotal: string;
  creditsApplied: string;
  total: string;
  amountDue: string;
  lines: Array<{ description: string; quantity: string; rate: string | null; amount: string }>;
}

export interface Closed {
  code: number;
  reason: string;
}

export function wsUrl(t: TestApp): string {
  return `${t.url.replace(/^http/, 'ws')}/graphql`;
}

/** A graphql-ws client that connects at once and never retries; `closed` resolves with the close event. */
export function liveClient(
  t: TestApp,
  token: string | null,
  params?: Record<string, unknown>,
): { client: Client; closed: Promise<Closed>; connected: Promise<void> } {
  let onClosed!: (closed: Closed) => void;
  let onConnected!: () => void;
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client = createClient({
    url: wsUrl(t),
    webSocketImpl: WebSocket,
    connectionParams: params ?? (token ? { authorization: `Bearer ${token}` } : {}),
    lazy: false,
    retryAttempts: 0,
    shouldRetry: () => false,
    onNonLazyError: () => undefined,
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const e = event as { code: number; reason: string | Buffer };
        onClosed({ code: e.code, reason: String(e.reason) });
      },
    },
  });
  return { client, closed, connected };
}

export interface GqlError {
  message: string;
  extensions?: { code?: string };
}

/** One subscription's messages as they arrive, with helpers to wait for them. */
export class Subscription<T> {
  readonly values: T[] = [];
  readonly arrivals: number[] = [];
  errors: GqlError[] | null = null;
  completed = false;
  private readonly waiters: Array<() => void> = [];
  readonly dispose: () => void;

  constructor(client: Client, query: string, variables: Record<string, unknown>, field: string) {
    this.dispose = client.subscribe<Record<string, T>>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors?.length) this.errors = result.errors as unknown as GqlError[];
          else {
            this.values.push(result.data![field]);
            this.arrivals.push(Date.now());
          }
          this.notify();
        },
        error: (error) => {
          this.errors = Array.isArray(error) ? (error as GqlError[]) : [{ message: String(error) }];
          this.notify();
        },
        complete: () => {
          this.completed = true;
          this.notify();
        },
      },
    );
  }

  get last(): T {
    return this.values[this.values.length - 1];
  }

  /** Waits until `predicate` holds (checked on every message), failing after `timeoutMs`. */
  async until(predicate: (s: this) => boolean, timeoutMs = 10_000, what = 'condition'): Promise<this> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `Timed out waiting for ${what}; got ${this.values.length} messages: ${JSON.stringify(this.values).slice(0, 2000)}` +
            (this.errors ? ` errors: ${JSON.stringify(this.errors)}` : ''),
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this;
  }

  count(n: number, timeoutMs?: number): Promise<this> {
    return this.until((s) => s.values.length >= n, timeoutMs, `${n} messages`);
  }

  failed(timeoutMs?: number): Promise<GqlError[]> {
    return this.until((s) => s.errors !== null, timeoutMs, 'an error').then((s) => s.errors!);
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

export function subscribe<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
): Subscription<T> {
  const field = /\{\s*(\w+)/.exec(query.slice(query.indexOf('{')))![1];
  return new Subscription<T>(client, query, variables, field);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A meter `api_call` (SUM of `units`) priced at $0.10 per unit by a rate card, in a monthly USD plan. */
export async function createCatalog(
  t: TestApp,
  code = 'API_CALL',
): Promise<{ planId: string; rateCardId: string }> {
  await createMeter(t, {
    code,
    displayName: code,
    eventName: code.toLowerCase(),
    aggregation: 'SUM',
    aggregationKey: 'units',
    groupKeys: ['region'],
  });
  const rateCardId = await createRateCard(t, code, [{ dimensions: { region: 'US' }, rate: '0.10' }]);
  const pricingId = await createPricing(t, {
    name: `${code} pricing`,
    meterCode: code,
    model: 'PER_UNIT',
    fallbackRate: '0.50',
    rateCardId,
  });
  const planId = await createPlan(t, {
    name: `${code} plan`,
    billingCycle: 'MONTHLY',
    items: [{ pricingId }],
  });
  return { planId, rateCardId };
}

/** A customer with a contract on `planId` starting `startDate`. */
export async function createCustomerWithContract(
  t: TestApp,
  planId: string,
  name: string,
  startDate = '2026-03-01',
): Promise<{ customerId: string; contractId: string }> {
  const customerId = await createCustomer(t, name);
  const contractId = await createContract(t, { customerId, planId, startDate });
  return { customerId, contractId };
}

let eventCounter = 0;

/** Sends `units` units of usage in region `region` for the customer (accepted = committed). */
export async function sendUsage(
  t: TestApp,
  customerId: string,
  units: number,
  options: { code?: string; region?: string; timestamp?: string; token?: string } = {},
): Promise<void> {
  const event = {
    customer_id: customerId,
    event_name: (options.code ?? 'API_CALL').toLowerCase(),
    idempotency_key: `live-${process.pid}-${Date.now()}-${eventCounter++}`,
    timestamp: options.timestamp ?? t.clock.now().toISOString(),
    properties: { units, region: options.region ?? 'US' },
  };
  const result = options.token
    ? await t.rest('POST', '/v1/events', event, options.token)
    : await sendEvent(t, event);
  if (result.status !== 202)
    throw new Error(`event not accepted: ${result.status} ${JSON.stringify(result.body)}`);
}

export async function portalToken(t: TestApp, customerId: string, ttlSeconds = 3600): Promise<string> {
  const data = await t.gqlOk<{ createCustomerPortalToken: { token: string } }>(
    'mutation($id: ID!, $ttl: Int) { createCustomerPortalToken(customerId: $id, ttlSeconds: $ttl) { token } }',
    { id: customerId, ttl: ttlSeconds },
  );
  return data.createCustomerPortalToken.token;
}
