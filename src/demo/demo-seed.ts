import { DEFAULT_FIELD_CONFIG } from '../../connectors/salesforce';
import type { App } from '../app';
import { RequestContext } from '../context';
import { withTransaction } from '../db/transaction';
import { Decimal } from '../domain/money';
import { EnvironmentEntity } from '../entities/environment.entity';
import { OrganizationEntity } from '../entities/organization.entity';
import { DEMO_CONNECTION_ID, DEMO_PRODUCT_CODES, demoOpportunity } from './canned-deal';
import { monthKey, monthStart, seedCallsOn, type DemoCall } from './demo-calendar';
import {
  ACME_SUPPORT,
  AI_CALL_CENTER_PLAN,
  AI_CALL_METER,
  AI_CALL_PRICING,
  AI_CALL_RATES,
} from './seed-data';

/** The organization the demo lives in; a re-run finds it by this name and adds nothing twice. */
export const DEMO_ORGANIZATION = 'Tally Demo';
/** Acme's prepaid grant: $100, drawn down by last month's invoice and previewed on the live draft. */
export const DEMO_GRANT_CENTS = 10_000;
/** Last month's calls (a part of the seed's day): $17.05, finalized. */
export const LAST_MONTH_CALL_IDS: readonly string[] = ['call_001', 'call_003', 'call_005'];

export interface DemoResult {
  /** A fresh key for the demo environment (every run issues one: keys are stored hashed only). */
  apiKey: string;
  organizationId: string;
  environmentId: string;
  planId: string;
  customerId: string;
  contractId: string;
  /** Last month's invoice, finalized (its PDF at /v1/invoices/<id>.pdf). */
  pastInvoiceId: string;
  /** This month's draft, priced live from the seed's six calls (and the trickle). */
  draftInvoiceId: string;
  /** The Contract Extraction draft of the canned Salesforce deal, waiting for review. */
  contractDraftId: string;
}

interface DemoBase {
  organizationId: string;
  environmentId: string;
  planId: string;
  customerId: string;
  contractId: string;
}

/**
 * Loads the seeds/002 AI call-center walkthrough, alive: the catalog, Acme Support Co with a contract from
 * the start of last month and a $100 prepaid grant, last month's calls finalized into an invoice (credits
 * drawn down), this month's six seed calls on the live $21.35 draft, and a Contract Extraction draft of a
 * canned Salesforce deal waiting for review. Everything goes through the services, so the demo obeys the
 * API's rules. Idempotent: each step is either skipped when done (organization, finalized invoice) or
 * deduplicated (events by idempotency key, the deal by Opportunity id), so a re-run, or a run after a
 * crash half-way, completes the demo without duplicating anything.
 */
export async function loadDemo(app: App): Promise<DemoResult> {
  const system = demoContext(app);
  const { base, apiKey } = await openDemo(app, system);
  const env = system.forEnvironment(base.environmentId, base.organizationId);
  const pastInvoiceId = await closeLastMonth(app, env, base);
  await sendCalls(app, env, seedCallsOn(monthStart(env.now()), env.now()));
  const contractDraftId = await syncCannedDeal(app, env, base.planId);
  const draft = await app.services.invoices.currentForContract(env, base.contractId);
  if (!draft) throw new Error('the demo contract has no current invoice');
  return { ...base, apiKey, pastInvoiceId, draftInvoiceId: draft.id, contractDraftId };
}

/** A system context for the demo's work; in the demo's environment when given its ids. */
export function demoContext(app: App, environmentId = '', organizationId = ''): RequestContext {
  return new RequestContext(
    app.db,
    environmentId,
    organizationId,
    { kind: 'SYSTEM', name: 'demo' },
    app.clock,
    app.log,
    'demo',
  );
}

/**
 * The demo of an earlier run with a fresh key for it (the first key cannot be shown again: keys are
 * stored hashed), or a new demo with its bootstrap key.
 */
async function openDemo(app: App, system: RequestContext): Promise<{ base: DemoBase; apiKey: string }> {
  const found = await findDemo(app, system);
  if (!found) return createDemo(app, system);
  const env = system.forEnvironment(found.environmentId, found.organizationId);
  return { base: found, apiKey: (await app.services.apiKeys.create(env, 'demo', 'live')).secret };
}

/** The demo of an earlier run, if any: its organization, environment, customer, contract and plan. */
async function findDemo(app: App, system: RequestContext): Promise<DemoBase | null> {
  const organization = await system
    .repo(OrganizationEntity)
    .findOne({ where: { name: DEMO_ORGANIZATION }, order: { createdAt: 'ASC' } });
  if (!organization) return null;
  const environment = await system
    .repo(EnvironmentEntity)
    .findOneOrFail({ where: { organizationId: organization.id, kind: 'LIVE' } });
  const env = system.forEnvironment(environment.id, organization.id);
  const customer = await app.services.customers.getByExternalIdOrThrow(env, ACME_SUPPORT.externalId);
  const contracts = await app.services.contracts.list(env, { customerId: customer.id, first: 1 });
  const contract = contracts.nodes[0];
  if (!contract) throw new Error(`the demo organization ${organization.id} has no contract`);
  return {
    organizationId: organization.id,
    environmentId: environment.id,
    planId: contract.planId,
    customerId: customer.id,
    contractId: contract.id,
  };
}

