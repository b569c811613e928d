import { createMeter, createPlan, createPricing, createRateCard } from './billing-api';
import type { TestApp } from './test-app';

/**
 * The catalog the generated agreements refer to: a voice meter rated by region × tier and a token meter
 * rated by model, each in a monthly net-30 plan.
 *
 *   VOICE_MIN  NA standard 0.40, NA premium 0.80, EMEA standard 0.50, EMEA premium 0.90 (fallback 0.60)
 *   TOKENS     alpha-1 0.005, beta-2 0.02 per 1,000 tokens (fallback 0.01)
 */
export async function createExtractionCatalog(t: TestApp) {
  await createMeter(t, {
    code: 'VOICE_MIN',
    displayName: 'Voice minutes',
    eventName: 'voice_call',
    aggregation: 'SUM',
    aggregationKey: 'minutes',
    groupKeys: ['region', 'tier'],
  });
  const voiceCard = await createRateCard(t, 'VOICE_MIN', [
    { dimensions: { region: 'NA', tier: 'standard' }, rate: '0.40' },
    { dimensions: { region: 'NA', tier: 'premium' }, rate: '0.80' },
    { dimensions: { region: 'EMEA', tier: 'standard' }, rate: '0.50' },
    { dimensions: { region: 'EMEA', tier: 'premium' }, rate: '0.90' },
  ]);
  const voicePricing = await createPricing(t, {
    name: 'Voice minutes',
    meterCode: 'VOICE_MIN',
    model: 'PER_UNIT',
    fallbackRate: '0.60',
    rateCardId: voiceCard,
  });
  await createMeter(t, {
    code: 'TOKENS',
    displayName: 'Tokens',
    eventName: 'tokens',
    aggregation: 'SUM',
    aggregationKey: 'thousands',
    groupKeys: ['model'],
  });
  const tokenCard = await createRateCard(t, 'TOKENS', [
    { dimensions: { model: 'alpha-1' }, rate: '0.005' },
    { dimensions: { model: 'beta-2' }, rate: '0.02' },
  ]);
  const tokenPricing = await createPricing(t, {
    name: 'Tokens',
    meterCode: 'TOKENS',
    model: 'PER_UNIT',
    fallbackRate: '0.01',
    rateCardId: tokenCard,
  });
  const voicePlan = await createPlan(t, {
    name: 'Voice Suite',
    billingCycle: 'MONTHLY',
    netTermsDays: 30,
    items: [{ pricingId: voicePricing }],
  });
  const tokenPlan = await createPlan(t, {
    name: 'Token Starter',
    billingCycle: 'MONTHLY',
    netTermsDays: 30,
    items: [{ pricingId: tokenPricing }],
  });
  return { voicePlan, tokenPlan, voicePricing, tokenPricing };
}
