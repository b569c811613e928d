import {
  computeDraftIssues,
  decimalText,
  emptyDraftContent,
  inclusiveEndAfterMonths,
  isIsoDate,
  sha256Hex,
  stableStringify,
  type ContractDraftContent,
  type DraftBillingCycle,
  type DraftExtractionWarning,
  type DraftIssue,
} from '../../src/domain/contract-draft';
import type { Decimal } from '../../src/domain/money';
import { ZERO, parseDecimal } from '../../src/domain/money';
import type { SalesforceFieldConfig } from './soql';

/** The shapes Salesforce returns for the won-opportunity query (see soql.ts). Numbers arrive as JSON floats. */
export interface SalesforceLineItem {
  Id: string;
  Quantity: number | null;
  UnitPrice: number | null;
  ListPrice: number | null;
  TotalPrice?: number | null;
  ServiceDate: string | null;
  Description?: string | null;
  Product2Id?: string | null;
  Product2: { ProductCode: string | null; Name: string | null } | null;
}

export interface SalesforceAccount {
  Id: string;
  Name: string;
  BillingStreet?: string | null;
  BillingCity?: string | null;
  BillingState?: string | null;
  BillingPostalCode?: string | null;
  BillingCountry?: string | null;
  Website?: string | null;
  [field: string]: unknown;
}

export interface SalesforceOpportunity {
  Id: string;
  Name: string;
  StageName?: string;
  IsWon: boolean;
  CloseDate?: string | null;
  Amount?: number | null;
  AccountId?: string | null;
  SystemModstamp: string;
  Account?: SalesforceAccount | null;
  OpportunityLineItems?: { records: SalesforceLineItem[] } | null;
  [field: string]: unknown;
}

export type ProductTargetKind = 'PLAN' | 'USAGE_PRICING' | 'PREPAID_CREDITS' | 'FLAT_FEE';
/** What one prepaid credit line grants: its sale price (what is paid), its list price, or its quantity as money. */
export type CreditGrantBasis = 'SALE_PRICE' | 'LIST_PRICE' | 'QUANTITY';

export interface ProductMappingRule {
  productCode: string;
  targetKind: ProductTargetKind;
  /** Plan id, pricing id (usage or flat fee); optional for prepaid credits and flat fees. */
  targetId: string | null;
  /** For usage pricings: the dimension combination the line's price applies to (`{}` = all). */
  dimensions: Record<string, string> | null;
  creditGrantBasis: CreditGrantBasis | null;
}

export interface MapOpportunityInput {
  opportunity: SalesforceOpportunity;
  mappings: ReadonlyMap<string, ProductMappingRule>;
  fields: SalesforceFieldConfig;
  /** Tally customers by Salesforce Account id (resolved by the caller, so this stays pure). */
  customerIdByAccountId: ReadonlyMap<string, string>;
}

export interface MappedOpportunity {
  content: ContractDraftContent;
  issues: DraftIssue[];
  /** Hash of the extracted content (without the customer match): equal hash, nothing to do for a pending draft. */
  contentHash: string;
  /** Hash of the deal as read from Salesforce: a confirmed draft only gets a review item when this changes. */
  sourceHash: string;
  systemModstamp: Date;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}

function fieldValue(record: Record<string, unknown>, field: string | null): unknown {
  return field ? record[field] : undefined;
}

/** Salesforce datetimes look like `2025-01-15T10:00:01.000+0000`; JavaScript wants `+00:00`. */
export function parseSalesforceDateTime(value: string): Date {
  return new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

export function parseBillingCycle(value: string): DraftBillingCycle | null {
  const v = value.trim().toLowerCase();
  if (/^month(ly)?$/.test(v)) return 'MONTHLY';
  if (/^quarter(ly)?$/.test(v)) return 'QUARTERLY';
  if (/^(annual(ly)?|year(ly)?)( in advance)?$/.test(v)) return 'ANNUAL';
  return null;
}

/** "45", 45, "Net 45", "45 days" → 45; "Due on receipt" → 0; anything else → null. */
export function parsePaymentTerms(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
  const v = String(value).trim();
  const days = /^(?:net\s*)?(\d{1,3})(?:\s*days?)?$/i.exec(v);
  if (days) return Number(days[1]);
  if (/^due (on|upon) receipt$/i.test(v)) return 0;
  return null;
}

function stripVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripVolatile);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'attributes' || key === 'SystemModstamp' || key === 'LastModifiedDate') continue;
      if (key === 'totalSize' || key === 'done' || key === 'nextRecordsUrl') continue;
      out[key] = stripVolatile(item);
    }
    return out;
  }
  return value;
}

