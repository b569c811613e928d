/**
 * The SOQL Tally sends. Field names that come from configuration are validated here, because they are
 * spliced into the query text (SOQL has no bind parameters over REST).
 */

/** Custom fields for terms Salesforce has no standard field for; configurable per connection. */
export interface SalesforceFieldConfig {
  /** Opportunity date field with the contract start (else: the earliest line item ServiceDate). */
  contractStartField: string | null;
  /** Opportunity date field with the contract's last day. */
  contractEndField: string | null;
  /** Opportunity number field with the term in months (used when there is no end date field). */
  termMonthsField: string | null;
  /** Opportunity field with payment terms: a number of days or a picklist such as "Net 45". */
  paymentTermsField: string | null;
  /** Opportunity picklist with the billing cycle (Monthly, Quarterly, Annual). */
  billingCycleField: string | null;
  /** Opportunity currency field with the prepaid credit grant (overrides the line items' value). */
  prepaidCreditsField: string | null;
  /** Opportunity date field with the credits' expiry (else: the contract end). */
  creditsExpiryField: string | null;
  /** Account email field for invoices. */
  billingEmailField: string | null;
  /** Account field holding the Tally customer id Tally writes back (also used to match customers). */
  accountCustomerIdField: string | null;
  /** `CurrencyIsoCode` in multi-currency orgs; null elsewhere (the field does not exist there). */
  currencyField: string | null;
}

export const DEFAULT_FIELD_CONFIG: SalesforceFieldConfig = {
  contractStartField: 'Contract_Start_Date__c',
  contractEndField: 'Contract_End_Date__c',
  termMonthsField: null,
  paymentTermsField: 'Payment_Terms__c',
  billingCycleField: 'Billing_Cycle__c',
  prepaidCreditsField: null,
  creditsExpiryField: null,
  billingEmailField: 'Billing_Email__c',
  accountCustomerIdField: 'Billing_Customer_Id__c',
  currencyField: null,
};

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** Returns the first invalid field name (for a BAD_USER_INPUT), or null when all are valid API names. */
export function invalidFieldName(
  config: Partial<SalesforceFieldConfig>,
): { key: string; value: string } | null {
  for (const [key, value] of Object.entries(config)) {
    if (value !== null && value !== undefined && !FIELD_NAME.test(value))
      return { key, value: String(value) };
  }
  return null;
}

export function withDefaults(
  config: Partial<SalesforceFieldConfig> | null | undefined,
): SalesforceFieldConfig {
  const merged = { ...DEFAULT_FIELD_CONFIG, ...(config ?? {}) };
  const bad = invalidFieldName(merged);
  if (bad) throw new Error(`Invalid Salesforce field name for ${bad.key}: ${bad.value}`);
  return merged;
}

/** SOQL dateTime literal, whole seconds in UTC (SystemModstamp has no finer precision). */
export function soqlDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function opportunityFields(config: SalesforceFieldConfig): string[] {
  const account = [
    'Account.Id',
    'Account.Name',
    'Account.BillingStreet',
    'Account.BillingCity',
    'Account.BillingState',
    'Account.BillingPostalCode',
    'Account.BillingCountry',
    'Account.Website',
    ...[config.billingEmailField, config.accountCustomerIdField].filter(Boolean).map((f) => `Account.${f}`),
  ];
  const custom = [
    config.contractStartField,
    config.contractEndField,
    config.termMonthsField,
    config.paymentTermsField,
    config.billingCycleField,
    config.prepaidCreditsField,
    config.creditsExpiryField,
    config.currencyField,
  ].filter((f): f is string => !!f);
  const lineItems =
    '(SELECT Id, Quantity, UnitPrice, ListPrice, TotalPrice, ServiceDate, Description, Product2Id, ' +
    'Product2.ProductCode, Product2.Name FROM OpportunityLineItems ORDER BY Id)';
  return [
    'Id',
    'Name',
    'StageName',
    'IsWon',
    'IsClosed',
    'CloseDate',
    'Amount',
    'Type',
    'AccountId',
    'SystemModstamp',
    ...new Set(custom),
    ...account,
    lineItems,
  ];
}

/**
 * Won Opportunities modified in [from, to), oldest first with Id as tie-breaker so pages are stable,
 * with their Account and line items.
 */
export function wonOpportunitiesQuery(config: SalesforceFieldConfig, from: Date, to: Date): string {
  return (
    `SELECT ${opportunityFields(config).join(', ')} FROM Opportunity ` +
    `WHERE IsWon = true AND SystemModstamp >= ${soqlDateTime(from)} AND SystemModstamp < ${soqlDateTime(to)} ` +
    'ORDER BY SystemModstamp, Id'
  );
}

/** One Opportunity by id, whatever its stage (the trigger endpoint re-reads the deal it was told about). */
export function opportunityByIdQuery(config: SalesforceFieldConfig, opportunityId: string): string {
  if (!isSalesforceId(opportunityId)) throw new Error(`Not a Salesforce id: ${opportunityId}`);
  // Run through /queryAll: IsDeleted tells a deleted deal from one that never existed.
  return `SELECT IsDeleted, ${opportunityFields(config).join(', ')} FROM Opportunity WHERE Id = '${opportunityId}'`;
}

/**
 * Opportunities in the window that are no longer won or were deleted (run through `/queryAll`), so
 * their pending drafts can be voided. Ids only: this also sweeps ordinary pipeline churn.
 */
export function notWonOpportunitiesQuery(from: Date, to: Date): string {
  return (
    'SELECT Id, IsWon, IsClosed, IsDeleted, SystemModstamp FROM Opportunity ' +
    `WHERE (IsWon = false OR IsDeleted = true) AND SystemModstamp >= ${soqlDateTime(from)} ` +
    `AND SystemModstamp < ${soqlDateTime(to)} ORDER BY SystemModstamp, Id`
  );
}

export function isSalesforceId(value: string): boolean {
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value);
}
