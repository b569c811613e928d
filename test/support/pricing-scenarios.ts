import type { TestApp } from './test-app';
import { createContract, createCustomer } from './billing-api';

/**
 * Helpers for the pricing scenarios (test/scenarios/pricing-*.test.ts): pricings with any of the
 * CreatePricingInput fields, events sent through the REST batch API, and a customer with a contract.
 */
export async function createUsagePricing(t: TestApp, input: Record<string, unknown>): Promise<string> {
  const data = await t.gqlOk<{ createPricing: { id: string } }>(
    'mutation($input: CreatePricingInput!) { createPricing(input: $input) { id } }',
    { input: { fallbackRate: '0', ...input } },
  );
  return data.createPricing.id;
}

/** The BAD_USER_INPUT field a createPricing input is refused with. */
export async function refusedPricingField(t: TestApp, input: Record<string, unknown>): Promise<unknown> {
  const result = await t.gql(
    'mutation($input: CreatePricingInput!) { createPricing(input: $input) { id } }',
    {
      input: { fallbackRate: '0', ...input },
    },
  );
  const error = result.errors?.[0] as { extensions?: { code?: string; field?: string } } | undefined;
  return { code: error?.extensions?.code, field: error?.extensions?.field };
}

/** One event per entry of `events`, for `customer`, through `POST /v1/events/batch`. */
export async function sendEvents(
  t: TestApp,
  customer: string,
  eventName: string,
  events: Array<{ at: string; properties?: Record<string, unknown> }>,
): Promise<void> {
  const response = await t.rest('POST', '/v1/events/batch', {
    events: events.map((e, i) => ({
      customer_id: customer,
      event_name: eventName,
      idempotency_key: `${customer}-${eventName}-${e.at}-${i}`,
      timestamp: e.at,
      properties: e.properties ?? {},
    })),
  });
  if (response.status !== 202) throw new Error(`events refused: ${JSON.stringify(response.body)}`);
}

/** A customer (external id = `name`) with a contract on `planId`. */
export async function customerOnPlan(
  t: TestApp,
  name: string,
  planId: string,
  startDate: string,
): Promise<string> {
  const customerId = await createCustomer(t, name, name);
  return createContract(t, { customerId, planId, startDate });
}