/**
 * What Tally itself writes back (its customer id on the Account, the Contract on the Opportunity) is not a
 * change of the deal: a confirmed deal must not come back for review because its confirmation was pushed.
 */
function withoutTallyWrites(
  opp: SalesforceOpportunity,
  fields: SalesforceFieldConfig,
): SalesforceOpportunity {
  const { ContractId: _contractId, ...rest } = opp;
  const customerIdField = fields.accountCustomerIdField;
  if (!rest.Account || !customerIdField) return rest;
  const { [customerIdField]: _customerId, ...account } = rest.Account;
  return { ...rest, Account: account as SalesforceOpportunity['Account'] };
}

const dec = (value: unknown): Decimal | null => parseDecimal(value);

/**
 * Turns one won Opportunity into draft content. Pure: the product mappings, the field configuration
 * and the known customers come in as arguments. Line items are matched by ProductCode only; anything
 * missing or unmatched becomes an issue for the reviewer, never a guess.
 */
export function mapOpportunity(input: MapOpportunityInput): MappedOpportunity {
  const { opportunity: opp, mappings, fields } = input;
  const content = emptyDraftContent();
  const warnings: DraftExtractionWarning[] = [];
  const warn = (field: string, message: string) => warnings.push({ field, message });
  const lineItems = [...(opp.OpportunityLineItems?.records ?? [])].sort((a, b) => (a.Id < b.Id ? -1 : 1));

  content.opportunity = {
    id: opp.Id,
    name: opp.Name,
    closeDate: text(opp.CloseDate),
    amount: opp.Amount === null || opp.Amount === undefined ? null : decimalText(opp.Amount),
  };

  // Customer: an existing customer with this Account id, else a proposal built from the Account.
  const account = opp.Account ?? null;
  const accountId = text(opp.AccountId) ?? account?.Id ?? null;
  content.customer.salesforceAccountId = accountId;
  content.customer.matchedCustomerId = accountId
    ? (input.customerIdByAccountId.get(accountId) ?? null)
    : null;
  if (account) {
    const address = [
      account.BillingStreet,
      account.BillingCity,
      account.BillingState,
      account.BillingPostalCode,
      account.BillingCountry,
    ]
      .map(text)
      .filter(Boolean)
      .join(', ');
    const email = text(fieldValue(account, fields.billingEmailField));
    content.customer.proposed = {
      name: account.Name,
      email,
      address: address || null,
      website: text(account.Website),
    };
    if (!email && fields.billingEmailField) {
      warn('customer.proposed.email', `Account.${fields.billingEmailField} is empty`);
    }
  } else {
    warn('customer', 'The Opportunity has no Account');
  }

  content.currency = text(fieldValue(opp, fields.currencyField));

  // Line items, by product mapping.
  let creditInvoice: Decimal | null = null;
  let creditGrant: Decimal | null = null;
  lineItems.forEach((item) => {
    const code = text(item.Product2?.ProductCode);
    const mapping = code ? mappings.get(code) : undefined;
    const quantity = dec(item.Quantity);
    const unitPrice = dec(item.UnitPrice);
    const listPrice = dec(item.ListPrice);
    const unmatched = () =>
      content.unmatchedLineItems.push({
        lineItemId: item.Id,
        productCode: code,
        productName: text(item.Product2?.Name),
        quantity: quantity?.toFixed() ?? null,
        unitPrice: unitPrice?.toFixed() ?? null,
      });
    if (!mapping) return unmatched();
    switch (mapping.targetKind) {
      case 'PLAN':
        if (!mapping.targetId || content.plan) {
          if (content.plan) warn(`note:unmatchedLineItems`, `Product ${code} is a second plan line`);
          return unmatched();
        }
        content.plan = {
          planId: mapping.targetId,
          quantity: quantity?.toFixed() ?? null,
          unitPrice: unitPrice?.toFixed() ?? null,
          listPrice: listPrice?.toFixed() ?? null,
          sourceLineItemId: item.Id,
        };
        return;
      case 'USAGE_PRICING': {
        if (!mapping.targetId) return unmatched();
        // The negotiated price overrides the catalog rate only when it differs from the list price.
        const negotiated = unitPrice && (!listPrice || !unitPrice.eq(listPrice));
        content.usagePricings.push({
          pricingId: mapping.targetId,
          dimensions: mapping.dimensions ?? {},
          overrideRate: negotiated ? unitPrice.toFixed() : null,
          listRate: listPrice?.toFixed() ?? null,
          sourceLineItemId: item.Id,
        });
        return;
      }
      case 'PREPAID_CREDITS': {
        if (!quantity || !unitPrice) return unmatched();
        const paid = quantity.mul(unitPrice);
        const basis = mapping.creditGrantBasis ?? 'SALE_PRICE';
        const granted =
          basis === 'QUANTITY'
            ? quantity
            : basis === 'LIST_PRICE'
              ? quantity.mul(listPrice ?? unitPrice)
              : paid;
        creditInvoice = (creditInvoice ?? ZERO).add(paid);
        creditGrant = (creditGrant ?? ZERO).add(granted);
        return;
      }
      case 'FLAT_FEE':
        if (!quantity || !unitPrice) return unmatched();
        content.flatFees.push({
          pricingId: mapping.targetId,
          description: text(item.Product2?.Name) ?? code ?? item.Id,
          quantity: quantity.toFixed(),
          unitPrice: unitPrice.toFixed(),
          listPrice: listPrice?.toFixed() ?? null,
          serviceDate: text(item.ServiceDate),
          sourceLineItemId: item.Id,
        });
        return;
    }
  });

  // Contract period: configured fields first; the earliest service date is the documented fallback for the start.
  const startField = text(fieldValue(opp, fields.contractStartField));
  const serviceDates = lineItems
    .map((i) => text(i.ServiceDate))
    .filter((d): d is string => !!d && isIsoDate(d));
  if (startField && isIsoDate(startField)) {
    content.contractStart = startField;
  } else if (serviceDates.length) {
    content.contractStart = [...serviceDates].sort()[0];
    warn('note:contractStart', 'Contract start taken from the earliest line item service date');
  } else {
    warn(
      'contractStart',
      fields.contractStartField
        ? `Opportunity.${fields.contractStartField} is empty and no line item has a service date`
        : 'No contract start field is configured and no line item has a service date',
    );
  }
  const endField = text(fieldValue(opp, fields.contractEndField));
  const termMonths = dec(fieldValue(opp, fields.termMonthsField));
  if (endField && isIsoDate(endField)) {
    content.contractEnd = endField;
  } else if (termMonths && termMonths.isInteger() && termMonths.gt(0) && content.contractStart) {
    content.contractEnd = inclusiveEndAfterMonths(content.contractStart, parseInt(termMonths.toFixed(0), 10));
  } else {
    const configured = [fields.contractEndField, fields.termMonthsField]
      .filter(Boolean)
      .map((f) => `Opportunity.${f}`);
    warn(
      'contractEnd',
      configured.length
        ? `${configured.join(' and ')} ${configured.length > 1 ? 'are' : 'is'} empty`
        : 'No contract end or term field is configured',
    );
  }

  const terms = fieldValue(opp, fields.paymentTermsField);
  if (terms !== null && terms !== undefined && terms !== '') {
    content.paymentTermsDays = parsePaymentTerms(terms);
    if (content.paymentTermsDays === null)
      warn('paymentTermsDays', `Payment terms "${String(terms)}" are not a number of days`);
  } else {
    warn(
      'paymentTermsDays',
      fields.paymentTermsField
        ? `Opportunity.${fields.paymentTermsField} is empty`
        : 'No payment terms field is configured',
    );
  }

  const cycle = text(fieldValue(opp, fields.billingCycleField));
  if (cycle) {
    content.billingCycle = parseBillingCycle(cycle);
    if (!content.billingCycle)
      warn('billingCycle', `Billing cycle "${cycle}" is not Monthly, Quarterly or Annual`);
  } else {
    warn(
      'billingCycle',
      fields.billingCycleField
        ? `Opportunity.${fields.billingCycleField} is empty`
        : 'No billing cycle field is configured',
    );
  }

  // Prepaid credits: the configured grant field wins over what the line items add up to.
  const grantOverride = dec(fieldValue(opp, fields.prepaidCreditsField));
  if (grantOverride) creditGrant = grantOverride;
  if (creditGrant) {
    const expiry = text(fieldValue(opp, fields.creditsExpiryField));
    content.prepaidCredits = {
      grantAmount: (creditGrant as Decimal).toFixed(),
      invoiceAmount: ((creditInvoice as Decimal | null) ?? ZERO).toFixed(),
      expiresOn: expiry && isIsoDate(expiry) ? expiry : content.contractEnd,
    };
  }

  content.extractionWarnings = warnings;
  const { matchedCustomerId: _ignored, ...customerWithoutMatch } = content.customer;
  return {
    content,
    issues: computeDraftIssues(content),
    contentHash: sha256Hex(stableStringify({ ...content, customer: customerWithoutMatch })),
    // Line items sorted by Id: the same deal read twice hashes the same whatever order the API used.
    sourceHash: sha256Hex(
      stableStringify(
        stripVolatile(withoutTallyWrites({ ...opp, OpportunityLineItems: { records: lineItems } }, fields)),
      ),
    ),
    systemModstamp: parseSalesforceDateTime(opp.SystemModstamp),
  };
}
