import { TestApp } from '../support/test-app';
import {
  CREATE_CONTRACT,
  createContract,
  createCustomer,
  createMeter,
  createPlan,
  createPricing,
  createRateCard,
  draftInvoice,
  sendEvent,
  summarize,
} from '../support/billing-api';
import { createProTokenPlan, PRO_TOKEN_RATES } from '../support/seed-catalogs';

/**
 * "Same plan, different customers, different rates" (seeds/001): three customers on one Pro plan, two with
 * contract rate overrides, billed side by side; contract dimensions (enterprise tier) taking precedence over
 * the values events carry; and the contract validation rules.
 */
describe('Enterprise billing patterns (seeds/001)', () => {
  let t: TestApp;
  let proPlanId: string;
  let tierPlanId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-20T12:00:00Z');
    proPlanId = await createProTokenPlan(t, {
      groupKeys: ['model'],
      rates: [...PRO_TOKEN_RATES, { dimensions: { model: 'claude-3' }, rate: '0.015' }],
    });

    await createMeter(t, {
      code: 'TIERED_TOKENS',
      displayName: 'Tokens',
      eventName: 'tiered_tokens',
      aggregation: 'SUM',
      aggregationKey: 'tokens',
      groupKeys: ['model', 'customer_tier'],
    });
    const tierCardId = await createRateCard(t, 'TIERED_TOKENS', [
      { dimensions: { model: 'gpt-4' }, rate: '0.03' },
      { dimensions: { model: 'gpt-4', customer_tier: 'enterprise' }, rate: '0.015' },
    ]);
    const tierPricingId = await createPricing(t, {
      name: 'Tokens',
      meterCode: 'TIERED_TOKENS',
      model: 'PER_UNIT',
      unitSize: '1000',
      fallbackRate: '0.05',
      rateCardId: tierCardId,
    });
    tierPlanId = await createPlan(t, { name: 'Tiered', items: [{ pricingId: tierPricingId }] });
  });
  afterAll(() => t.stop());

  async function sendTokens(customer: string, model: string, tokens: number, key: string, extra = {}) {
    const response = await sendEvent(t, {
      customer_id: customer,
      event_name: 'llm_tokens',
      idempotency_key: key,
      timestamp: '2026-03-15T09:00:00Z',
      properties: { model, tokens, ...extra },
    });
    expect(response.status).toBe(202);
  }

  it('bills Startup Inc, Acme Corp and Mega Enterprise on the same plan at their own rates', async () => {
    const customers = {
      startup: await createCustomer(t, 'Startup Inc', 'startup'),
      acme: await createCustomer(t, 'Acme Corp', 'acme'),
      mega: await createCustomer(t, 'Mega Enterprise', 'mega'),
    };
    const contracts = {
      startup: await createContract(t, {
        customerId: customers.startup,
        planId: proPlanId,
        startDate: '2026-03-01',
      }),
      acme: await createContract(t, {
        customerId: customers.acme,
        planId: proPlanId,
        startDate: '2026-03-01',
        rateOverrides: [{ meterCode: 'LLM_TOKENS', dimensions: { model: 'gpt-4' }, rate: '0.02' }],
      }),
      mega: await createContract(t, {
        customerId: customers.mega,
        planId: proPlanId,
        startDate: '2026-03-01',
        rateOverrides: [
          { meterCode: 'LLM_TOKENS', dimensions: { model: 'gpt-4' }, rate: '0.015' },
          { meterCode: 'LLM_TOKENS', dimensions: { model: 'gpt-3.5' }, rate: '0.001' },
        ],
      }),
    };
    // The same usage for everyone: 1,234,567 gpt-4 tokens (a float trap at $0.03 per 1K), 2M gpt-3.5, 500K claude-3.
    for (const name of ['startup', 'acme', 'mega']) {
      await sendTokens(name, 'gpt-4', 1_000_000, `${name}-1`);
      await sendTokens(name, 'gpt-4', 234_567, `${name}-2`);
      await sendTokens(name, 'gpt-3.5', 2_000_000, `${name}-3`);
      await sendTokens(name, 'claude-3', 500_000, `${name}-4`);
    }
    await t.app.workers.aggregator.drain();

    const startup = await draftInvoice(t, contracts.startup);
    expect(summarize(startup.lines)).toEqual([
      'LLM Tokens - gpt-4 | 1234567 × 0.03 = 37.04 (RATE_CARD)',
      'LLM Tokens - gpt-3.5 | 2000000 × 0.002 = 4.00 (RATE_CARD)',
      'LLM Tokens - claude-3 | 500000 × 0.015 = 7.50 (RATE_CARD)',
    ]);
    expect(startup.lines[0]).toMatchObject({ unitSize: '1000', preciseAmount: '37.037010000000' });
    expect(startup.total).toBe('48.54');

    const acme = await draftInvoice(t, contracts.acme);
    expect(summarize(acme.lines)).toEqual([
      'LLM Tokens - gpt-4 | 1234567 × 0.02 = 24.69 (OVERRIDE)',
      'LLM Tokens - gpt-3.5 | 2000000 × 0.002 = 4.00 (RATE_CARD)',
      'LLM Tokens - claude-3 | 500000 × 0.015 = 7.50 (RATE_CARD)',
    ]);
    expect(acme.total).toBe('36.19');

    const mega = await draftInvoice(t, contracts.mega);
    expect(summarize(mega.lines)).toEqual([
      'LLM Tokens - gpt-4 | 1234567 × 0.015 = 18.52 (OVERRIDE)',
      'LLM Tokens - gpt-3.5 | 2000000 × 0.001 = 2.00 (OVERRIDE)',
      'LLM Tokens - claude-3 | 500000 × 0.015 = 7.50 (RATE_CARD)',
    ]);
    expect(mega.lines[0].preciseAmount).toBe('18.518505000000');
    expect(mega.total).toBe('28.02');

    const contract = await t.gqlOk<{ contract: Record<string, unknown> }>(
      `query($id: ID!) { contract(id: $id) { status billingCycle paymentTermsDays autoPay
         plan { id } customer { id } items { quantity pricing { id } } rateOverrides { meterCode dimensions rate } } }`,
      { id: contracts.mega },
    );
    expect(contract.contract).toMatchObject({
      status: 'ACTIVE',
      billingCycle: 'MONTHLY',
      paymentTermsDays: 30, // the plan's net terms
      plan: { id: proPlanId },
      customer: { id: customers.mega },
      rateOverrides: [
        { meterCode: 'LLM_TOKENS', dimensions: { model: 'gpt-4' }, rate: '0.015' },
        { meterCode: 'LLM_TOKENS', dimensions: { model: 'gpt-3.5' }, rate: '0.001' },
      ],
    });
    const history = await t.app.db.query(
      'SELECT kind, source FROM contract_amendments WHERE contract_id = ?',
      [contracts.mega],
    );
    expect(history).toEqual([{ kind: 'CREATED', source: 'API' }]);
  });

  it("lets the contract's dimensions (enterprise tier) win over the values events carry", async () => {
    const enterprise = await createCustomer(t, 'Tier Enterprise', 'tier-ent');
    const regular = await createCustomer(t, 'Tier Regular', 'tier-reg');
    const entContract = await createContract(t, {
      customerId: enterprise,
      planId: tierPlanId,
      startDate: '2026-03-01',
      dimensions: { customer_tier: 'enterprise' },
    });
    const regContract = await createContract(t, {
      customerId: regular,
      planId: tierPlanId,
      startDate: '2026-03-01',
    });
    for (const customer of ['tier-ent', 'tier-reg']) {
      const response = await sendEvent(t, {
        customer_id: customer,
        event_name: 'tiered_tokens',
        idempotency_key: `${customer}-1`,
        timestamp: '2026-03-16T09:00:00Z',
        // An event claiming another tier does not change what the contract says.
        properties: { model: 'gpt-4', customer_tier: 'startup', tokens: 100_000 },
      });
      expect(response.status).toBe(202);
    }
    await t.app.workers.aggregator.drain();
    expect(summarize((await draftInvoice(t, entContract)).lines)).toEqual([
      'Tokens - gpt-4 / enterprise | 100000 × 0.015 = 1.50 (RATE_CARD)',
    ]);
    expect(summarize((await draftInvoice(t, regContract)).lines)).toEqual([
      'Tokens - gpt-4 / startup | 100000 × 0.03 = 3.00 (RATE_CARD)',
    ]);
  });

  it('rejects overrides of meters the plan does not price, unknown keys, and ambiguous pairs (naming both)', async () => {
    const customerId = await createCustomer(t, 'Validation Co');
    const attempt = (input: Record<string, unknown>) =>
      t.gql(CREATE_CONTRACT, { input: { customerId, startDate: '2026-03-01', ...input } });

    const notPriced = await attempt({
      planId: proPlanId,
      rateOverrides: [{ meterCode: 'TIERED_TOKENS', dimensions: {}, rate: '0.01' }],
    });
    expect(notPriced.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.rateOverrides.0.meterCode',
    });

    const unknownKey = await attempt({
      planId: proPlanId,
      rateOverrides: [{ meterCode: 'LLM_TOKENS', dimensions: { region: 'US' }, rate: '0.01' }],
    });
    expect(unknownKey.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.rateOverrides.0.dimensions',
    });

    const ambiguous = await attempt({
      planId: tierPlanId,
      rateOverrides: [
        { meterCode: 'TIERED_TOKENS', dimensions: { model: 'gpt-4' }, rate: '0.01' },
        { meterCode: 'TIERED_TOKENS', dimensions: { customer_tier: 'enterprise' }, rate: '0.02' },
      ],
    });
    expect(ambiguous.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.rateOverrides.1',
    });
    expect(ambiguous.errors?.[0].message).toContain('model=gpt-4');
    expect(ambiguous.errors?.[0].message).toContain('customer_tier=enterprise');

    // Settled by an override for their combination: accepted.
    const settled = await attempt({
      planId: tierPlanId,
      rateOverrides: [
        { meterCode: 'TIERED_TOKENS', dimensions: { model: 'gpt-4' }, rate: '0.01' },
        { meterCode: 'TIERED_TOKENS', dimensions: { customer_tier: 'enterprise' }, rate: '0.02' },
        {
          meterCode: 'TIERED_TOKENS',
          dimensions: { model: 'gpt-4', customer_tier: 'enterprise' },
          rate: '0.005',
        },
      ],
    });
    expect(settled.errors).toBeUndefined();

    const badDims = await attempt({ planId: proPlanId, dimensions: { colour: 'red' } });
    expect(badDims.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.dimensions',
    });

    const backwards = await attempt({ planId: proPlanId, startDate: '2026-03-10', endDate: '2026-03-09' });
    expect(backwards.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.endDate',
    });

    const noPlan = await attempt({ planId: 'plan_missing' });
    expect(noPlan.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.planId' });
  });

  it('refuses a second contract pricing the same meter over an overlapping term (CONFLICT)', async () => {
    const customerId = await createCustomer(t, 'Overlap Co');
    const first = await createContract(t, {
      customerId,
      planId: proPlanId,
      startDate: '2026-01-01',
      endDate: '2026-06-30',
    });
    const overlapping = await t.gql(CREATE_CONTRACT, {
      input: { customerId, planId: proPlanId, startDate: '2026-06-30' },
    });
    expect(overlapping.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(overlapping.errors?.[0].message).toContain(first);
    expect(overlapping.errors?.[0].message).toContain('LLM_TOKENS');

    // Back to back is fine; so is another plan on other meters at the same time.
    await createContract(t, { customerId, planId: proPlanId, startDate: '2026-07-01' });
    await createContract(t, { customerId, planId: tierPlanId, startDate: '2026-01-01' });
    const list = await t.gqlOk<{ customer: { contracts: Array<{ id: string }> } }>(
      'query($id: ID!) { customer(id: $id) { contracts { id } } }',
      { id: customerId },
    );
    expect(list.customer.contracts).toHaveLength(3);
    const drafts = await t.gqlOk<{ draftInvoices: Array<{ contract: { id: string } }> }>(
      'query($id: ID!) { draftInvoices(customerId: $id) { contract { id } } }',
      { id: customerId },
    );
    expect(drafts.draftInvoices).toHaveLength(2); // the two contracts active on 2026-03-20
  });
});
