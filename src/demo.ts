import type { App } from './app';
import { RequestContext } from './context';
import { withTransaction } from './db/transaction';
import { Decimal } from './domain/money';

export interface DemoResult {
  apiKey: string;
  organizationId: string;
  environmentId: string;
  meterId: string;
  rateCardId: string;
  pricingId: string;
  planId: string;
  customerId: string;
}

/**
 * The AI call-center rate card of the product guide ("Billing for AI Products", Step 2): per-minute rates
 * by region and call outcome. (The guide's first table shows APAC/resolved at $3.00; Step 2 and the
 * invoice example both use $0.30, which is the intended rate.)
 */
export const AI_CALL_RATES: ReadonlyArray<{ region: string; call_outcome: string; rate: string }> = [
  { region: 'US', call_outcome: 'resolved', rate: '0.20' },
  { region: 'US', call_outcome: 'transferred', rate: '0.40' },
  { region: 'US', call_outcome: 'escalated', rate: '0.60' },
  { region: 'EU', call_outcome: 'resolved', rate: '0.25' },
  { region: 'EU', call_outcome: 'transferred', rate: '0.50' },
  { region: 'EU', call_outcome: 'escalated', rate: '0.75' },
  { region: 'APAC', call_outcome: 'resolved', rate: '0.30' },
  { region: 'APAC', call_outcome: 'transferred', rate: '0.60' },
  { region: 'APAC', call_outcome: 'escalated', rate: '0.90' },
];

/**
 * Creates a demo organization with the AI call-center catalog from the product documents (meter AI_CALL,
 * its rate card, "AI Call Pricing" with a $0.40 fallback, the "AI Call Center" plan, due on receipt with
 * auto-pay) and one customer, Acme Support Co. Everything goes through the services, in one transaction,
 * so the demo obeys the same rules as the API. Each run creates a fresh organization.
 */
export async function loadDemo(app: App): Promise<DemoResult> {
  const system = new RequestContext(
    app.db,
    '',
    '',
    { kind: 'SYSTEM', name: 'demo' },
    app.clock,
    app.log,
    'demo',
  );
  const { meters, rateCards, pricings, plans, customers, organizations } = app.services;
  return withTransaction(system, async (tx) => {
    const created = await organizations.bootstrap(tx, 'Demo Company');
    const env = tx.forEnvironment(created.environment.id, created.organization.id);
    const meter = await meters.create(env, {
      code: 'AI_CALL',
      displayName: 'AI Calls',
      eventName: 'ai_call',
      aggregation: 'SUM',
      aggregationKey: 'duration_minutes',
      groupKeys: ['region', 'call_outcome'],
    });
    const rateCard = await rateCards.create(env, {
      meterCode: meter.code,
      name: 'AI call rates',
      entries: AI_CALL_RATES.map(({ region, call_outcome, rate }) => ({
        dimensions: { region, call_outcome },
        rate: new Decimal(rate),
      })),
    });
    const pricing = await pricings.createUsage(env, {
      name: 'AI Call Pricing',
      meterCode: meter.code,
      model: 'PER_UNIT',
      fallbackRate: new Decimal('0.40'),
      rateCardId: rateCard.id,
    });
    const plan = await plans.create(env, {
      name: 'AI Call Center',
      description: 'AI call handling billed per minute by region and call outcome.',
      currency: 'USD',
      netTermsDays: 0,
      autoPay: true,
      billingCycle: 'MONTHLY',
      items: [{ pricingId: pricing.id }],
    });
    const customer = await customers.create(env, {
      name: 'Acme Support Co',
      externalId: 'acme-support',
      email: 'billing@acme-support.example',
    });
    return {
      apiKey: created.apiKey,
      organizationId: created.organization.id,
      environmentId: created.environment.id,
      meterId: meter.id,
      rateCardId: rateCard.id,
      pricingId: pricing.id,
      planId: plan.id,
      customerId: customer.id,
    };
  });
}
