/**
 * The product documents' AI call-center walkthrough (seeds/002), written out once: the demo loads it and the
 * tests that bill it import it from here. Plain data, no behaviour.
 */

/**
 * The seeds/002 rate card (its Step 2): AI call minutes by region and outcome. The guide's first table shows
 * APAC/resolved at $3.00 and US/escalated at $0.75; Step 2 and the invoice example use these rates.
 */
export const AI_CALL_RATES: ReadonlyArray<readonly [region: string, outcome: string, rate: string]> = [
  ['US', 'resolved', '0.20'],
  ['US', 'transferred', '0.40'],
  ['US', 'escalated', '0.60'],
  ['EU', 'resolved', '0.25'],
  ['EU', 'transferred', '0.50'],
  ['EU', 'escalated', '0.75'],
  ['APAC', 'resolved', '0.30'],
  ['APAC', 'transferred', '0.60'],
  ['APAC', 'escalated', '0.90'],
];

/** The seeds/002 day of calls (Nov 10, 2026): 50 minutes, $21.35 at AI_CALL_RATES. */
export const AI_CALL_CENTER_CALLS: ReadonlyArray<
  readonly [callId: string, region: string, outcome: string, minutes: number, at: string]
> = [
  ['call_001', 'US', 'resolved', 5, '2026-11-10T01:05:00Z'],
  ['call_002', 'US', 'resolved', 8, '2026-11-10T01:40:00Z'],
  ['call_003', 'US', 'transferred', 12, '2026-11-10T02:10:00Z'],
  ['call_004', 'EU', 'resolved', 6, '2026-11-10T03:00:00Z'],
  ['call_005', 'EU', 'escalated', 15, '2026-11-10T04:30:00Z'],
  ['call_006', 'APAC', 'resolved', 4, '2026-11-10T05:45:00Z'],
];

/** The seeds/002 meter: call minutes summed per region and call outcome. */
export const AI_CALL_METER = {
  code: 'AI_CALL',
  displayName: 'AI Calls',
  eventName: 'ai_call',
  aggregation: 'SUM',
  aggregationKey: 'duration_minutes',
  groupKeys: ['region', 'call_outcome'],
} as const;

/** The seeds/002 pricing ("AI Call Pricing", per minute, $0.40 for combinations the card does not list). */
export const AI_CALL_PRICING = { name: 'AI Call Pricing', model: 'PER_UNIT', fallbackRate: '0.40' } as const;

/** The seeds/002 plan: due on receipt, paid automatically, billed monthly. */
export const AI_CALL_CENTER_PLAN = {
  name: 'AI Call Center',
  description: 'AI call handling billed per minute by region and call outcome.',
  currency: 'USD',
  netTermsDays: 0,
  autoPay: true,
  billingCycle: 'MONTHLY',
} as const;

/** The seeds/002 customer. */
export const ACME_SUPPORT = {
  name: 'Acme Support Co',
  externalId: 'acme-support',
  email: 'billing@acme-support.example',
} as const;
