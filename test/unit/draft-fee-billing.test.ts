import { computeDraftIssues, emptyDraftContent, type DraftFlatFee } from '../../src/domain/contract-draft';
import type { DraftFeeCatalog } from '../../src/domain/draft-fee-billing';

const fee = (overrides: Partial<DraftFlatFee>): DraftFlatFee => ({
  pricingId: null,
  description: 'Onboarding fee',
  quantity: '1',
  unitPrice: '2000',
  listPrice: null,
  serviceDate: null,
  sourceLineItemId: null,
  ...overrides,
});

const draft = (flatFees: DraftFlatFee[]) => ({
  ...emptyDraftContent(),
  customer: { matchedCustomerId: 'cus_1', salesforceAccountId: null, proposed: null },
  currency: 'USD',
  contractStart: '2025-02-01',
  contractEnd: '2026-01-31',
  paymentTermsDays: 30,
  billingCycle: 'MONTHLY' as const,
  plan: { planId: 'pln_1', quantity: null, unitPrice: null, listPrice: null, sourceLineItemId: null },
  flatFees,
});

const catalog: DraftFeeCatalog = {
  flatFees: new Map([
    ['prc_support', { name: 'Premium support', amount: '500' }],
    ['prc_platform', { name: 'Platform fee', amount: '100' }],
  ]),
  planItems: new Map([['pln_1', new Map([['prc_platform', '1']])]]),
};

const issues = (fees: DraftFlatFee[], withCatalog: DraftFeeCatalog | null = catalog) =>
  computeDraftIssues(draft(fees), withCatalog).map(
    (i) => `${i.blocking ? '!' : ''}${i.code} ${i.field}: ${i.message}`,
  );

/** Every fee of a draft says how it will be billed; what cannot be billed as it stands blocks confirmation. */
describe('draft fee billing issues', () => {
  it('a fee without a pricing is a one-time charge on its service date or the contract start', () => {
    expect(
      issues([
        fee({}),
        fee({ description: 'Training', quantity: '2', unitPrice: '99.5', serviceDate: '2025-03-10' }),
      ]),
    ).toEqual([
      'FEE_ONE_TIME flatFees.0: Onboarding fee: no pricing, so billed once as a one-time charge of 2000 × 1 = 2000 USD, in full on the invoice of the period holding 2025-02-01',
      'FEE_ONE_TIME flatFees.1: Training: no pricing, so billed once as a one-time charge of 99.5 × 2 = 199 USD, in full on the invoice of the period holding 2025-03-10',
    ]);
  });

  it('blocks a one-time charge that cannot be billed as it stands', () => {
    expect(issues([fee({ serviceDate: '2026-02-01' })])[0]).toMatch(
      /^!FEE_DATE_OUTSIDE_TERM flatFees.0.serviceDate: /,
    );
    expect(issues([fee({ unitPrice: '-100' })])[0]).toMatch(/^!FEE_INVALID flatFees.0: .*negative/);
    expect(issues([fee({ quantity: '0' })])[0]).toMatch(/^!FEE_INVALID flatFees.0: .*greater than zero/);
  });

  it('a catalog flat fee the plan lacks is a recurring add-on at the catalog amount; a different deal price is flagged', () => {
    expect(
      issues([fee({ pricingId: 'prc_support', description: 'Support', quantity: '2', unitPrice: '450' })]),
    ).toEqual([
      'FEE_RECURRING flatFees.0: Support: added to the contract as the recurring fee Premium support × 2, billed every period at the catalog amount 500 (prorated by days for partial periods)',
      "FEE_PRICE_DIFFERS flatFees.0.unitPrice: Support: the deal's unit price 450 differs from Premium support's catalog amount 500; the contract will bill the catalog amount. To bill the deal's price, pick a flat-fee pricing at that amount, or clear the pricing to bill the fee once as a one-time charge",
    ]);
  });

  it('a fee the plan already charges is not added twice', () => {
    expect(
      issues([fee({ pricingId: 'prc_platform', description: 'Platform', quantity: '3', unitPrice: '100' })]),
    ).toEqual([
      'FEE_IN_PLAN flatFees.0: Platform: already charged every period by the plan (Platform fee × 1); not added again. The deal says × 3: change the seats after confirming if that is right',
    ]);
  });

  it('blocks an unknown pricing and a pricing given twice', () => {
    expect(issues([fee({ pricingId: 'prc_gone' })])).toEqual([
      '!FEE_PRICING_NOT_FOUND flatFees.0.pricingId: Onboarding fee: flat-fee pricing prc_gone not found',
    ]);
    const twice = issues([
      fee({ pricingId: 'prc_support', unitPrice: '500' }),
      fee({ pricingId: 'prc_support', unitPrice: '500' }),
    ]);
    expect(twice[1]).toMatch(/^!FEE_PRICING_REPEATED flatFees.1.pricingId: .*flatFees.0/);
  });

  it('without the catalog (the pure Salesforce mapper) says the general rule', () => {
    expect(issues([fee({ pricingId: 'prc_support' })], null)).toEqual([
      'FEE_RECURRING flatFees.0: Onboarding fee: billed every period by flat-fee pricing prc_support at its catalog amount (added to the contract unless the plan already charges it)',
    ]);
  });
});
