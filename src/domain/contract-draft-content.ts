/**
 * The terms of a Contract Extraction draft, whatever its source (Salesforce or typed in by ops).
 * Plain JSON (decimals as fixed-point strings, dates as `YYYY-MM-DD`) so it is stored as-is in a JSON
 * column, hashed, diffed and shown to the reviewer without conversion.
 */
export type DraftBillingCycle = 'WEEKLY' | 'MONTHLY' | 'QUARTERLY' | 'SEMIANNUAL' | 'ANNUAL';
export const DRAFT_BILLING_CYCLES: readonly DraftBillingCycle[] = [
  'WEEKLY',
  'MONTHLY',
  'QUARTERLY',
  'SEMIANNUAL',
  'ANNUAL',
];

export interface DraftProposedCustomer {
  name: string;
  email: string | null;
  address: string | null;
  website: string | null;
}

export interface DraftCustomer {
  /** An existing Tally customer the deal belongs to (matched by Salesforce Account id), or one picked by ops. */
  matchedCustomerId: string | null;
  salesforceAccountId: string | null;
  /** Used to create the customer at confirmation when nothing matched. */
  proposed: DraftProposedCustomer | null;
}

export interface DraftPlan {
  planId: string;
  /** Seats or units of the plan line, when the deal says so. */
  quantity: string | null;
  unitPrice: string | null;
  listPrice: string | null;
  sourceLineItemId: string | null;
}

/** A usage pricing the contract includes; `overrideRate` (when set) replaces the catalog rate for `dimensions`. */
export interface DraftUsagePricing {
  pricingId: string;
  /** The dimension combination the override applies to; `{}` = every rate of the pricing. */
  dimensions: Record<string, string>;
  overrideRate: string | null;
  listRate: string | null;
  sourceLineItemId: string | null;
}

export interface DraftFlatFee {
  pricingId: string | null;
  description: string;
  quantity: string;
  unitPrice: string;
  listPrice: string | null;
  serviceDate: string | null;
  sourceLineItemId: string | null;
}

export interface DraftPrepaidCredits {
  /** Credit granted to the customer (currency amount). */
  grantAmount: string;
  /** What the customer is invoiced for the credits (the commitment invoice). */
  invoiceAmount: string;
  expiresOn: string | null;
}

export interface DraftUnmatchedLineItem {
  lineItemId: string | null;
  productCode: string | null;
  productName: string | null;
  quantity: string | null;
  unitPrice: string | null;
}

/** A problem found while extracting a field; shown instead of the generic "missing" issue while the field is empty. */
export interface DraftExtractionWarning {
  field: string;
  message: string;
}

export interface DraftOpportunity {
  id: string;
  name: string;
  closeDate: string | null;
  amount: string | null;
}

export interface ContractDraftContent {
  opportunity: DraftOpportunity | null;
  customer: DraftCustomer;
  currency: string | null;
  contractStart: string | null;
  /** Inclusive last day of the contract; null = evergreen (runs until cancelled). */
  contractEnd: string | null;
  /** null = the plan's (as billing cycle and auto-pay). */
  paymentTermsDays: number | null;
  billingCycle: DraftBillingCycle | null;
  /**
   * Absent on drafts of sources that never state it (Salesforce deals) and on drafts stored before it
   * existed, so their content hash is unchanged; absent or null = the plan's.
   */
  autoPay?: boolean | null;
  plan: DraftPlan | null;
  usagePricings: DraftUsagePricing[];
  flatFees: DraftFlatFee[];
  prepaidCredits: DraftPrepaidCredits | null;
  unmatchedLineItems: DraftUnmatchedLineItem[];
  extractionWarnings: DraftExtractionWarning[];
}

export interface DraftIssue {
  code: string;
  /** Path of the content field the issue is about, e.g. `contractEnd` or `unmatchedLineItems.1`. */
  field: string;
  message: string;
  /** Blocking issues must be resolved (by editing the draft) before it can be confirmed. */
  blocking: boolean;
}
