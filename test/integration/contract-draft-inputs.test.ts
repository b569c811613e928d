import { createFlatFee, createMeter, createPlan, createPricing } from '../support/billing-api';
import { TestApp } from '../support/test-app';

const CREATE = 'mutation($input: ContractDraftInput!) { createContractDraft(input: $input) { id } }';
const UPDATE = `mutation($id: ID!, $input: ContractDraftInput!) {
  updateContractDraft(id: $id, input: $input) { id }
}`;
const READ = `query($id: ID!) {
  contractDraft(id: $id) {
    plan { quantity unitPrice }
    rateOverrides { pricingId rate }
    flatFees { quantity unitPrice }
    prepaidCredits { grantAmount invoiceAmount }
  }
}`;

/** 40 digits before the point: beyond every DECIMAL column a contract stores. */
const FORTY_DIGITS = '1234567890123456789012345678901234567890';

type Terms = Record<string, unknown>;

/**
 * Draft terms are checked when they are typed in, as strictly as the contract inputs they become at
 * confirmation, and errors name the draft's own fields. Before, `1e400`, 40 digits and `1e-400` were
 * stored and failed only at confirmation, under contract field names.
 */
describe('contract draft inputs: numbers the contract could not hold are refused on the draft', () => {
  let t: TestApp;
  let draftId: string;
  let planId: string;
  let usageId: string;

  // Each numeric field of the draft input, how to set it, and the field name the error must carry.
  const fields: Array<{ field: string; terms: (value: string) => Terms }> = [
    { field: 'input.plan.quantity', terms: (v) => ({ plan: { planId, quantity: v } }) },
    { field: 'input.plan.unitPrice', terms: (v) => ({ plan: { planId, unitPrice: v } }) },
    {
      field: 'input.usagePricings.0.overrideRate',
      terms: (v) => ({ usagePricings: [{ pricingId: usageId, dimensions: {}, overrideRate: v }] }),
    },
    {
      field: 'input.flatFees.0.quantity',
      terms: (v) => ({ flatFees: [{ description: 'Setup', quantity: v, unitPrice: '10' }] }),
    },
    {
      field: 'input.flatFees.0.unitPrice',
      terms: (v) => ({ flatFees: [{ description: 'Setup', quantity: '1', unitPrice: v }] }),
    },
    {
      field: 'input.prepaidCredits.grantAmount',
      terms: (v) => ({ prepaidCredits: { grantAmount: v, invoiceAmount: '0' } }),
    },
    {
      field: 'input.prepaidCredits.invoiceAmount',
      terms: (v) => ({ prepaidCredits: { grantAmount: '100', invoiceAmount: v } }),
    },
  ];
  const absurd: Array<{ value: string; message: RegExp }> = [
    { value: '1e400', message: /digits before the decimal point/ },
    { value: FORTY_DIGITS, message: /digits before the decimal point/ },
    { value: '1e-400', message: /decimal places/ },
    { value: '-1', message: /zero or more|greater than zero/ },
  ];

  beforeAll(async () => {
    t = await TestApp.start();
    await createMeter(t, { code: 'CALLS', displayName: 'Calls', eventName: 'call', aggregation: 'COUNT' });
    usageId = await createPricing(t, {
      name: 'Calls',
      meterCode: 'CALLS',
      model: 'PER_UNIT',
      fallbackRate: '0.01',
    });
    planId = await createPlan(t, {
      name: 'Base',
      items: [{ pricingId: await createFlatFee(t, 'Base', '50') }],
    });
    const created = await t.gqlOk<{ createContractDraft: { id: string } }>(CREATE, {
      input: {
        proposedCustomer: { name: 'Draft Co' },
        currency: 'USD',
        plan: { planId, quantity: '2', unitPrice: '45' },
        usagePricings: [{ pricingId: usageId, dimensions: {}, overrideRate: '0.008' }],
        flatFees: [{ description: 'Setup', quantity: '1', unitPrice: '10' }],
        prepaidCredits: { grantAmount: '100', invoiceAmount: '100' },
      },
    });
    draftId = created.createContractDraft.id;
  });
  afterAll(() => t.stop());

  const stored = async () => (await t.gqlOk<{ contractDraft: unknown }>(READ, { id: draftId })).contractDraft;

  it.each(fields.flatMap(({ field, terms }) => absurd.map((a) => ({ field, terms, ...a }))))(
    '$field = $value is refused, naming $field; the draft is unchanged',
    async ({ field, terms, value, message }) => {
      const before = await stored();
      const result = await t.gql(UPDATE, { id: draftId, input: terms(value) });
      expect(result.errors?.[0]).toMatchObject({
        message: expect.stringMatching(message),
        extensions: { code: 'BAD_USER_INPUT', field },
      });
      expect(await stored()).toEqual(before);
    },
  );

  it('the same checks apply when a draft is created', async () => {
    const result = await t.gql(CREATE, {
      input: { currency: 'USD', flatFees: [{ description: 'Huge', quantity: '1', unitPrice: '1e400' }] },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.flatFees.0.unitPrice',
    });
  });

  it('refuses dimension values a rate override could not hold, naming the draft field', async () => {
    const tooLong = await t.gql(UPDATE, {
      id: draftId,
      input: { usagePricings: [{ pricingId: usageId, dimensions: { region: 'x'.repeat(201) } }] },
    });
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.usagePricings.0.dimensions',
    });
    const notText = await t.gql(UPDATE, {
      id: draftId,
      input: { usagePricings: [{ pricingId: usageId, dimensions: { region: 5 } }] },
    });
    expect(notText.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.usagePricings.0.dimensions',
    });
  });

  it('keeps the largest and finest values the contract columns hold, exactly', async () => {
    // Rates and prices: DECIMAL(30,12) = 18 digits before the point, 12 after. Quantities: DECIMAL(38,9).
    // Credit amounts: 12 digits and 3 decimals, so ×1000 minor units stays below the 10^15 a grant holds.
    await t.gqlOk(UPDATE, {
      id: draftId,
      input: {
        plan: { planId, quantity: '12345678901234567890123456789.123456789', unitPrice: '0.000000000001' },
        usagePricings: [
          { pricingId: usageId, dimensions: {}, overrideRate: '999999999999999999.999999999999' },
        ],
        flatFees: [{ description: 'Setup', quantity: '0.000000001', unitPrice: '0' }],
        prepaidCredits: { grantAmount: '999999999999.999', invoiceAmount: '0' },
      },
    });
    expect(await stored()).toMatchObject({
      plan: { quantity: '12345678901234567890123456789.123456789', unitPrice: '0.000000000001' },
      rateOverrides: [{ pricingId: usageId, rate: '999999999999999999.999999999999' }],
      flatFees: [{ quantity: '0.000000001', unitPrice: '0' }],
    });
  });
});
