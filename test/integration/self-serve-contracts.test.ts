import { TestApp } from '../support/test-app';
import { draftInvoice, invoicesOf } from '../support/billing-api';
import {
  CHANGE_FIELDS,
  createSaasCatalog,
  errorOf,
  SIGN_UP,
  type SaasCatalog,
  type Gql,
} from '../support/saas-catalog';

/**
 * Contract management beyond the main journey: add-ons and seats (prorated), auto-renew and renewal into a
 * new term of the same contract, immediate cancellation ending promotional credits, and idempotency of
 * every contract mutation.
 */
describe('Self-serve contract management', () => {
  let t: TestApp;
  let catalog: SaasCatalog;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-05-01T08:00:00Z');
    catalog = await createSaasCatalog(t);
  });
  afterAll(() => t.stop());

  async function signUp(
    name: string,
    planId = catalog.proId,
  ): Promise<{ customerId: string; contractId: string }> {
    const data = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
      input: {
        customer: { name, externalId: name.toLowerCase().replace(/\W/g, '') },
        planId,
        promotionalCredits: { amountCents: '2000' },
        idempotencyKey: `signup-${name}`,
      },
    });
    return { customerId: data.signUp.customer.id, contractId: data.signUp.contract.id };
  }

  const MUTATIONS: Record<string, string> = {
    addAddOn: `mutation($c: ID!, $p: ID!, $k: String!) { addAddOn(contractId: $c, pricingId: $p, quantity: "2", idempotencyKey: $k) { ${CHANGE_FIELDS} } }`,
    changeQuantity: `mutation($c: ID!, $p: ID!, $k: String!, $q: Decimal!) { changeQuantity(contractId: $c, pricingId: $p, quantity: $q, idempotencyKey: $k) { ${CHANGE_FIELDS} } }`,
    removeAddOn: `mutation($c: ID!, $p: ID!, $k: String!) { removeAddOn(contractId: $c, pricingId: $p, idempotencyKey: $k) { ${CHANGE_FIELDS} } }`,
  };

  it('adds an add-on and changes seats mid-period, prorated; every mutation is idempotent', async () => {
    const { contractId } = await signUp('Seaside');
    t.clock.set('2026-05-11T00:00:00Z'); // 10 of 31 days at 3 seats, then 5 seats
    const seats = await t.gqlOk<{ changeQuantity: Gql }>(MUTATIONS.changeQuantity, {
      c: contractId,
      p: catalog.seatFeeId,
      q: '5',
      k: 'seats-5',
    });
    expect(seats.changeQuantity.amendment).toMatchObject({
      kind: 'QUANTITY_CHANGED',
      details: expect.objectContaining({ fromQuantity: '3', toQuantity: '5' }),
    });
    t.clock.set('2026-05-21T00:00:00Z'); // support from the 21st: 11 of 31 days, 2 units
    const addOn = await t.gqlOk<{ addAddOn: Gql }>(MUTATIONS.addAddOn, {
      c: contractId,
      p: catalog.supportFeeId,
      k: 'support',
    });
    expect(addOn.addAddOn.amendment.kind).toBe('ADD_ON_ADDED');

    // Repeats return the first result and change nothing.
    for (const [name, vars] of [
      ['changeQuantity', { c: contractId, p: catalog.seatFeeId, q: '5', k: 'seats-5' }],
      ['addAddOn', { c: contractId, p: catalog.supportFeeId, k: 'support' }],
    ] as const) {
      const again = await t.gqlOk<Record<string, Gql>>(MUTATIONS[name], vars);
      expect(again[name].replayed).toBe(true);
    }
    const dup = await t.gql(MUTATIONS.addAddOn, {
      c: contractId,
      p: catalog.supportFeeId,
      k: 'support-again',
    });
    expect(errorOf(dup)).toMatchObject({ code: 'CONFLICT', field: 'pricingId' });
    const planItem = await t.gql(MUTATIONS.removeAddOn, {
      c: contractId,
      p: catalog.seatFeeId,
      k: 'rm-seats',
    });
    expect(errorOf(planItem)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'pricingId' });

    const draft = await draftInvoice(t, contractId);
    const lines = draft.lines.map((l) => `${l.description} | ${l.quantity} × ${l.rate} = ${l.amount}`).sort();
    expect(lines).toEqual([
      'Premium support (11 of 31 days) | 2 × 50 = 35.48',
      'Pro fee | 1 × 99 = 99.00',
      'Seats (10 of 31 days) | 3 × 10 = 9.68',
      'Seats (21 of 31 days) | 5 × 10 = 33.87',
    ]);

    t.clock.set('2026-05-26T00:00:00Z');
    const removed = await t.gqlOk<{ removeAddOn: Gql }>(MUTATIONS.removeAddOn, {
      c: contractId,
      p: catalog.supportFeeId,
      k: 'rm-support',
    });
    expect(removed.removeAddOn.amendment.kind).toBe('ADD_ON_REMOVED');
    expect(
      (
        await t.gqlOk<{ removeAddOn: Gql }>(MUTATIONS.removeAddOn, {
          c: contractId,
          p: catalog.supportFeeId,
          k: 'rm-support',
        })
      ).removeAddOn.replayed,
    ).toBe(true);
    const after = await draftInvoice(t, contractId);
    expect(after.lines.find((l) => l.description.startsWith('Premium support'))?.description).toBe(
      'Premium support (5 of 31 days)',
    );
  });

  it('schedules a downgrade at the end of the period; changes must then take effect in order', async () => {
    t.clock.set('2026-05-26T00:00:00Z');
    const { contractId } = await signUp('Later Co');
    const change = `mutation($c: ID!, $p: ID!, $k: String!) { changePlan(contractId: $c, planId: $p, timing: END_OF_PERIOD, idempotencyKey: $k) { ${CHANGE_FIELDS} } }`;
    const data = await t.gqlOk<{ changePlan: Gql }>(change, {
      c: contractId,
      p: catalog.starterId,
      k: 'down',
    });
    expect(data.changePlan.amendment).toMatchObject({
      effectiveAt: '2026-06-26T00:00:00.000Z',
      details: expect.objectContaining({ direction: 'DOWNGRADE' }),
    });
    const early = await t.gql(MUTATIONS.changeQuantity, {
      c: contractId,
      p: catalog.seatFeeId,
      q: '4',
      k: 'early',
    });
    expect(errorOf(early)).toMatchObject({ code: 'CONFLICT', field: 'timing' });
    // This period stays on Pro.
    expect((await draftInvoice(t, contractId)).lines.map((l) => l.description)).toContain('Pro fee');
  });

  it('renews an auto-renewing fixed-term contract into a new term of the same contract', async () => {
    t.clock.set('2026-05-26T00:00:00Z');
    const customer = await t.gqlOk<{ createCustomer: { id: string } }>(
      'mutation { createCustomer(input: { name: "Termly", externalId: "termly" }) { id } }',
    );
    const created = await t.gqlOk<{ createContract: { id: string } }>(
      `mutation($input: CreateContractInput!) { createContract(input: $input) { id } }`,
      {
        input: {
          customerId: customer.createCustomer.id,
          planId: catalog.starterId,
          startDate: '2026-01-01',
          endDate: '2026-06-30',
        },
      },
    );
    const contractId = created.createContract.id;
    const set = `mutation($c: ID!, $e: Boolean!, $k: String!) { setAutoRenew(contractId: $c, enabled: $e, idempotencyKey: $k) { ${CHANGE_FIELDS} } }`;
    const on = await t.gqlOk<{ setAutoRenew: Gql }>(set, { c: contractId, e: true, k: 'renew-on' });
    expect(on.setAutoRenew.contract).toMatchObject({ autoRenew: true });
    expect(
      (await t.gqlOk<{ setAutoRenew: Gql }>(set, { c: contractId, e: true, k: 'renew-on' })).setAutoRenew
        .replayed,
    ).toBe(true);

    t.clock.set('2026-07-01T00:30:00Z');
    await t.app.workers.contractRenewal.drain();
    const data = await t.gqlOk<{ contract: Gql; contractHistory: Gql[] }>(
      `query($c: ID!) { contract(id: $c) { status startDate endDate renewsOn } contractHistory(contractId: $c) { kind source details } }`,
      { c: contractId },
    );
    expect(data.contract).toMatchObject({
      status: 'ACTIVE',
      startDate: '2026-01-01T00:00:00.000Z',
      endDate: '2026-12-31T00:00:00.000Z',
      renewsOn: '2027-01-01T00:00:00.000Z',
    });
    expect(data.contractHistory.map((a) => `${a.kind}/${a.source}`)).toEqual([
      'CREATED/API',
      'AUTO_RENEW_ENABLED/API',
      'RENEWED/SYSTEM',
    ]);
    const periods = (await invoicesOf(t, customer.createCustomer.id))
      .map((i) => i.periodStart.slice(0, 7))
      .reverse();
    expect(periods).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
    // Running again renews nothing more.
    await t.app.workers.contractRenewal.drain();
    expect(
      (
        await t.gqlOk<{ contractHistory: Gql[] }>(
          'query($c: ID!) { contractHistory(contractId: $c) { kind } }',
          { c: contractId },
        )
      ).contractHistory,
    ).toHaveLength(3);

    // Evergreen contracts have no term to renew.
    const { contractId: evergreen } = await signUp('Forever');
    const refused = await t.gql(set, { c: evergreen, e: true, k: 'evergreen' });
    expect(errorOf(refused)).toMatchObject({ code: 'CONFLICT' });
  });

  it('cancels immediately: the final invoice covers today, promotional credits end with the contract', async () => {
    t.clock.set('2026-07-10T15:00:00Z');
    const { customerId, contractId } = await signUp('Brief Co', catalog.starterId);
    t.clock.set('2026-07-20T15:00:00Z');
    const cancel = `mutation($c: ID!, $k: String!) { cancelContract(contractId: $c, timing: IMMEDIATE, idempotencyKey: $k) { ${CHANGE_FIELDS} } }`;
    const data = await t.gqlOk<{ cancelContract: Gql }>(cancel, { c: contractId, k: 'bye' });
    expect(data.cancelContract.contract).toMatchObject({ endDate: '2026-07-20T00:00:00.000Z' });
    const invoices = (await invoicesOf(t, customerId))
      .map((i) => [i.periodStart, i.periodEnd, i.status])
      .reverse();
    expect(invoices).toEqual([
      ['2026-07-10T00:00:00.000Z', '2026-07-21T00:00:00.000Z', 'DRAFT'],
      ['2026-08-10T00:00:00.000Z', '2026-09-10T00:00:00.000Z', 'VOID'],
    ]);
    const draft = await draftInvoice(t, contractId);
    expect(draft.lines[0].description).toBe('Starter fee (11 of 31 days)');
    const balance = await t.gqlOk<{ creditBalance: { grants: Array<{ expiresAt: string }> } }>(
      'query($c: ID!) { creditBalance(customerId: $c) { grants { expiresAt } } }',
      { c: customerId },
    );
    expect(balance.creditBalance.grants.map((g) => g.expiresAt)).toEqual(['2026-07-21T00:00:00.000Z']);
    // Cancelling twice (a new key) is an invalid transition.
    const again = await t.gql(cancel, { c: contractId, k: 'bye-again' });
    expect(errorOf(again)).toMatchObject({ code: 'CONFLICT', field: 'contractId' });
  });
});
