import type { TestApp } from './test-app';

/**
 * Scenario helpers for the invoice acceptance tests: every step goes through the public GraphQL API or the
 * REST events API, as a client would.
 */
export const INVOICE_FIELDS = `
  id number status currency periodStart periodEnd subtotal creditsApplied total amountDue amountPaid
  issuedAt dueDate
  contract { id } customer { id }
  lines {
    position kind description meterCode dimensions quantity rate unitSize preciseAmount amount rateSource
    creditsApplied serviceFrom serviceTo
  }
`;

export interface InvoiceLineResult {
  position: number;
  kind: string;
  description: string;
  meterCode: string | null;
  dimensions: Record<string, string> | null;
  quantity: string;
  rate: string | null;
  unitSize: string | null;
  preciseAmount: string;
  amount: string;
  rateSource: string | null;
  serviceFrom: string;
  serviceTo: string;
}

export interface InvoiceResult {
  id: string;
  number: string | null;
  status: string;
  currency: string;
  periodStart: string;
  periodEnd: string;
  subtotal: string;
  creditsApplied: string;
  total: string;
  amountDue: string;
  issuedAt: string | null;
  dueDate: string | null;
  lines: InvoiceLineResult[];
}

export async function createMeter(
  t: TestApp,
  input: {
    code: string;
    displayName: string;
    eventName: string;
    aggregation: string;
    aggregationKey?: string | null;
    groupKeys?: string[];
    allowNegative?: boolean;
  },
): Promise<string> {
  const data = await t.gqlOk<{ createMeter: { id: string } }>(
    'mutation($input: CreateMeterInput!) { createMeter(input: $input) { id } }',
    { input },
  );
  return data.createMeter.id;
}

export async function createRateCard(
  t: TestApp,
  meterCode: string,
  entries: Array<{
    dimensions: Record<string, string>;
    rate: string;
    effectiveFrom?: string;
    effectiveTo?: string;
  }>,
): Promise<string> {
  const data = await t.gqlOk<{ createRateCard: { id: string } }>(
    'mutation($input: CreateRateCardInput!) { createRateCard(input: $input) { id } }',
    { input: { meterCode, name: `${meterCode} rates`, entries } },
  );
  return data.createRateCard.id;
}

export async function createPricing(
  t: TestApp,
  input: {
    name: string;
    meterCode: string;
    model: string;
    fallbackRate: string;
    unitSize?: string;
    rateCardId?: string;
    tiers?: Array<{ upTo: string | null; unitAmount: string; flatAmount?: string }>;
  },
): Promise<string> {
  const data = await t.gqlOk<{ createPricing: { id: string } }>(
    'mutation($input: CreatePricingInput!) { createPricing(input: $input) { id } }',
    { input },
  );
  return data.createPricing.id;
}

export async function createFlatFee(t: TestApp, name: string, amount: string): Promise<string> {
  const data = await t.gqlOk<{ createFlatFee: { id: string } }>(
    'mutation($input: CreateFlatFeeInput!) { createFlatFee(input: $input) { id } }',
    { input: { name, amount } },
  );
  return data.createFlatFee.id;
}

export async function createPlan(
  t: TestApp,
  input: {
    name: string;
    currency?: string;
    netTermsDays?: number;
    autoPay?: boolean;
    billingCycle?: string;
    items: Array<{ pricingId: string; quantity?: string }>;
  },
): Promise<string> {
  const data = await t.gqlOk<{ createPlan: { id: string } }>(
    'mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }',
    { input: { currency: 'USD', ...input } },
  );
  return data.createPlan.id;
}

export async function createCustomer(t: TestApp, name: string, externalId?: string): Promise<string> {
  const data = await t.gqlOk<{ createCustomer: { id: string } }>(
    'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
    { input: { name, ...(externalId ? { externalId } : {}) } },
  );
  return data.createCustomer.id;
}

export const CREATE_CONTRACT = `mutation($input: CreateContractInput!) {
  createContract(input: $input) {
    id status currency startDate endDate billingCycle paymentTermsDays autoPay dimensions
    rateOverrides { meterCode dimensions rate }
  }
}`;

export async function createContract(t: TestApp, input: Record<string, unknown>): Promise<string> {
  const data = await t.gqlOk<{ createContract: { id: string } }>(CREATE_CONTRACT, { input });
  return data.createContract.id;
}

export async function sendEvent(
  t: TestApp,
  event: {
    customer_id: string;
    event_name: string;
    idempotency_key: string;
    timestamp?: string;
    properties: Record<string, unknown>;
  },
): Promise<{ status: number; body: unknown }> {
  return t.rest('POST', '/v1/events', event);
}

export async function draftInvoice(t: TestApp, contractId: string): Promise<InvoiceResult> {
  const data = await t.gqlOk<{ draftInvoice: InvoiceResult }>(
    `query($id: ID!) { draftInvoice(contractId: $id) { ${INVOICE_FIELDS} } }`,
    { id: contractId },
  );
  return data.draftInvoice;
}

export async function invoicesOf(t: TestApp, customerId: string, status?: string): Promise<InvoiceResult[]> {
  const data = await t.gqlOk<{ invoices: { nodes: InvoiceResult[] } }>(
    `query($customerId: ID!, $status: InvoiceStatus) {
       invoices(customerId: $customerId, status: $status, first: 20) { nodes { ${INVOICE_FIELDS} } }
     }`,
    { customerId, status },
  );
  return data.invoices.nodes;
}

export async function finalizeInvoice(t: TestApp, id: string): Promise<InvoiceResult> {
  const data = await t.gqlOk<{ finalizeInvoice: InvoiceResult }>(
    `mutation($id: ID!) { finalizeInvoice(id: $id) { ${INVOICE_FIELDS} } }`,
    { id },
  );
  return data.finalizeInvoice;
}

/** A line as `description → amount (source)`, for readable assertions. */
export function summarize(lines: InvoiceLineResult[]): string[] {
  return lines.map(
    (l) => `${l.description} | ${l.quantity} × ${l.rate ?? '-'} = ${l.amount} (${l.rateSource ?? '-'})`,
  );
}
