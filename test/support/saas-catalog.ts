import { SalesforceConnectionEntity } from '../../src/entities/salesforce-connection.entity';
import type { TestApp } from './test-app';
import { createFlatFee, createMeter, createPricing, createRateCard } from './billing-api';

/**
 * A GraphQL result read loosely in assertions: the tests check shapes with `toMatchObject`/`toEqual`, so
 * spelling out every response type would add noise without adding safety.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Gql = any;

/** Scenario helpers for the self-serve tests: the catalog of a small SaaS (Starter, Pro, a EUR plan, seats). */
export interface SaasCatalog {
  starterId: string;
  proId: string;
  euroId: string;
  privateId: string;
  starterFeeId: string;
  proFeeId: string;
  seatFeeId: string;
  supportFeeId: string;
}

export async function createPlan(
  t: TestApp,
  input: {
    name: string;
    currency?: string;
    billingCycle?: string;
    isPublic?: boolean;
    items: Array<{ pricingId: string; quantity?: string }>;
  },
  token?: string,
): Promise<string> {
  const data = await t.gqlOk<{ createPlan: { id: string } }>(
    'mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }',
    { input: { currency: 'USD', billingCycle: 'MONTHLY', netTermsDays: 0, ...input } },
    token,
  );
  return data.createPlan.id;
}

export async function createSaasCatalog(t: TestApp): Promise<SaasCatalog> {
  await createMeter(t, {
    code: 'API_CALLS',
    displayName: 'API Calls',
    eventName: 'api_call',
    aggregation: 'COUNT',
    groupKeys: ['region'],
  });
  const starterCard = await createRateCard(t, 'API_CALLS', [
    { dimensions: { region: 'US' }, rate: '0.01' },
    { dimensions: { region: 'EU' }, rate: '0.012' },
  ]);
  const starterCalls = await createPricing(t, {
    name: 'API calls (Starter)',
    meterCode: 'API_CALLS',
    model: 'PER_UNIT',
    fallbackRate: '0.01',
    rateCardId: starterCard,
  });
  const proCalls = await createPricing(t, {
    name: 'API calls (Pro)',
    meterCode: 'API_CALLS',
    model: 'PER_UNIT',
    fallbackRate: '0.005',
  });
  const starterFeeId = await createFlatFee(t, 'Starter fee', '29');
  const proFeeId = await createFlatFee(t, 'Pro fee', '99');
  const seatFeeId = await createFlatFee(t, 'Seats', '10');
  const supportFeeId = await createFlatFee(t, 'Premium support', '50');
  const starterId = await createPlan(t, {
    name: 'Starter',
    isPublic: true,
    items: [{ pricingId: starterFeeId }, { pricingId: starterCalls }],
  });
  const proId = await createPlan(t, {
    name: 'Pro',
    isPublic: true,
    items: [{ pricingId: proFeeId }, { pricingId: proCalls }, { pricingId: seatFeeId, quantity: '3' }],
  });
  const euroId = await createPlan(t, {
    name: 'Pro (EUR)',
    currency: 'EUR',
    isPublic: true,
    items: [{ pricingId: proFeeId }],
  });
  const privateId = await createPlan(t, {
    name: 'Enterprise',
    isPublic: false,
    items: [{ pricingId: proFeeId }],
  });
  return { starterId, proId, euroId, privateId, starterFeeId, proFeeId, seatFeeId, supportFeeId };
}

/** Marks the environment as connected to Salesforce (a connection row; the outbox worker is not running). */
export async function connectSalesforce(t: TestApp, environmentId = t.environmentId): Promise<void> {
  const now = t.clock.now();
  await t.app.db.getRepository(SalesforceConnectionEntity).insert({
    id: `sfc_${environmentId}`.slice(0, 40),
    environmentId,
    loginUrl: 'https://login.salesforce.com',
    instanceUrl: 'https://acme.my.salesforce.com',
    clientId: 'client',
    clientSecretSealed: 'sealed',
    refreshTokenSealed: 'sealed',
    accessTokenSealed: null,
    apiVersion: '62.0',
    salesforceOrgId: '00D000000000001AAA',
    status: 'ACTIVE',
    statusReason: null,
    pausedUntil: null,
    lastPollAt: null,
    lastPollError: null,
    watermark: null,
    triggerSecretHash: 'x'.repeat(64),
    fieldConfig: {},
    apiUsageUsed: null,
    apiUsageMax: null,
    syncLeaseOwner: null,
    syncLeaseUntil: null,
    createdAt: now,
    updatedAt: now,
  });
}

export interface OutboxRow {
  sobject: string;
  externalId: string;
  payload: Record<string, unknown>;
}

export async function outboxRows(t: TestApp, environmentId = t.environmentId): Promise<OutboxRow[]> {
  const rows = (await t.app.db.query(
    'SELECT sobject_type AS sobject, external_id AS externalId, payload FROM crm_outbox WHERE environment_id = ? ORDER BY id',
    [environmentId],
  )) as Array<{ sobject: string; externalId: string; payload: string | Record<string, unknown> }>;
  return rows.map((r) => ({
    ...r,
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
  }));
}

export const CHANGE_FIELDS = `
  replayed
  contract { id status plan { id name } billingCycle startDate endDate autoRenew cancellation { lastDay source } }
  amendment { id kind source actor effectiveAt details }
`;

export const SIGN_UP = `mutation($input: SignUpInput!) {
  signUp(input: $input) {
    replayed
    customer { id name }
    contract { id status source plan { id name } billingCycle startDate endDate }
    promotionalCreditGrant { id type amount expiresAt }
  }
}`;

export async function sendCalls(
  t: TestApp,
  customerExternalId: string,
  key: string,
  at: string,
  count: number,
  region = 'US',
) {
  const response = await t.rest('POST', '/v1/events/batch', {
    events: Array.from({ length: count }, (_, i) => ({
      customer_id: customerExternalId,
      event_name: 'api_call',
      idempotency_key: `${key}-${i}`,
      timestamp: at,
      properties: { region },
    })),
  });
  expect([response.status, response.body]).toEqual([202, expect.anything()]);
}

export function errorOf(result: {
  errors?: Array<{
    message: string;
    extensions?: { code?: string; field?: string } & Record<string, unknown>;
  }>;
}) {
  expect(result.errors?.length).toBeGreaterThan(0);
  const [error] = result.errors!;
  return { code: error.extensions?.code, field: error.extensions?.field, message: error.message };
}
