import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createMeter,
  createPlan,
  createPricing,
  draftInvoice,
  finalizeInvoice,
  sendEvent,
  type InvoiceLineResult,
  type InvoiceResult,
} from '../support/billing-api';

/** INVOICE_FIELDS asks for each line's creditsApplied too. */
const credited = (line: InvoiceLineResult) =>
  (line as InvoiceLineResult & { creditsApplied: string }).creditsApplied;

/**
 * Minimum commitments (issue 17): a contract's minimum spend per period or over its term, billed as a
 * MINIMUM_TRUE_UP line on the invoice that closes the window, and per-pricing line minimums and caps.
 * Every figure below is worked out by hand in the comments.
 */
describe('minimum commitments', () => {
  let t: TestApp;
  let apiPricingId: string;
  let monthlyPlanId: string;
  let quarterlyPlanId: string;
  let boundedPlanId: string;
  let customerCount = 0;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-01-01T00:00:00Z');
    await createMeter(t, {
      code: 'API_UNITS',
      displayName: 'API units',
      eventName: 'api_units',
      aggregation: 'SUM',
      aggregationKey: 'units',
    });
    // 1.00 per unit, so a usage line's amount is its unit count.
    apiPricingId = await createPricing(t, {
      name: 'API units',
      meterCode: 'API_UNITS',
      model: 'PER_UNIT',
      fallbackRate: '1',
    });
    monthlyPlanId = await createPlan(t, { name: 'Monthly', items: [{ pricingId: apiPricingId }] });
    quarterlyPlanId = await createPlan(t, {
      name: 'Quarterly',
      billingCycle: 'QUARTERLY',
      items: [{ pricingId: apiPricingId }],
    });
    await createMeter(t, {
      code: 'STORAGE',
      displayName: 'Storage GB',
      eventName: 'storage',
      aggregation: 'SUM',
      aggregationKey: 'gb',
    });
    const storage = await t.gqlOk<{
      createPricing: { id: string; minimumAmount: string; maximumAmount: string };
    }>(
      `mutation($input: CreatePricingInput!) { createPricing(input: $input) { id minimumAmount maximumAmount } }`,
      {
        input: {
          name: 'Storage',
          meterCode: 'STORAGE',
          model: 'PER_UNIT',
          fallbackRate: '1',
          minimumAmount: '5',
          maximumAmount: '20',
        },
      },
    );
    expect(storage.createPricing).toMatchObject({ minimumAmount: '5', maximumAmount: '20' });
    boundedPlanId = await createPlan(t, {
      name: 'Storage',
      items: [{ pricingId: storage.createPricing.id }],
    });
  });
  afterAll(() => t.stop());

  async function newCustomer(): Promise<{ id: string; externalId: string }> {
    const externalId = `cust-${++customerCount}`;
    return { id: await createCustomer(t, `Customer ${customerCount}`, externalId), externalId };
  }

  async function use(externalId: string, eventName: string, property: string, units: number, at: string) {
    const response = await sendEvent(t, {
      customer_id: externalId,
      event_name: eventName,
      idempotency_key: `${externalId}-${eventName}-${at}`,
      timestamp: at,
      properties: { [property]: units },
    });
    expect(response.status).toBe(202);
    await t.app.workers.aggregator.drain();
  }

  const lineFigures = (invoice: InvoiceResult) =>
    invoice.lines.map((l) => `${l.kind} ${l.description} = ${l.amount} (credits ${credited(l)})`);

  describe('a monthly minimum over a first period cut short by the contract end', () => {
    // Anniversary billing from 4 February 2026 (not a leap year): the cycle runs to 4 March, 28 days; the
    // contract's last day is 28 February, so the period covers 4–28 February, 25 of those 28 days.
    // Minimum: 10.00 × 25/28 = 8.928571… → 8.93. Usage: 8 units × 1.00 = 8.00.
    async function monthlyContract(extra: Record<string, unknown>) {
      t.clock.set('2026-02-10T00:00:00Z');
      const customer = await newCustomer();
      const contractId = await createContract(t, {
        customerId: customer.id,
        planId: monthlyPlanId,
        startDate: '2026-02-04',
        endDate: '2026-02-28',
        ...extra,
      });
      await use(customer.externalId, 'api_units', 'units', 8, '2026-02-09T10:00:00Z');
      return contractId;
    }

    it('bills the 0.93 shortfall as a MINIMUM_TRUE_UP line, on the draft and frozen at finalization', async () => {
      const contractId = await monthlyContract({ minimumCommitment: { amount: '10.00', scope: 'PERIOD' } });
      const draft = await draftInvoice(t, contractId);
      // 8.93 − 8.00 = 0.93; total 8.00 + 0.93 = 8.93.
      expect(lineFigures(draft)).toEqual([
        'USAGE API units = 8.00 (credits 0.00)',
        'MINIMUM_TRUE_UP Minimum commitment true-up (period minimum 10.00 × 25/28 days = 8.93, spent 8.00) = 0.93 (credits 0.00)',
      ]);
      expect(draft).toMatchObject({ subtotal: '8.93', total: '8.93', amountDue: '8.93' });
      const finalized = await finalizeInvoice(t, draft.id);
      expect(finalized).toMatchObject({ status: 'FINALIZED', total: '8.93', amountDue: '8.93' });
      expect(finalized.lines.map((l) => [l.kind, l.amount])).toEqual([
        ['USAGE', '8.00'],
        ['MINIMUM_TRUE_UP', '0.93'],
      ]);
    });

    it('does not count spend paid by credits, unless the contract says credits count', async () => {
      // 300 cents = 3.00 of prepaid credits cover 3.00 of the usage: the customer spent 8.00 − 3.00 = 5.00,
      // so the true-up is 8.93 − 5.00 = 3.93 (never covered by credits); due 8.00 + 3.93 − 3.00 = 8.93.
      const excluded = await monthlyContract({
        minimumCommitment: { amount: '10.00', scope: 'PERIOD' },
        creditGrantCents: 300,
      });
      const draft = await draftInvoice(t, excluded);
      expect(draft.lines.map((l) => [l.kind, l.amount, credited(l)])).toEqual([
        ['USAGE', '8.00', '3.00'],
        ['MINIMUM_TRUE_UP', '3.93', '0.00'],
      ]);
      expect(draft).toMatchObject({ total: '11.93', creditsApplied: '3.00', amountDue: '8.93' });

      // creditsCount: the 8.00 counts whoever paid it, so the true-up is 8.93 − 8.00 = 0.93 again;
      // due 8.00 + 0.93 − 3.00 = 5.93.
      const counted = await monthlyContract({
        minimumCommitment: { amount: '10.00', scope: 'PERIOD', creditsCount: true },
        creditGrantCents: 300,
      });
      const countedDraft = await draftInvoice(t, counted);
      expect(countedDraft.lines.map((l) => [l.kind, l.amount])).toEqual([
        ['USAGE', '8.00'],
        ['MINIMUM_TRUE_UP', '0.93'],
      ]);
      expect(countedDraft).toMatchObject({ total: '8.93', creditsApplied: '3.00', amountDue: '5.93' });
    });

    it('adds no line when the spend meets the minimum', async () => {
      // Minimum 8.00 × 25/28 = 7.142857… → 7.14 < 8.00 spent.
      const contractId = await monthlyContract({ minimumCommitment: { amount: '8.00', scope: 'PERIOD' } });
      expect((await draftInvoice(t, contractId)).lines.map((l) => l.kind)).toEqual(['USAGE']);
    });
  });

  describe('an annual postpaid commitment over the whole term', () => {
    it('bills the term shortfall on the last invoice only, once the earlier ones are final', async () => {
      t.clock.set('2026-01-05T00:00:00Z');
      const customer = await newCustomer();
      const contractId = await createContract(t, {
        customerId: customer.id,
        planId: quarterlyPlanId,
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        minimumCommitment: { amount: '12000.00', scope: 'TERM' },
      });
      const quarters: Array<[string, number]> = [
        ['2026-02-01T00:00:00Z', 2000],
        ['2026-05-01T00:00:00Z', 3000],
        ['2026-08-01T00:00:00Z', 1500],
        ['2026-11-01T00:00:00Z', 2500],
      ];
      const ids: string[] = [];
      for (const [at, units] of quarters) {
        t.clock.set(at);
        await use(customer.externalId, 'api_units', 'units', units, at);
        const draft = await draftInvoice(t, contractId);
        // Only the last quarter closes the term: no true-up before it.
        expect(draft.lines.map((l) => [l.kind, l.amount])).toEqual(
          ids.length < 3
            ? [['USAGE', `${units}.00`]]
            : [
                ['USAGE', '2500.00'],
                ['MINIMUM_TRUE_UP', expect.any(String)],
              ],
        );
        ids.push(draft.id);
      }
      t.clock.set('2027-01-02T00:00:00Z');
      await finalizeInvoice(t, ids[0]);
      await finalizeInvoice(t, ids[1]);
      // Q3 is still a draft: its spend is not settled, so the last invoice cannot close the term yet.
      const early = await t.gql(`mutation($id: ID!) { finalizeInvoice(id: $id) { id } }`, { id: ids[3] });
      expect(early.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      await finalizeInvoice(t, ids[2]);
      const last = await finalizeInvoice(t, ids[3]);
      // Spent 2,000 + 3,000 + 1,500 + 2,500 = 9,000.00 of the 12,000.00 term minimum (a full term: no
      // proration), so the last invoice bills 12,000.00 − 9,000.00 = 3,000.00 on top of its 2,500.00.
      expect(last.lines.map((l) => [l.kind, l.description, l.amount])).toEqual([
        ['USAGE', 'API units', '2500.00'],
        ['MINIMUM_TRUE_UP', 'Minimum commitment true-up (term minimum 12000.00, spent 9000.00)', '3000.00'],
      ]);
      expect(last).toMatchObject({ total: '5500.00', amountDue: '5500.00' });
      expect(last.lines[1]).toMatchObject({
        serviceFrom: '2026-01-01T00:00:00.000Z',
        serviceTo: '2027-01-01T00:00:00.000Z',
      });
    });
  });

  describe('a minimum per contract year', () => {
    it('bills each year on the invoice of its last period, the short last year prorated', async () => {
      // 15 March 2026 – 14 September 2027, billed quarterly. Year 1 is 15 Mar 2026 – 15 Mar 2027; year 2 is
      // cut short by the contract's end: 15 Mar – 15 Sep 2027 = 184 days (17+30+31+30+31+31+14) of the
      // 366 days to 15 Mar 2028, so its minimum is 1,000.00 × 184/366 = 502.732… → 502.73.
      t.clock.set('2026-03-15T00:00:00Z');
      const customer = await newCustomer();
      const contractId = await createContract(t, {
        customerId: customer.id,
        planId: quarterlyPlanId,
        startDate: '2026-03-15',
        endDate: '2027-09-14',
        minimumCommitment: { amount: '1000.00', scope: 'CONTRACT_YEAR' },
      });
      // Usage: 100 in year 1's second quarter; 200 in year 2's first quarter.
      const usage: Record<number, number> = { 1: 100, 4: 200 };
      const starts = ['2026-03-15', '2026-06-15', '2026-09-15', '2026-12-15', '2027-03-15', '2027-06-15'];
      const invoices: InvoiceResult[] = [];
      for (const [quarter, start] of starts.entries()) {
        t.clock.set(`${start}T12:00:00Z`);
        if (usage[quarter])
          await use(customer.externalId, 'api_units', 'units', usage[quarter], `${start}T06:00:00Z`);
        const draft = await draftInvoice(t, contractId);
        t.clock.set('2027-10-01T00:00:00Z');
        invoices.push(await finalizeInvoice(t, draft.id));
      }
      const trueUps = invoices.map(
        (invoice) => invoice.lines.find((l) => l.kind === 'MINIMUM_TRUE_UP')?.amount ?? null,
      );
      // Year 1: 1,000.00 − 100.00 = 900.00 on its 4th quarter. Year 2: 502.73 − 200.00 = 302.73 on the last.
      expect(trueUps).toEqual([null, null, null, '900.00', null, '302.73']);
    });
  });

  describe('per-pricing minimumAmount and maximumAmount', () => {
    const BOUND_FIELDS = `lines { kind quantity amount bound unboundedAmount description }`;
    async function storageDraft(units: number | null, endDate?: string) {
      t.clock.set('2026-03-05T00:00:00Z');
      const customer = await newCustomer();
      const contractId = await createContract(t, {
        customerId: customer.id,
        planId: boundedPlanId,
        startDate: '2026-03-01',
        ...(endDate ? { endDate } : {}),
      });
      if (units !== null) await use(customer.externalId, 'storage', 'gb', units, '2026-03-02T00:00:00Z');
      const data = await t.gqlOk<{ draftInvoice: { lines: Array<Record<string, unknown>> } }>(
        `query($id: ID!) { draftInvoice(contractId: $id) { ${BOUND_FIELDS} } }`,
        { id: contractId },
      );
      return data.draftInvoice.lines;
    }

    it('raises a line to the minimum, lowers it to the cap, and shows what it came to', async () => {
      // 3 GB × 1.00 = 3.00 < the 5.00 minimum (a full 31-day March: not prorated).
      expect(await storageDraft(3)).toEqual([
        {
          kind: 'USAGE',
          quantity: '3',
          amount: '5.00',
          bound: 'MINIMUM',
          unboundedAmount: '3.00',
          description: 'Storage GB',
        },
      ]);
      // 25 GB × 1.00 = 25.00 > the 20.00 cap.
      expect(await storageDraft(25)).toEqual([
        {
          kind: 'USAGE',
          quantity: '25',
          amount: '20.00',
          bound: 'MAXIMUM',
          unboundedAmount: '25.00',
          description: 'Storage GB',
        },
      ]);
      // 12 GB = 12.00, between the bounds: untouched.
      expect(await storageDraft(12)).toEqual([
        {
          kind: 'USAGE',
          quantity: '12',
          amount: '12.00',
          bound: null,
          unboundedAmount: null,
          description: 'Storage GB',
        },
      ]);
    });

    it('bills the minimum without usage, prorated by days like a flat fee', async () => {
      // No usage in a full March: a zero-quantity line at the 5.00 minimum.
      expect(await storageDraft(null)).toEqual([
        {
          kind: 'USAGE',
          quantity: '0',
          amount: '5.00',
          bound: 'MINIMUM',
          unboundedAmount: '0.00',
          description: 'Storage GB',
        },
      ]);
      // A contract ending 10 March covers 10 of March's 31 days: 5.00 × 10/31 = 1.6129… → 1.61 > 1 GB = 1.00.
      expect(await storageDraft(1, '2026-03-10')).toEqual([
        {
          kind: 'USAGE',
          quantity: '1',
          amount: '1.61',
          bound: 'MINIMUM',
          unboundedAmount: '1.00',
          description: 'Storage GB',
        },
      ]);
    });

    it('refuses a minimum above the cap, naming the field', async () => {
      const result = await t.gql(
        `mutation($input: CreatePricingInput!) { createPricing(input: $input) { id } }`,
        {
          input: {
            name: 'Bad',
            meterCode: 'STORAGE',
            model: 'PER_UNIT',
            fallbackRate: '1',
            minimumAmount: '30',
            maximumAmount: '20',
          },
        },
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.minimumAmount',
      });
    });
  });

  describe('terms on the contract', () => {
    const TERMS = `minimumCommitment { amount scope pricingIds creditsCount } rollover { fraction cap }`;

    it('shows the terms, and refuses bad ones with a code naming the field', async () => {
      t.clock.set('2026-04-01T00:00:00Z');
      const customer = await newCustomer();
      const created = await t.gqlOk<{ createContract: Record<string, unknown> }>(
        `mutation($input: CreateContractInput!) { createContract(input: $input) { id ${TERMS} } }`,
        {
          input: {
            customerId: customer.id,
            planId: monthlyPlanId,
            startDate: '2026-04-01',
            endDate: '2027-03-31',
            minimumCommitment: { amount: '1000', scope: 'CONTRACT_YEAR', pricingIds: [apiPricingId] },
            rollover: { fraction: '0.5', cap: '15000' },
          },
        },
      );
      expect(created.createContract).toMatchObject({
        minimumCommitment: {
          amount: '1000.00',
          scope: 'CONTRACT_YEAR',
          pricingIds: [apiPricingId],
          creditsCount: false,
        },
        rollover: { fraction: '0.5', cap: '15000.00' },
      });

      const refused = async (input: Record<string, unknown>) => {
        const other = await newCustomer();
        const result = await t.gql(
          `mutation($input: CreateContractInput!) { createContract(input: $input) { id } }`,
          {
            input: { customerId: other.id, planId: monthlyPlanId, startDate: '2026-04-01', ...input },
          },
        );
        return result.errors?.[0]?.extensions;
      };
      // An evergreen contract has no last invoice to bill a term minimum on.
      expect(await refused({ minimumCommitment: { amount: '10', scope: 'TERM' } })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.minimumCommitment.scope',
      });
      // USD has two minor digits: 10.001 cannot be billed.
      expect(await refused({ minimumCommitment: { amount: '10.001', scope: 'PERIOD' } })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.minimumCommitment.amount',
      });
      // DECIMAL(20,4) holds 16 digits before the point: 10^16 is refused before the database sees it.
      expect(
        await refused({ minimumCommitment: { amount: '10000000000000000', scope: 'PERIOD' } }),
      ).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.minimumCommitment.amount',
      });
      expect(
        await refused({ minimumCommitment: { amount: '10', scope: 'PERIOD', pricingIds: ['prc_unknown'] } }),
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.minimumCommitment.pricingIds.0' });
      expect(await refused({ rollover: { fraction: '1.5' } })).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.rollover.fraction',
      });
    });

    it('sets and clears the terms by amendment; drafts re-price with the new minimum', async () => {
      t.clock.set('2026-06-03T00:00:00Z');
      const customer = await newCustomer();
      const contractId = await createContract(t, {
        customerId: customer.id,
        planId: monthlyPlanId,
        startDate: '2026-06-01',
      });
      await use(customer.externalId, 'api_units', 'units', 4, '2026-06-02T00:00:00Z');
      const SET = `mutation($input: SetContractCommitmentsInput!) {
        setContractCommitments(input: $input) { replayed amendment { kind } contract { ${TERMS} } }
      }`;
      const set = await t.gqlOk<{ setContractCommitments: Record<string, unknown> }>(SET, {
        input: {
          contractId,
          idempotencyKey: 'commit-1',
          minimumCommitment: { amount: '50', scope: 'PERIOD' },
        },
      });
      expect(set.setContractCommitments).toMatchObject({
        replayed: false,
        amendment: { kind: 'COMMITMENTS_CHANGED' },
        contract: { minimumCommitment: { amount: '50.00', scope: 'PERIOD' }, rollover: null },
      });
      // June is a full 30-day period: 50.00 − 4.00 spent = 46.00.
      expect((await draftInvoice(t, contractId)).lines.map((l) => [l.kind, l.amount])).toEqual([
        ['USAGE', '4.00'],
        ['MINIMUM_TRUE_UP', '46.00'],
      ]);
      await t.gqlOk(SET, { input: { contractId, idempotencyKey: 'commit-2' } });
      expect((await draftInvoice(t, contractId)).lines.map((l) => l.kind)).toEqual(['USAGE']);
    });
  });
});
