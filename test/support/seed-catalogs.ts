import type { TestApp } from './test-app';
import { createMeter, createPlan, createPricing, createRateCard } from './billing-api';
import { AI_CALL_METER, AI_CALL_RATES } from '../../src/demo/seed-data';

export { AI_CALL_CENTER_CALLS, AI_CALL_METER, AI_CALL_RATES } from '../../src/demo/seed-data';

/**
 * The product documents' seed catalogs, each written out once for every test that bills them: the AI call
 * center (seeds/002) and the LLM-token Pro plan (seeds/001). Builders go through the public GraphQL API,
 * as a client would.
 */

/** The seeds/002 catalog: meter AI_CALL, its rate card, "AI Call Pricing" ($0.40 fallback) and the plan. */
export async function createAiCallCenterPlan(t: TestApp): Promise<string> {
  await createMeter(t, { ...AI_CALL_METER, groupKeys: [...AI_CALL_METER.groupKeys] });
  const rateCardId = await createRateCard(
    t,
    'AI_CALL',
    AI_CALL_RATES.map(([region, call_outcome, rate]) => ({ dimensions: { region, call_outcome }, rate })),
  );
  const pricingId = await createPricing(t, {
    name: 'AI Call Pricing',
    meterCode: 'AI_CALL',
    model: 'PER_UNIT',
    fallbackRate: '0.40',
    rateCardId,
  });
  return createPlan(t, { name: 'AI Call Center', netTermsDays: 0, autoPay: true, items: [{ pricingId }] });
}

export interface TokenRate {
  dimensions: Record<string, string>;
  rate: string;
}

/** The seeds/001 Pro plan's rates per 1K tokens. */
export const PRO_TOKEN_RATES: readonly TokenRate[] = [
  { dimensions: { model: 'gpt-4' }, rate: '0.03' },
  { dimensions: { model: 'gpt-3.5' }, rate: '0.002' },
];

/** The seeds/001 enterprise tier: half the Pro rate, keyed by the contract's customer_tier. */
export const ENTERPRISE_TIER_TOKEN_RATES: readonly TokenRate[] = [
  { dimensions: { model: 'gpt-4', customer_tier: 'enterprise' }, rate: '0.015' },
  { dimensions: { model: 'gpt-3.5', customer_tier: 'enterprise' }, rate: '0.001' },
];

/**
 * The seeds/001 catalog: meter LLM_TOKENS (tokens summed per `groupKeys`), "LLM tokens" priced per 1K tokens
 * from `rates` with a $0.05 fallback, and the "Pro Plan" (net 30).
 */
export async function createProTokenPlan(
  t: TestApp,
  catalog: { groupKeys: string[]; rates: readonly TokenRate[] },
): Promise<string> {
  await createMeter(t, {
    code: 'LLM_TOKENS',
    displayName: 'LLM Tokens',
    eventName: 'llm_tokens',
    aggregation: 'SUM',
    aggregationKey: 'tokens',
    groupKeys: catalog.groupKeys,
  });
  const rateCardId = await createRateCard(t, 'LLM_TOKENS', [...catalog.rates]);
  const pricingId = await createPricing(t, {
    name: 'LLM tokens',
    meterCode: 'LLM_TOKENS',
    model: 'PER_UNIT',
    unitSize: '1000',
    fallbackRate: '0.05',
    rateCardId,
  });
  return createPlan(t, { name: 'Pro Plan', items: [{ pricingId }], netTermsDays: 30 });
}
