import { AI_CALL_RATES } from '../../support/seed-catalogs';
import type { TestApp } from '../../support/test-app';

/** The seed's AI call center catalog (002, Step 2): one meter, nine dimensional rates, one plan. */
export interface Catalog {
  planId: string;
  pricingId: string;
}

/** Creates the catalog through the public GraphQL API, as engineering would. */
export async function createAiCallCatalog(t: TestApp): Promise<Catalog> {
  await t.gqlOk(
    `mutation { createMeter(input: { code: "AI_CALL", displayName: "AI Calls", eventName: "ai_call",
       aggregation: SUM, aggregationKey: "duration_minutes", groupKeys: ["region", "call_outcome"] }) { id } }`,
  );
  const card = await t.gqlOk<{ createRateCard: { id: string } }>(
    `mutation($entries: [RateCardEntryInput!]!) {
       createRateCard(input: { meterCode: "AI_CALL", name: "AI call rates", entries: $entries }) { id } }`,
    {
      entries: AI_CALL_RATES.map(([region, outcome, rate]) => ({
        dimensions: { region, call_outcome: outcome },
        rate,
        effectiveFrom: '2020-01-01T00:00:00.000Z',
      })),
    },
  );
  const pricing = await t.gqlOk<{ createPricing: { id: string } }>(
    `mutation($card: ID!) { createPricing(input: { name: "AI Call Pricing", meterCode: "AI_CALL", model: PER_UNIT,
       rateCardId: $card, fallbackRate: "0.50" }) { id } }`,
    { card: card.createRateCard.id },
  );
  const plan = await t.gqlOk<{ createPlan: { id: string } }>(
    `mutation($pricing: ID!) { createPlan(input: { name: "AI Support Plan", currency: "USD", billingCycle: MONTHLY,
       netTermsDays: 30, items: [{ pricingId: $pricing }] }) { id } }`,
    { pricing: pricing.createPricing.id },
  );
  return { planId: plan.createPlan.id, pricingId: pricing.createPricing.id };
}

/** The first instant of the current month (UTC), as an ISO string and as YYYY-MM-DD. */
export function currentMonthStart(now = new Date()): { iso: string; day: string } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return { iso: start.toISOString(), day: start.toISOString().slice(0, 10) };
}

/** Sends one AI call over REST (the docs' shape), a few minutes ago. */
export async function sendAiCall(
  t: TestApp,
  customerId: string,
  callId: string,
  region: string,
  outcome: string,
  minutes: number,
): Promise<void> {
  const response = await t.rest('POST', '/v1/events', {
    customer_id: customerId,
    event_name: 'ai_call',
    idempotency_key: `ai_call_${callId}`,
    timestamp: new Date(Date.now() - 60_000).toISOString(),
    properties: { region, call_outcome: outcome, duration_minutes: minutes, agent_id: 'agent_456' },
  });
  if (response.status !== 202)
    throw new Error(`event ${callId}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
}
