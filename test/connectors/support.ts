import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { TestApp } from '../support/test-app';

/** Recorded Salesforce REST payloads (v62.0), copied into the repo from the team's shared recordings. */
export function recorded<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as T;
}

export const LOGIN_URL = 'https://login.salesforce.com';
export const INSTANCE_URL = 'https://acme.my.salesforce.com';
export const API = '/services/data/v62.0';
export const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };
export const TOKEN = recorded<{ access_token: string }>('oauth-refresh-success.json').access_token;

/** Network off except the Tally test server itself. */
export function isolateNetwork(): void {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
}

export function tokenEndpoint() {
  return nock(LOGIN_URL).post('/services/oauth2/token');
}

export function salesforce() {
  return nock(INSTANCE_URL);
}

/** The recorded won deal, with the custom fields a configured org fills in. */
export function wonOpportunity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = recorded<{ records: Array<Record<string, unknown>> }>('opportunity-closed-won.query.json')
    .records[0];
  return {
    ...structuredClone(base),
    Contract_Start_Date__c: '2025-02-01',
    Contract_End_Date__c: '2026-01-31',
    Payment_Terms__c: 'Net 45',
    Billing_Cycle__c: 'Annual',
    ...overrides,
  };
}

/** A copy of the recorded deal under another Opportunity id. */
export function wonOpportunityWithId(
  id: string,
  modstamp = '2025-01-15T10:00:01.000+0000',
): Record<string, unknown> {
  const opp = wonOpportunity({ Id: id, Name: `Deal ${id}`, SystemModstamp: modstamp });
  (opp.attributes as { url: string }).url = `${API}/sobjects/Opportunity/${id}`;
  return opp;
}

export function queryPage(records: unknown[], nextRecordsUrl?: string) {
  return nextRecordsUrl
    ? { totalSize: records.length, done: false, nextRecordsUrl, records }
    : { totalSize: records.length, done: true, records };
}

export const EMPTY_PAGE = { totalSize: 0, done: true, records: [] };

/**
 * Answers the won-opportunity query (/query), the not-won sweep (/queryAll) and the hard-deletion
 * read (getDeleted) of one sync.
 */
export function answerSync(wonRecords: unknown[], notWon: unknown[] = [], hardDeleted: unknown[] = []) {
  salesforce()
    .get(`${API}/query`)
    .query((q) => String(q.q).includes('IsWon = true'))
    .reply(200, queryPage(wonRecords), JSON_HEADERS);
  salesforce()
    .get(`${API}/queryAll`)
    .query((q) => String(q.q).includes('IsWon = false'))
    .reply(200, queryPage(notWon), JSON_HEADERS);
  answerDeletions(hardDeleted);
}

/** Answers the sync's hard-deletion read (getDeleted on Opportunity), on `host` (the instance by default). */
export function answerDeletions(hardDeleted: unknown[] = [], host = INSTANCE_URL) {
  nock(host)
    .get(`${API}/sobjects/Opportunity/deleted/`)
    .query(true)
    .reply(
      200,
      { deletedRecords: hardDeleted, earliestDateAvailable: null, latestDateCovered: null },
      JSON_HEADERS,
    );
}

/** The recorded won deal's fields as a Salesforce user would create it (no Id, Account or stamps). */
export function wonOpportunityFields(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const {
    attributes: _attributes,
    Id: _id,
    Account: _account,
    AccountId: _accountId,
    SystemModstamp: _modstamp,
    OpportunityLineItems: items,
    ...fields
  } = wonOpportunity();
  return { ...fields, OpportunityLineItems: (items as { records: unknown[] }).records, ...overrides };
}

/** The recorded deal's Account fields (without Tally's id). */
export function recordedAccountFields(): Record<string, unknown> {
  const { attributes: _attributes, Id: _id, ...fields } = wonOpportunity().Account as Record<string, unknown>;
  return fields;
}

export interface Catalog {
  planId: string;
  pricingId: string;
  customerId: string;
}

