import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createMeter,
  createPlan,
  createPricing,
  createRateCard,
  draftInvoice,
  finalizeInvoice,
  summarize,
} from '../support/billing-api';
import { CHANGE_FIELDS } from '../support/saas-catalog';

/**
 * Every effective instant is honoured to the second, although usage is rolled up per hour: a plan change at
 * 13:13:59, a rate version from 10:30, a cancellation at 16:45, a contract starting at 09:20, an add-on at
 * 10:10 (a cut that prices both sides the same). Events land just before and just after each instant, in the
 * hour it cuts, and in whole hours on either side; every figure below is worked out by hand.
 */
describe('Changes apply at their instant, not at the next hour', () => {
  let t: TestApp;
  let starterPlan: string;
  let proPlan: string;
  let jobsPlan: string;
  let usersPlan: string;
  let jobsPricing: string;
  let storageV1: string;
  let storageV2: string;
  let talkPlan: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-01T00:00:00Z');
    await createMeter(t, {
      code: 'API_CALLS',
      displayName: 'API Calls',
      eventName: 'api_call',
      aggregation: 'COUNT',
    });
    await createMeter(t, { code: 'JOBS', displayName: 'Jobs', eventName: 'job', aggregation: 'COUNT' });
    await createMeter(t, {
      code: 'ACTIVE_USERS',
      displayName: 'Active users',
      eventName: 'login',
      aggregation: 'UNIQUE_COUNT',
      aggregationKey: 'user_id',
    });
    const starter = await createPricing(t, {
      name: 'API calls (Starter)',
      meterCode: 'API_CALLS',
      model: 'PER_UNIT',
      fallbackRate: '0.01',
    });
    const pro = await createPricing(t, {
      name: 'API calls (Pro)',
      meterCode: 'API_CALLS',
      model: 'PER_UNIT',
      fallbackRate: '0.008',
    });
    // Version 1 until 10:30 on the 12th, version 2 from then on.
    const card = await createRateCard(t, 'JOBS', [
      { dimensions: {}, rate: '0.10', effectiveTo: '2026-03-12T10:30:00Z' },
      { dimensions: {}, rate: '0.12', effectiveFrom: '2026-03-12T10:30:00Z' },
    ]);
    jobsPricing = await createPricing(t, {
      name: 'Jobs',
      meterCode: 'JOBS',
      model: 'PER_UNIT',
      fallbackRate: '1',
      rateCardId: card,
    });
    const users = await createPricing(t, {
      name: 'Active users',
      meterCode: 'ACTIVE_USERS',
      model: 'PER_UNIT',
      fallbackRate: '2',
    });
    await createMeter(t, {
      code: 'PEAK',
      displayName: 'Peak storage',
      eventName: 'storage_sample',
      aggregation: 'MAX',
      aggregationKey: 'gb',
    });
    await createMeter(t, {
      code: 'LEVEL',
      displayName: 'Level',
      eventName: 'storage_sample',
      aggregation: 'LATEST',
      aggregationKey: 'level',
    });
    const storagePricing = (meterCode: string, version: string, fallbackRate: string) =>
      createPricing(t, { name: `${meterCode} ${version}`, meterCode, model: 'PER_UNIT', fallbackRate });
    storageV1 = await createPlan(t, {
      name: 'Storage v1',
      items: [
        { pricingId: await storagePricing('PEAK', 'v1', '1') },
        { pricingId: await storagePricing('LEVEL', 'v1', '0.5') },
      ],
    });
    storageV2 = await createPlan(t, {
      name: 'Storage v2',
      items: [
        { pricingId: await storagePricing('PEAK', 'v2', '0.8') },
        { pricingId: await storagePricing('LEVEL', 'v2', '0.4') },
      ],
    });
    await createMeter(t, {
      code: 'TALK',
      displayName: 'Talk time',
      eventName: 'talk',
      aggregation: 'SUM',
      aggregationKey: 'seconds',
      groupKeys: ['region'],
    });
    const talk = await createPricing(t, {
      name: 'Talk',
      meterCode: 'TALK',
      model: 'PER_UNIT',
      fallbackRate: '0.01',
    });
    talkPlan = await createPlan(t, { name: 'Talk', items: [{ pricingId: talk }] });
    starterPlan = await createPlan(t, { name: 'Starter', items: [{ pricingId: starter }] });
    proPlan = await createPlan(t, { name: 'Pro', items: [{ pricingId: pro }] });
    jobsPlan = await createPlan(t, { name: 'Jobs', items: [{ pricingId: jobsPricing }] });
    usersPlan = await createPlan(t, { name: 'Users', items: [{ pricingId: users }] });
  });
  afterAll(() => t.stop());

  /** `count` events of one customer at one instant, through the REST batch API. */
  async function send(customer: string, eventName: string, at: string, count: number, props = {}) {
    const response = await t.rest('POST', '/v1/events/batch', {
      events: Array.from({ length: count }, (_, i) => ({
        customer_id: customer,
        event_name: eventName,
        idempotency_key: `${customer}-${at}-${JSON.stringify(props)}-${i}`,
        timestamp: at,
        properties: props,
      })),
    });
    expect(response.status).toBe(202);
  }

  async function newContract(name: string, planId: string, startDate = '2026-03-01'): Promise<string> {
    const customerId = await createCustomer(t, name, name);
    return createContract(t, { customerId, planId, startDate });
  }

  it('an immediate upgrade at 13:13:59 bills each side at its own rate, in the draft and once finalized', async () => {
    const contractId = await newContract('upgrade', starterPlan);
    t.clock.set('2026-03-10T13:13:59Z');
    const change = await t.gqlOk<{ changePlan: { amendment: { effectiveAt: string } } }>(
      `mutation($c: ID!, $p: ID!) {
        changePlan(contractId: $c, planId: $p, timing: IMMEDIATE, idempotencyKey: "up") { ${CHANGE_FIELDS} }
      }`,
      { c: contractId, p: proPlan },
    );
    expect(change.changePlan.amendment.effectiveAt).toBe('2026-03-10T13:13:59.000Z');
    t.clock.set('2026-03-10T16:00:00Z');
    await send('upgrade', 'api_call', '2026-03-10T12:10:00Z', 200); // Starter, a whole hour before
    await send('upgrade', 'api_call', '2026-03-10T13:13:58.999Z', 300); // Starter, the last instant before
    await send('upgrade', 'api_call', '2026-03-10T13:13:59Z', 250); // Pro, from the instant itself
    await send('upgrade', 'api_call', '2026-03-10T13:59:59Z', 250); // Pro, same hour
    await t.app.workers.aggregator.drain();

    // Starter: 200 + 300 = 500 calls × 0.01 = 5.00. Pro: 250 + 250 = 500 calls × 0.008 = 4.00 (per the hour,
    // the 13:00 hour would have gone to Starter: 1,000 × 0.01 = 10.00 and nothing at Pro).
    const draft = await draftInvoice(t, contractId);
    expect(summarize(draft.lines)).toEqual([
      'API Calls | 500 × 0.01 = 5.00 (FALLBACK)',
      'API Calls | 500 × 0.008 = 4.00 (FALLBACK)',
    ]);
    expect(draft.lines.map((l) => [l.serviceFrom, l.serviceTo])).toEqual([
      ['2026-03-01T00:00:00.000Z', '2026-03-10T13:13:59.000Z'],
      ['2026-03-10T13:13:59.000Z', '2026-04-01T00:00:00.000Z'],
    ]);
    expect(draft.subtotal).toBe('9.00'); // 5.00 + 4.00

    // Finalization prices through the same exact path: the frozen lines are the draft's.
    t.clock.set('2026-04-01T00:30:00Z');
    const final = await finalizeInvoice(t, draft.id);
    expect(final.status).toBe('FINALIZED');
    expect(summarize(final.lines)).toEqual(summarize(draft.lines));
    expect(final.subtotal).toBe('9.00');
  });

  it('a rate version effective at 10:30 prices the events of 10:00–10:29 at the old rate', async () => {
    t.clock.set('2026-03-12T12:00:00Z');
    const contractId = await newContract('rates', jobsPlan);
    await send('rates', 'job', '2026-03-12T09:15:00Z', 10); // version 1
    await send('rates', 'job', '2026-03-12T10:29:59Z', 40); // version 1, the second before
    await send('rates', 'job', '2026-03-12T10:30:00Z', 60); // version 2 from the instant
    await send('rates', 'job', '2026-03-12T11:05:00Z', 5); // version 2
    await t.app.workers.aggregator.drain();

    // Version 1: 10 + 40 = 50 jobs × 0.10 = 5.00; version 2: 60 + 5 = 65 jobs × 0.12 = 7.80.
    const draft = await draftInvoice(t, contractId);
    expect(summarize(draft.lines)).toEqual([
      'Jobs | 50 × 0.1 = 5.00 (RATE_CARD)',
      'Jobs | 65 × 0.12 = 7.80 (RATE_CARD)',
    ]);
    expect(draft.subtotal).toBe('12.80'); // 5.00 + 7.80
  });

  it('an immediate cancellation at 16:45 bills no usage after it', async () => {
    t.clock.set('2026-03-20T08:00:00Z');
    const contractId = await newContract('cancel', starterPlan);
    t.clock.set('2026-03-20T16:45:00Z');
    await t.gqlOk(
      `mutation($c: ID!) { cancelContract(contractId: $c, timing: IMMEDIATE, idempotencyKey: "bye") { ${CHANGE_FIELDS} } }`,
      { c: contractId },
    );
    t.clock.set('2026-03-20T17:30:00Z');
    await send('cancel', 'api_call', '2026-03-20T08:00:00Z', 10); // billed
    await send('cancel', 'api_call', '2026-03-20T16:44:59Z', 30); // billed, the second before
    await send('cancel', 'api_call', '2026-03-20T16:45:00Z', 70); // not billed: the instant itself is after
    await send('cancel', 'api_call', '2026-03-20T17:10:00Z', 20); // not billed
    await t.app.workers.aggregator.drain();

    // 10 + 30 = 40 calls × 0.01 = 0.40 (per the hour, the whole 16:00 hour: 10 + 30 + 70 = 110 × 0.01 = 1.10).
    const draft = await draftInvoice(t, contractId);
    expect(draft.periodEnd).toBe('2026-03-21T00:00:00.000Z');
    expect(summarize(draft.lines)).toEqual(['API Calls | 40 × 0.01 = 0.40 (FALLBACK)']);
    expect(draft.lines[0].serviceTo).toBe('2026-03-20T16:45:00.000Z');
  });

  it('a contract starting at 09:20 bills no usage before it', async () => {
    t.clock.set('2026-03-05T12:00:00Z');
    const customerId = await createCustomer(t, 'late start', 'late');
    const created = await t.gqlOk<{ createContract: { id: string; startDate: string } }>(
      'mutation($input: CreateContractInput!) { createContract(input: $input) { id startDate } }',
      { input: { customerId, planId: starterPlan, startDate: '2026-03-05T09:20:00Z' } },
    );
    expect(created.createContract.startDate).toBe('2026-03-05T09:20:00.000Z');
    await send('late', 'api_call', '2026-03-05T08:30:00Z', 5); // not billed: a whole hour before
    await send('late', 'api_call', '2026-03-05T09:19:59Z', 15); // not billed: the second before
    await send('late', 'api_call', '2026-03-05T09:20:00Z', 25); // billed from the instant
    await send('late', 'api_call', '2026-03-05T11:00:00Z', 35); // billed
    await t.app.workers.aggregator.drain();

    // 25 + 35 = 60 calls × 0.01 = 0.60 (per the hour: 15 + 25 + 35 = 75 × 0.01 = 0.75).
    const draft = await draftInvoice(t, created.createContract.id);
    expect(draft.periodStart).toBe('2026-03-05T00:00:00.000Z');
    expect(summarize(draft.lines)).toEqual(['API Calls | 60 × 0.01 = 0.60 (FALLBACK)']);
    expect(draft.lines[0].serviceFrom).toBe('2026-03-05T09:20:00.000Z');
  });

  it('leaves out of a boundary hour an event the aggregator set aside, as the roll-up does', async () => {
    t.clock.set('2026-03-27T12:00:00Z');
    const customerId = await createCustomer(t, 'talk', 'talk');
    const contractId = await createContract(t, {
      customerId,
      planId: talkPlan,
      startDate: '2026-03-27T09:20:00Z',
    });
    await send('talk', 'talk', '2026-03-27T09:30:00Z', 1, { seconds: 100, region: 'US' });
    // A poison event in the start's hour (a region too long for the aggregates), stored as if ingestion had
    // let it through: the aggregator sets it aside until it is fixed and retried.
    await t.app.db.query(
      `INSERT INTO usage_events
         (environment_id, customer_id, event_name, idempotency_key, occurred_at, received_at, ingest_batch, properties)
       VALUES (?, ?, 'talk', 'talk-poison', '2026-03-27 09:40:00.000', '2026-03-27 09:40:00.000', 1, ?)`,
      [t.environmentId, customerId, JSON.stringify({ region: 'x'.repeat(600), seconds: 50 })],
    );
    await t.app.workers.aggregator.drain();
    const failures = await t.gqlOk<{ usageEventFailures: { nodes: Array<{ customerId: string }> } }>(
      '{ usageEventFailures(first: 5) { nodes { customerId } } }',
    );
    expect(failures.usageEventFailures.nodes).toEqual([{ customerId }]);

    // 100 seconds × 0.01 = 1.00; the set-aside 50 seconds wait for their retry.
    const draft = await draftInvoice(t, contractId);
    expect(summarize(draft.lines)).toEqual(['Talk time - US | 100 × 0.01 = 1.00 (FALLBACK)']);
  });

  it('MAX and LATEST take each side of an upgrade at 13:13:59 from its own events', async () => {
    t.clock.set('2026-03-25T13:13:59Z');
    const contractId = await newContract('storage', storageV1);
    await t.gqlOk(
      `mutation($c: ID!, $p: ID!) {
        changePlan(contractId: $c, planId: $p, timing: IMMEDIATE, idempotencyKey: "v2") { ${CHANGE_FIELDS} }
      }`,
      { c: contractId, p: storageV2 },
    );
    t.clock.set('2026-03-25T16:00:00Z');
    for (const [at, gb, level] of [
      ['2026-03-25T12:00:00Z', 5, 4], // v1, a whole hour before
      ['2026-03-25T13:10:00Z', 9, 6], // v1, the change's hour: the peak and the latest level before it
      ['2026-03-25T13:13:59Z', 7, 8], // v2, from the instant: the peak after it
      ['2026-03-25T13:40:00Z', 3, 2], // v2, the latest level after it
    ] as const) {
      await send('storage', 'storage_sample', at, 1, { gb, level });
    }
    await t.app.workers.aggregator.drain();

    // v1: peak max(5, 9) = 9 GB × 1.00 = 9.00; latest level 6 (13:10) × 0.50 = 3.00.
    // v2: peak max(7, 3) = 7 GB × 0.80 = 5.60; latest level 2 (13:40) × 0.40 = 0.80.
    // (Per the hour, v1 would take the whole 13:00 hour: peak 9, level 2, and v2 nothing.)
    const draft = await draftInvoice(t, contractId);
    expect(summarize(draft.lines).sort()).toEqual([
      'Level | 2 × 0.4 = 0.80 (FALLBACK)',
      'Level | 6 × 0.5 = 3.00 (FALLBACK)',
      'Peak storage | 7 × 0.8 = 5.60 (FALLBACK)',
      'Peak storage | 9 × 1 = 9.00 (FALLBACK)',
    ]);
    expect(draft.subtotal).toBe('18.40'); // 9.00 + 3.00 + 5.60 + 0.80
  });

  it('UNIQUE_COUNT counts a value once across a cut that prices both sides the same', async () => {
    t.clock.set('2026-03-15T08:00:00Z');
    const contractId = await newContract('users', usersPlan);
    // A usage add-on at 10:10 cuts the period for every meter; Active users keeps the same pricing.
    t.clock.set('2026-03-15T10:10:00Z');
    await t.gqlOk(
      `mutation($c: ID!, $p: ID!) {
        addAddOn(contractId: $c, pricingId: $p, timing: IMMEDIATE, idempotencyKey: "jobs") { ${CHANGE_FIELDS} }
      }`,
      { c: contractId, p: jobsPricing },
    );
    t.clock.set('2026-03-15T13:00:00Z');
    for (const [at, users] of [
      ['2026-03-15T09:00:00Z', ['u1', 'u2']], // whole hour before the cut
      ['2026-03-15T10:05:00Z', ['u2', 'u3']], // the cut's hour, before it
      ['2026-03-15T10:15:00Z', ['u3', 'u4']], // the cut's hour, after it
      ['2026-03-15T12:00:00Z', ['u4', 'u1']], // whole hour after the cut
    ] as const) {
      for (const user of users) await send('users', 'login', at, 1, { user_id: user });
    }
    await send('users', 'job', '2026-03-15T10:09:59Z', 7); // before the add-on: not billed
    await send('users', 'job', '2026-03-15T10:10:00Z', 3); // the add-on's own instant: billed
    await t.app.workers.aggregator.drain();

    // Distinct users u1, u2, u3, u4 = 4 × 2 = 8.00 (counting each side apart would bill u1, u2, u3 before
    // and u3, u4, u1 after: 6 users = 12.00). Jobs from 10:10 only, at version 2 (from the 12th):
    // 3 × 0.12 = 0.36.
    const draft = await draftInvoice(t, contractId);
    expect(summarize(draft.lines)).toEqual([
      'Active users | 4 × 2 = 8.00 (FALLBACK)',
      'Jobs | 3 × 0.12 = 0.36 (RATE_CARD)',
    ]);
    expect(draft.lines[1].serviceFrom).toBe('2026-03-15T10:10:00.000Z');
  });
});
