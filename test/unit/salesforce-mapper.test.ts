import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_FIELD_CONFIG,
  mapOpportunity,
  parseBillingCycle,
  parsePaymentTerms,
  type ProductMappingRule,
  type SalesforceOpportunity,
} from '../../connectors/salesforce';
import { diffDraftContent } from '../../src/domain/contract-draft';

const recorded = JSON.parse(
  readFileSync(join(__dirname, '../connectors/fixtures/opportunity-closed-won.query.json'), 'utf8'),
) as { records: SalesforceOpportunity[] };

/** The recorded deal, with the custom fields a configured org has filled in. */
function deal(overrides: Record<string, unknown> = {}): SalesforceOpportunity {
  return {
    ...structuredClone(recorded.records[0]),
    Contract_Start_Date__c: '2025-02-01',
    Contract_End_Date__c: '2026-01-31',
    Payment_Terms__c: 'Net 45',
    Billing_Cycle__c: 'Annual',
    ...overrides,
  } as SalesforceOpportunity;
}

const mappings = new Map<string, ProductMappingRule>([
  [
    'PLAN-PRO-ANNUAL',
    {
      productCode: 'PLAN-PRO-ANNUAL',
      targetKind: 'PLAN',
      targetId: 'pln_pro',
      dimensions: null,
      creditGrantBasis: null,
    },
  ],
  [
    'CREDITS-PREPAID',
    {
      productCode: 'CREDITS-PREPAID',
      targetKind: 'PREPAID_CREDITS',
      targetId: null,
      dimensions: null,
      creditGrantBasis: 'LIST_PRICE',
    },
  ],
  [
    'FEE-ONBOARDING',
    {
      productCode: 'FEE-ONBOARDING',
      targetKind: 'FLAT_FEE',
      targetId: null,
      dimensions: null,
      creditGrantBasis: null,
    },
  ],
]);