/** The seed's AI call catalog: a meter with region × outcome, a 9-rate card, a pricing and a plan. */
export async function createCatalog(t: TestApp): Promise<Catalog> {
  await t.gqlOk(
    `mutation { createMeter(input: { code: "AI_CALL", displayName: "AI calls", eventName: "ai_call",
       aggregation: SUM, aggregationKey: "duration_minutes", groupKeys: ["region", "call_outcome"] }) { id } }`,
  );
  const rates: Record<string, Record<string, string>> = {
    US: { resolved: '0.20', transferred: '0.40', escalated: '0.75' },
    EU: { resolved: '0.25', transferred: '0.50', escalated: '0.75' },
    APAC: { resolved: '0.30', transferred: '0.60', escalated: '0.90' },
  };
  const entries = Object.entries(rates).flatMap(([region, byOutcome]) =>
    Object.entries(byOutcome).map(([outcome, rate]) => ({
      dimensions: { region, call_outcome: outcome },
      rate,
    })),
  );
  const card = await t.gqlOk<{ createRateCard: { id: string } }>(
    'mutation($entries: [RateCardEntryInput!]!) { createRateCard(input: { meterCode: "AI_CALL", name: "AI call rates", entries: $entries }) { id } }',
    { entries },
  );
  const pricing = await t.gqlOk<{ createPricing: { id: string } }>(
    `mutation($card: ID!) { createPricing(input: { name: "AI Call Pricing", meterCode: "AI_CALL", model: PER_UNIT,
       fallbackRate: "0.50", rateCardId: $card }) { id } }`,
    { card: card.createRateCard.id },
  );
  const plan = await t.gqlOk<{ createPlan: { id: string } }>(
    `mutation($pricing: ID!) { createPlan(input: { name: "AI Support Plan", currency: "USD", netTermsDays: 30,
       billingCycle: MONTHLY, items: [{ pricingId: $pricing }] }) { id } }`,
    { pricing: pricing.createPricing.id },
  );
  const customer = await t.gqlOk<{ createCustomer: { id: string } }>(
    'mutation { createCustomer(input: { name: "Globex", salesforceAccountId: "0015g00000GlobxAAA" }) { id } }',
  );
  return {
    planId: plan.createPlan.id,
    pricingId: pricing.createPricing.id,
    customerId: customer.createCustomer.id,
  };
}

export async function mapProducts(t: TestApp, catalog: Catalog): Promise<void> {
  for (const input of [
    { productCode: 'PLAN-PRO-ANNUAL', targetKind: 'PLAN', targetId: catalog.planId },
    { productCode: 'CREDITS-PREPAID', targetKind: 'PREPAID_CREDITS', creditGrantBasis: 'LIST_PRICE' },
    { productCode: 'FEE-ONBOARDING', targetKind: 'FLAT_FEE' },
  ]) {
    await t.gqlOk('mutation($input: SetProductMappingInput!) { setProductMapping(input: $input) { id } }', {
      input,
    });
  }
}

/**
 * Connects Salesforce through GraphQL (the token endpoint answers with the recorded refresh, unless
 * `recordedToken` is false: a FakeSalesforce answers it then).
 */
export async function connectSalesforce(
  t: TestApp,
  syncFrom = '2025-01-01T00:00:00Z',
  { recordedToken = true } = {},
): Promise<string> {
  if (recordedToken) tokenEndpoint().reply(200, recorded('oauth-refresh-success.json'), JSON_HEADERS);
  const result = await t.gqlOk<{ connectSalesforce: { triggerSecret: string } }>(
    `mutation($input: ConnectSalesforceInput!) { connectSalesforce(input: $input) { triggerSecret connection { id status } } }`,
    {
      input: {
        loginUrl: LOGIN_URL,
        instanceUrl: INSTANCE_URL,
        clientId: '3MVG9-test-consumer-key',
        clientSecret: 'test-consumer-secret',
        refreshToken: '5Aep861-original-refresh-token',
        syncFrom,
      },
    },
  );
  return result.connectSalesforce.triggerSecret;
}

/** A TestApp whose Salesforce client never really sleeps between retries. */
export async function startApp(): Promise<TestApp> {
  const t = await TestApp.start();
  t.app.services.salesforce.clientOptions = { sleep: async () => undefined };
  t.clock.set('2025-01-15T12:00:00Z');
  return t;
}

export const SYNC =
  'mutation { syncSalesforce { status reason pages created updated unchanged reviewItems voided watermark } }';