/** The organization, catalog, customer, contract and grant, in one transaction. */
async function createDemo(app: App, system: RequestContext): Promise<{ base: DemoBase; apiKey: string }> {
  const { meters, rateCards, pricings, plans, customers, contracts, organizations } = app.services;
  return withTransaction(system, async (tx) => {
    const created = await organizations.bootstrap(tx, DEMO_ORGANIZATION);
    const env = tx.forEnvironment(created.environment.id, created.organization.id);
    const meter = await meters.create(env, { ...AI_CALL_METER, groupKeys: [...AI_CALL_METER.groupKeys] });
    const rateCard = await rateCards.create(env, {
      meterCode: meter.code,
      name: 'AI call rates',
      entries: AI_CALL_RATES.map(([region, call_outcome, rate]) => ({
        dimensions: { region, call_outcome },
        rate: new Decimal(rate),
      })),
    });
    const pricing = await pricings.createUsage(env, {
      name: AI_CALL_PRICING.name,
      meterCode: meter.code,
      model: AI_CALL_PRICING.model,
      fallbackRate: new Decimal(AI_CALL_PRICING.fallbackRate),
      rateCardId: rateCard.id,
    });
    const plan = await plans.create(env, { ...AI_CALL_CENTER_PLAN, items: [{ pricingId: pricing.id }] });
    const customer = await customers.create(env, { ...ACME_SUPPORT });
    const now = env.now();
    // Two years from the start of last month, as the seed's contract; the grant lasts the contract.
    const contract = await contracts.create(env, {
      customerId: customer.id,
      planId: plan.id,
      startDate: monthStart(now, -1),
      endDate: new Date(monthStart(now, 23).getTime() - 86_400_000),
      creditGrantCents: DEMO_GRANT_CENTS,
      creditSettings: { description: 'Prepaid credits for AI usage' },
    });
    return {
      apiKey: created.apiKey,
      base: {
        organizationId: created.organization.id,
        environmentId: created.environment.id,
        planId: plan.id,
        customerId: customer.id,
        contractId: contract.id,
      },
    };
  });
}

/**
 * Last month's invoice: its calls (on the month's last day, inside the events API's grace window), then
 * finalization, which draws the prepaid credits down. Skipped once finalized.
 */
async function closeLastMonth(app: App, env: RequestContext, base: DemoBase): Promise<string> {
  const lastMonth = monthStart(env.now(), -1);
  const invoices = await app.services.invoices.list(env, { customerId: base.customerId, first: 100 });
  const invoice = invoices.nodes.find(
    (i) => i.kind === 'PERIOD' && i.contractId === base.contractId && +i.periodStart === +lastMonth,
  );
  if (!invoice) throw new Error(`the demo contract has no invoice for ${monthKey(lastMonth)}`);
  if (invoice.status !== 'DRAFT') return invoice.id;
  const lastDay = new Date(monthStart(env.now()).getTime() - 86_400_000);
  await sendCalls(app, env, seedCallsOn(lastDay, env.now(), LAST_MONTH_CALL_IDS));
  const { outcome } = await app.services.invoices.finalize(env, invoice.id);
  if (outcome !== 'FINALIZED' && outcome !== 'ALREADY_FINAL') {
    throw new Error(`could not finalize the demo's invoice ${invoice.id}: ${outcome}`);
  }
  return invoice.id;
}

/** Stores the calls (deduplicated by a key naming their month) and folds them into the usage aggregates. */
async function sendCalls(app: App, env: RequestContext, calls: DemoCall[]): Promise<void> {
  const result = await app.services.events.ingest(
    env,
    calls.map((call) => ({
      customerId: ACME_SUPPORT.externalId,
      eventName: AI_CALL_METER.eventName,
      idempotencyKey: `demo-${monthKey(call.at)}-${call.callId}`,
      timestamp: call.at.toISOString(),
      properties: {
        region: call.region,
        call_outcome: call.outcome,
        duration_minutes: call.minutes,
        agent_id: 'agent_456',
      },
    })),
  );
  const rejected = result.results.find((r) => r.status === 'rejected');
  if (rejected) throw new Error(`a demo event was rejected: ${JSON.stringify(rejected)}`);
  await app.workers.aggregator.drain();
}

/**
 * The canned deal through the Salesforce sync's own entry (product mappings, then the draft upsert keyed by
 * Opportunity id), so the review queue holds exactly what a real poll would have put there.
 */
async function syncCannedDeal(app: App, env: RequestContext, planId: string): Promise<string> {
  const { productMappings, contractDrafts } = app.services;
  await productMappings.set(env, {
    productCode: DEMO_PRODUCT_CODES.plan,
    targetKind: 'PLAN',
    targetId: planId,
  });
  await productMappings.set(env, {
    productCode: DEMO_PRODUCT_CODES.credits,
    targetKind: 'PREPAID_CREDITS',
    creditGrantBasis: 'SALE_PRICE',
  });
  const opportunity = demoOpportunity(env.now());
  await withTransaction(env, async (tx) =>
    contractDrafts.applyOpportunities(
      tx,
      DEMO_CONNECTION_ID,
      [opportunity],
      await productMappings.rules(tx),
      DEFAULT_FIELD_CONFIG,
    ),
  );
  const drafts = await contractDrafts.list(env, { first: 100 });
  const draft = drafts.nodes.find((d) => d.opportunityId === opportunity.Id && d.reviewSeq === 0);
  if (!draft) throw new Error('the canned deal produced no contract draft');
  return draft.id;
}