/** The same data with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    );
  return value;
}

const map = (
  opportunity: SalesforceOpportunity,
  options: { mappings?: Map<string, ProductMappingRule>; customers?: Map<string, string> } = {},
) =>
  mapOpportunity({
    opportunity,
    mappings: options.mappings ?? mappings,
    fields: DEFAULT_FIELD_CONFIG,
    customerIdByAccountId: options.customers ?? new Map(),
  });

describe('Salesforce opportunity → contract draft (pure mapper)', () => {
  it('extracts the terms of the recorded closed-won deal', () => {
    const { content, issues } = map(deal());
    expect(content.opportunity).toEqual({
      id: '0065g00000KpQrSAAV',
      name: 'Acme Corp - Platform Pro 2025',
      closeDate: '2025-01-14',
      amount: '64500',
    });
    expect(content.customer).toEqual({
      matchedCustomerId: null,
      salesforceAccountId: '0015g00000QxYzAAAV',
      proposed: {
        name: 'Acme Corp',
        email: null,
        address: '1 Market St, Suite 300, San Francisco, CA, 94105, United States',
        website: 'https://acme.example',
      },
    });
    expect(content).toMatchObject({
      contractStart: '2025-02-01',
      contractEnd: '2026-01-31',
      paymentTermsDays: 45,
      billingCycle: 'ANNUAL',
      plan: { planId: 'pln_pro', quantity: '25', unitPrice: '1800', listPrice: '2000' },
      flatFees: [
        {
          description: 'Onboarding fee',
          quantity: '1',
          unitPrice: '2000',
          listPrice: '2500',
          serviceDate: '2025-02-01',
        },
      ],
      // 500,000 credits at list 0.04 granted, invoiced at the negotiated 0.035.
      prepaidCredits: { grantAmount: '20000', invoiceAmount: '17500', expiresOn: '2026-01-31' },
      unmatchedLineItems: [],
    });
    // Nothing blocks confirmation: the billing email is missing, and the onboarding fee (no pricing) says how it
    // will be billed.
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'CUSTOMER_EMAIL_MISSING',
        blocking: false,
        message: 'Account.Billing_Email__c is empty',
      }),
      {
        code: 'FEE_ONE_TIME',
        field: 'flatFees.0',
        blocking: false,
        message:
          'Onboarding fee: no pricing, so billed once as a one-time charge of 2000 × 1 = 2000, in full on the ' +
          'invoice of the period holding 2025-02-01',
      },
    ]);
  });

  it('matches an existing customer by Salesforce Account id', () => {
    const { content } = map(deal(), { customers: new Map([['0015g00000QxYzAAAV', 'cus_acme']]) });
    expect(content.customer.matchedCustomerId).toBe('cus_acme');
  });

  it('lists missing terms and unmatched products as issues instead of guessing', () => {
    const { content, issues } = map(
      deal({ Contract_End_Date__c: null, Payment_Terms__c: null, Billing_Cycle__c: 'Biweekly' }),
      { mappings: new Map([...mappings].filter(([code]) => code !== 'FEE-ONBOARDING')) },
    );
    expect(content.contractEnd).toBeNull();
    expect(content.paymentTermsDays).toBeNull();
    expect(content.billingCycle).toBeNull();
    expect(content.unmatchedLineItems).toEqual([
      {
        lineItemId: '00k5g00000Ab1CfAAJ',
        productCode: 'FEE-ONBOARDING',
        productName: 'Onboarding fee',
        quantity: '1',
        unitPrice: '2000',
      },
    ]);
    const byCode = Object.fromEntries(issues.map((i) => [i.code, i]));
    // No end date is an evergreen contract, not a blocker; without the catalog (the pure mapper) no plan's
    // terms are known, so the missing terms still block here (the draft service supplies the plan's).
    expect(byCode.CONTRACT_EVERGREEN).toMatchObject({
      blocking: false,
      message:
        'No end date: the contract is evergreen and runs until cancelled (Opportunity.Contract_End_Date__c is empty)',
    });
    expect(byCode.PAYMENT_TERMS_MISSING.message).toBe('Opportunity.Payment_Terms__c is empty');
    expect(byCode.BILLING_CYCLE_MISSING.message).toBe(
      'Billing cycle "Biweekly" is not Monthly, Quarterly or Annual',
    );
    expect(byCode.LINE_ITEM_UNMATCHED).toMatchObject({ field: 'unmatchedLineItems.0', blocking: true });
    expect(byCode.CREDITS_EXPIRY_MISSING.blocking).toBe(false);
  });

  it('takes the start from the earliest service date (and says so) when no start field is set', () => {
    const { content, issues } = map(deal({ Contract_Start_Date__c: null }));
    expect(content.contractStart).toBe('2025-02-01');
    expect(issues.find((i) => i.code === 'EXTRACTION_NOTE')).toMatchObject({
      field: 'contractStart',
      blocking: false,
    });
  });

  it('computes the end from a term in months when configured', () => {
    const { content } = mapOpportunity({
      opportunity: deal({ Contract_End_Date__c: null, Term_Months__c: 12 }),
      mappings,
      fields: { ...DEFAULT_FIELD_CONFIG, termMonthsField: 'Term_Months__c' },
      customerIdByAccountId: new Map(),
    });
    expect(content.contractEnd).toBe('2026-01-31');
  });

  it('turns a negotiated usage price into a rate override for the mapped dimensions', () => {
    const usage = new Map(mappings);
    usage.set('CREDITS-PREPAID', {
      productCode: 'CREDITS-PREPAID',
      targetKind: 'USAGE_PRICING',
      targetId: 'prc_calls',
      dimensions: { region: 'EU' },
      creditGrantBasis: null,
    });
    const { content } = map(deal(), { mappings: usage });
    expect(content.usagePricings).toEqual([
      {
        pricingId: 'prc_calls',
        dimensions: { region: 'EU' },
        overrideRate: '0.035',
        listRate: '0.04',
        sourceLineItemId: '00k5g00000Ab1CeAAJ',
      },
    ]);
    expect(content.prepaidCredits).toBeNull();
  });

  it('accepts a null line item subquery and a missing Account', () => {
    const { content, issues } = map(deal({ OpportunityLineItems: null, Account: null, AccountId: null }));
    expect(content.plan).toBeNull();
    expect(issues.map((i) => i.code)).toEqual(expect.arrayContaining(['CUSTOMER_MISSING', 'PLAN_MISSING']));
    expect(issues.find((i) => i.code === 'CUSTOMER_MISSING')!.message).toBe('The Opportunity has no Account');
  });

  it('hashes stably: key order, line item order and SystemModstamp do not matter; terms do', () => {
    const a = map(deal());
    const shuffled = deal({ SystemModstamp: '2025-03-01T00:00:00.000+0000' });
    shuffled.OpportunityLineItems!.records.reverse();
    const b = map(reverseKeys(shuffled) as SalesforceOpportunity);
    expect(b.contentHash).toBe(a.contentHash);
    expect(b.sourceHash).toBe(a.sourceHash);
    const changed = deal();
    changed.OpportunityLineItems!.records[0].Quantity = 30;
    const c = map(changed);
    expect(c.contentHash).not.toBe(a.contentHash);
    expect(diffDraftContent(a.content, c.content)).toEqual([
      { field: 'plan.quantity', before: '25', after: '30' },
    ]);
  });

  it('does not change the content hash when only the customer match changes', () => {
    const a = map(deal());
    const b = map(deal(), { customers: new Map([['0015g00000QxYzAAAV', 'cus_acme']]) });
    expect(b.contentHash).toBe(a.contentHash);
  });

  it('parses payment terms and billing cycles strictly', () => {
    expect([45, '45', 'Net 30', '60 days', 'Due on receipt', 'soon', 2.5].map(parsePaymentTerms)).toEqual([
      45,
      45,
      30,
      60,
      0,
      null,
      null,
    ]);
    expect(
      ['Monthly', 'quarterly', 'Annually', 'Yearly', 'Annual in advance', 'weekly'].map(parseBillingCycle),
    ).toEqual(['MONTHLY', 'QUARTERLY', 'ANNUAL', 'ANNUAL', 'ANNUAL', null]);
  });
});
