/** Shapes of the data the documents in queries.ts ask for. Decimals are strings, as on the wire. */
export interface Connection<T> {
  nodes: T[];
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
}

export interface Environment {
  id: string;
  name: string;
  kind: string;
}

export type Dimensions = Record<string, string>;

/** A draft's terms, as the API returns them (dates `YYYY-MM-DD`, the end inclusive; amounts in currency). */
export interface DraftTerms {
  opportunityId: string | null;
  opportunityName: string | null;
  closeDate: string | null;
  amount: string | null;
  customer: {
    matchedCustomerId: string | null;
    salesforceAccountId: string | null;
    proposedName: string | null;
    proposedEmail: string | null;
  };
  currency: string | null;
  contractStart: string | null;
  contractEnd: string | null;
  paymentTermsDays: number | null;
  billingCycle: string | null;
  /** null = the plan's. */
  autoPay: boolean | null;
  plan: { planId: string; quantity: string | null; unitPrice: string | null } | null;
  /** Each matched usage pricing with every dimensional rate the customer will pay. */
  pricings: DraftPricing[];
  flatFees: Array<{ description: string; quantity: string; unitPrice: string }>;
  prepaidCredits: { grantAmount: string; invoiceAmount: string; expiresOn: string | null } | null;
  unmatchedLineItems: Array<{
    lineItemId: string | null;
    productCode: string | null;
    productName: string | null;
    quantity: string | null;
    unitPrice: string | null;
  }>;
  issues: DraftIssue[];
}

export interface DraftPricing {
  pricingId: string;
  name: string;
  meterCode: string | null;
  fallbackRate: string | null;
  fromPlan: boolean;
  rates: Array<{ dimensions: Dimensions; rate: string; catalogRate: string | null; overridden: boolean }>;
}

export interface DraftIssue {
  code: string;
  field?: string | null;
  message?: string;
  blocking?: boolean;
}

export interface DraftChange {
  field: string;
  before: string | null;
  after: string | null;
}

export interface ContractDraftSummary {
  id: string;
  status: string;
  source: string;
  updatedAt: string;
  opportunityName: string | null;
  customer: { proposedName: string | null; matchedCustomerId: string | null };
  contractStart: string | null;
  contractEnd: string | null;
  plan: { planId: string } | null;
  isReviewItem: boolean;
  issues: DraftIssue[];
}

export interface ContractDraft extends DraftTerms {
  id: string;
  status: string;
  source: string;
  createdAt: string;
  updatedAt: string;
  rejectReason: string | null;
  confirmedContractId: string | null;
  confirmedCustomerId: string | null;
  isReviewItem: boolean;
  changes: DraftChange[];
  /** The customer's name: the matched customer's, else the proposed one. */
  customerSummary: { name: string | null };
  expansionOf: DraftExpansion | null;
}

/** The draft's deal came from a self-serve customer's request to talk to sales. */
export interface DraftExpansion {
  requestId: string;
  contractId: string;
  customerId: string;
  customerName: string;
  note: string | null;
  /** What confirming would refuse about the expansion (the start, the customer). */
  issues: DraftIssue[];
}

export interface PlanOption {
  id: string;
  name: string;
  currency: string;
  netTermsDays: number;
  billingCycle: string;
}

export interface Customer {
  id: string;
  name: string;
  email: string | null;
  externalId: string | null;
  salesforceAccountId?: string | null;
  createdAt: string;
}

export interface Contract {
  id: string;
  status: string;
  startDate: string;
  endDate: string | null;
  billingCycle: string;
  billingAlignment: string;
  paymentTermsDays: number;
  currency: string;
  plan: { id: string; name: string } | null;
  /** A sales-led contract moving onto a self-serve plan at its end. */
  scheduledContraction?: { effectiveAt: string; planId: string; newContractId: string } | null;
  endsAt?: string | null;
  atEnd?: 'RENEWS' | 'ENDS' | 'CONTRACTS_TO_PLAN' | null;
  renewalNoticeDays?: number | null;
  noticeDeadline?: string | null;
  continuedBy?: { id: string; plan: { name: string } | null } | null;
}

export interface InvoiceLine {
  description: string;
  meterCode: string | null;
  dimensions: Dimensions | null;
  quantity: string;
  rate: string | null;
  unitSize: string | null;
  amount: string;
  creditsApplied: string | null;
  rateSource: string | null;
}

export interface Invoice {
  id: string;
  number: string | null;
  status: string;
  currency: string;
  periodStart: string;
  periodEnd: string;
  issuedAt: string | null;
  dueDate: string | null;
  subtotal: string | null;
  creditsApplied: string | null;
  total: string | null;
  amountDue: string | null;
  customer: { id: string; name: string };
  contract: { id: string } | null;
  lines: InvoiceLine[];
}

export type InvoiceSummary = Omit<Invoice, 'lines' | 'subtotal' | 'creditsApplied' | 'customer' | 'contract'>;

export interface UsageEvent {
  id: string;
  eventName: string;
  customerId: string;
  idempotencyKey: string | null;
  timestamp: string;
  properties: Record<string, unknown>;
}

/** A usage event the aggregator set aside (its usage is missing until it is fixed and retried). */
export interface UsageEventFailure {
  id: string;
  eventId: string;
  customerId: string | null;
  eventName: string | null;
  timestamp: string | null;
  code: string;
  reason: string;
  attempts: number;
  failedAt: string;
  retryRequestedAt: string | null;
  resolvedAt: string | null;
}

export interface CreditGrant {
  grantId: string;
  type: string;
  status: string;
  currency: string;
  description: string | null;
  granted: string;
  used: string;
  expired: string;
  remaining: string;
  expiresAt: string | null;
}

export interface CreditTotals {
  currency: string;
  granted: string;
  used: string;
  expired: string;
  remaining: string;
}

export interface CreditBalance {
  totals: CreditTotals[];
  grants: CreditGrant[];
}

export interface LedgerEntry {
  id: string;
  kind: string;
  amount: string;
  currency: string;
  description: string | null;
  grantId: string | null;
  invoiceId: string | null;
  meterCode: string | null;
  dimensions: Dimensions | null;
  grantBalanceAfter: string;
  createdAt: string;
}

export interface RateCardEntry {
  id: string;
  dimensions: Dimensions;
  rate: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface Meter {
  id: string;
  code: string;
  displayName: string;
  eventName: string;
  aggregation: string;
  aggregationKey: string | null;
  groupKeys: string[];
  rateCards: Array<{ id: string; name: string; entries: RateCardEntry[] }>;
}

export interface Pricing {
  id: string;
  name: string;
  kind: string;
  model: string | null;
  unitSize: string;
  fallbackRate: string | null;
  flatAmount: string | null;
  freeUnits: string;
  percent: string | null;
  feePerTransaction: string | null;
  tierScope: string;
  tiers: Array<{
    upTo: string | null;
    unitAmount: string;
    flatAmount: string;
    packageSize: string | null;
  }> | null;
  meter: { code: string } | null;
  rateCard: { id: string; name: string } | null;
}

export interface Plan {
  id: string;
  name: string;
  description: string | null;
  currency: string;
  billingCycle: string;
  netTermsDays: number;
  isPublic: boolean;
  items: Array<{ id: string; quantity: string; pricing: { id: string; name: string } }>;
}

export interface AccountHistoryEntry {
  id: string;
  kind: string;
  event: string;
  at: string;
  summary: string;
  currency: string | null;
  amount: string | null;
  actor: string | null;
}

export interface PaymentMethod {
  id: string;
  provider: string;
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
  isDefault: boolean;
  createdAt: string;
}
