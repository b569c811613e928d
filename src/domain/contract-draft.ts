import { createHash } from 'node:crypto';
import type { ContractDraftContent, DraftIssue } from './contract-draft-content';
import { planTermIssues, type DraftPlanTermsCatalog } from './contract-draft-plan-terms';
import { feeBillingIssues, type DraftFeeCatalog } from './draft-fee-billing';
import { parseDecimal } from './money';
import { draftCustomerIssues } from './draft-customer-issues';

export { DRAFT_BILLING_CYCLES } from './contract-draft-content';
export { effectiveDraftTerms, planTermIssues } from './contract-draft-plan-terms';
export type { DraftPlanTerms, DraftPlanTermsCatalog } from './contract-draft-plan-terms';
export type {
  ContractDraftContent,
  DraftBillingCycle,
  DraftCustomer,
  DraftExtractionWarning,
  DraftFlatFee,
  DraftIssue,
  DraftOpportunity,
  DraftPlan,
  DraftPrepaidCredits,
  DraftProposedCustomer,
  DraftUnmatchedLineItem,
  DraftUsagePricing,
} from './contract-draft-content';

export function emptyDraftContent(): ContractDraftContent {
  return {
    opportunity: null,
    customer: { matchedCustomerId: null, salesforceAccountId: null, proposed: null },
    currency: null,
    contractStart: null,
    contractEnd: null,
    paymentTermsDays: null,
    billingCycle: null,
    plan: null,
    usagePricings: [],
    flatFees: [],
    prepaidCredits: null,
    unmatchedLineItems: [],
    extractionWarnings: [],
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Adds whole months to a date (clamped to the month's last day) and steps back one day: an inclusive end. */
export function inclusiveEndAfterMonths(start: string, months: number): string {
  const [y, m, d] = start.split('-').map(Number);
  const targetMonth = m - 1 + months;
  const lastDay = new Date(Date.UTC(y, targetMonth + 1, 0)).getUTCDate();
  const end = new Date(Date.UTC(y, targetMonth, Math.min(d, lastDay)));
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

function issue(code: string, field: string, message: string, blocking = true): DraftIssue {
  return { code, field, message, blocking };
}

/**
 * Everything a reviewer must look at before confirming, computed from the content (and, when the caller has
 * loaded them, what the catalog says about the fees' pricings and the plan's terms) so that editing a draft
 * recomputes it. The same rule serves every draft source: only what has no default blocks (dates, customer,
 * plan, unmatched products); a term the plan supplies is a note saying so, and a missing end date means an
 * evergreen contract. Every fee also says how it will be billed.
 */
export function computeDraftIssues(
  content: ContractDraftContent,
  feeCatalog: DraftFeeCatalog | null = null,
  planTerms: DraftPlanTermsCatalog | null = null,
): DraftIssue[] {
  const warnings = new Map(content.extractionWarnings.map((w) => [w.field, w.message]));
  const missing = (code: string, field: string, generic: string, blocking = true) =>
    issue(code, field, warnings.get(field) ?? generic, blocking);
  const issues: DraftIssue[] = [];
  const { customer } = content;
  if (!customer.matchedCustomerId && !customer.proposed?.name) {
    issues.push(missing('CUSTOMER_MISSING', 'customer', 'No customer matched and none proposed'));
  }
  if (!customer.matchedCustomerId && customer.proposed && !customer.proposed.email) {
    issues.push(
      missing(
        'CUSTOMER_EMAIL_MISSING',
        'customer.proposed.email',
        'The new customer has no billing email',
        false,
      ),
    );
  }
  issues.push(...draftCustomerIssues(customer));
  if (!content.contractStart)
    issues.push(missing('CONTRACT_START_MISSING', 'contractStart', 'Contract start date is missing'));
  if (!content.contractEnd) {
    const why = warnings.get('contractEnd');
    issues.push(
      issue(
        'CONTRACT_EVERGREEN',
        'contractEnd',
        `No end date: the contract is evergreen and runs until cancelled${why ? ` (${why})` : ''}`,
        false,
      ),
    );
  }
  if (content.contractStart && content.contractEnd && content.contractEnd < content.contractStart) {
    issues.push(issue('CONTRACT_PERIOD_INVALID', 'contractEnd', 'Contract end is before its start'));
  }
  if (!content.plan) issues.push(missing('PLAN_MISSING', 'plan', 'No pricing plan matched'));
  issues.push(...planTermIssues(content, planTerms, warnings));
  content.unmatchedLineItems.forEach((item, index) => {
    issues.push(
      issue(
        'LINE_ITEM_UNMATCHED',
        `unmatchedLineItems.${index}`,
        item.productCode
          ? `Product ${item.productCode} (${item.productName ?? 'no name'}) has no product mapping`
          : `Line item ${item.lineItemId ?? index} has no product code`,
      ),
    );
  });
  issues.push(...feeBillingIssues(content, feeCatalog));
  if (content.prepaidCredits && !content.prepaidCredits.expiresOn) {
    issues.push(
      missing('CREDITS_EXPIRY_MISSING', 'prepaidCredits.expiresOn', 'Prepaid credits have no expiry', false),
    );
  }
  for (const [field, message] of warnings) {
    if (field.startsWith('note:')) issues.push(issue('EXTRACTION_NOTE', field.slice(5), message, false));
  }
  return issues;
}

/** JSON with object keys sorted, so equal content always serializes (and hashes) the same. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface DraftChange {
  field: string;
  before: string | null;
  after: string | null;
}

function flatten(value: unknown, path: string, out: Map<string, string | null>): void {
  if (value === null || value === undefined) {
    out.set(path, null);
  } else if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, '[]');
    value.forEach((item, i) => flatten(item, path ? `${path}.${i}` : String(i), out));
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.set(path, '{}');
    for (const [key, item] of entries) flatten(item, path ? `${path}.${key}` : key, out);
  } else {
    out.set(path, String(value));
  }
}

/** What changed between two versions of a draft's content, leaf by leaf (`plan.quantity: 25 → 30`). */
export function diffDraftContent(
  before: ContractDraftContent | null,
  after: ContractDraftContent,
): DraftChange[] {
  if (!before) return [];
  const a = new Map<string, string | null>();
  const b = new Map<string, string | null>();
  flatten(before, '', a);
  flatten(after, '', b);
  const changes: DraftChange[] = [];
  for (const field of new Set([...a.keys(), ...b.keys()])) {
    if (field.startsWith('extractionWarnings')) continue;
    const was = a.get(field) ?? null;
    const now = b.get(field) ?? null;
    if (was !== now) changes.push({ field, before: was, after: now });
  }
  return changes.sort((x, y) => (x.field < y.field ? -1 : 1));
}

/** Normalizes a user- or Salesforce-supplied decimal to the fixed-point string stored in content. */
export function decimalText(value: unknown): string | null {
  const parsed = parseDecimal(value);
  return parsed ? parsed.toFixed() : null;
}
