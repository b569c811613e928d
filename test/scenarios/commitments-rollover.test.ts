import { TestApp } from '../support/test-app';
import {
  createCustomer,
  createMeter,
  createPlan,
  createPricing,
  createContract,
} from '../support/billing-api';

/**
 * Rollover at renewal (issue 17): a contract renewing with 40,000.00 of prepaid credits unused, rolling over
 * 50% capped at 15,000.00. 50% of 40,000.00 = 20,000.00, above the cap, so 15,000.00 moves to a new grant
 * expiring with the new term and 40,000.00 − 15,000.00 = 25,000.00 expires as breakage; both on the ledger.
 */
describe('rollover of unused prepaid credits at renewal', () => {
  let t: TestApp;
  let planId: string;
  let customers = 0;

  const LEDGER = `query($id: ID!) {
    creditLedger(customerId: $id, first: 50) { edges { node { grantId kind amount grantBalanceAfter } } }
  }`;
  const GRANTS = `query($id: ID!) {
    creditBalance(customerId: $id) {
      grants { grantId status granted expired remaining effectiveAt expiresAt description }
    }
  }`;
  interface Grant {
    grantId: string;
    status: string;
    granted: string;
    expired: string;
    remaining: string;
    effectiveAt: string;
    expiresAt: string | null;
    description: string;
  }

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-01-01T00:00:00Z');
    await createMeter(t, {
      code: 'CALLS',
      displayName: 'Calls',
      eventName: 'calls',
      aggregation: 'COUNT',
    });
    const pricingId = await createPricing(t, {
      name: 'Calls',
      meterCode: 'CALLS',
      model: 'PER_UNIT',
      fallbackRate: '0.01',
    });
    planId = await createPlan(t, { name: 'Annual', billingCycle: 'ANNUAL', items: [{ pricingId }] });
  });
  afterAll(() => t.stop());

  async function renewingContract(rollover: Record<string, string> | null) {
    t.clock.set('2026-01-01T00:00:00Z');
    const customerId = await createCustomer(t, `Initech ${++customers}`);
    const contractId = await createContract(t, {
      customerId,
      planId,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      // 4,000,000 cents = 40,000.00, expiring with the term (1 January 2027), never used.
      creditGrantCents: 4_000_000,
      ...(rollover ? { rollover } : {}),
    });
    await t.gqlOk(
      'mutation($c: ID!, $k: String!) { setAutoRenew(contractId: $c, enabled: true, idempotencyKey: $k) { replayed } }',
      { c: contractId, k: `renew-${contractId}` },
    );
    // Past the term and the finalization grace: renew, finalize the term's invoice, expire its credits.
    t.clock.set('2027-01-03T00:00:00Z');
    await t.app.workers.contractRenewal.drain();
    await t.app.workers.invoiceFinalizer.drain();
    await t.app.workers.creditExpiry.drain();
    const grants = (await t.gqlOk<{ creditBalance: { grants: Grant[] } }>(GRANTS, { id: customerId }))
      .creditBalance.grants;
    const ledger = (
      await t.gqlOk<{ creditLedger: { edges: Array<{ node: Record<string, string> }> } }>(LEDGER, {
        id: customerId,
      })
    ).creditLedger.edges.map((e) => e.node);
    return { grants, ledger };
  }

  it('rolls 15,000.00 into the new term and expires 25,000.00 as breakage', async () => {
    const { grants, ledger } = await renewingContract({ fraction: '0.5', cap: '15000' });
    const [old, rolled] = grants;
    expect(old).toMatchObject({
      status: 'EXPIRED',
      granted: '40000.00',
      expired: '25000.00',
      remaining: '0.00',
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
    // The renewed term runs 1 January – 31 December 2027: the new grant expires on 1 January 2028.
    expect(rolled).toMatchObject({
      status: 'ACTIVE',
      granted: '15000.00',
      remaining: '15000.00',
      effectiveAt: '2027-01-01T00:00:00.000Z',
      expiresAt: '2028-01-01T00:00:00.000Z',
    });
    // Newest first: the new grant's GRANT, then the old grant's EXPIRY and ROLLOVER, then its GRANT.
    const kinds = ledger.map((e) => [e.grantId === old.grantId ? 'old' : 'new', e.kind, e.amount]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['old', 'GRANT', '40000.00'],
        ['old', 'ROLLOVER', '-15000.00'],
        ['old', 'EXPIRY', '-25000.00'],
        ['new', 'GRANT', '15000.00'],
      ]),
    );
    expect(kinds).toHaveLength(4);
  });

  it('rolls the fraction alone when it is under the cap, and nothing without rollover terms', async () => {
    // 25% of 40,000.00 = 10,000.00 ≤ 15,000.00: 10,000.00 rolled, 30,000.00 breakage.
    const quarter = await renewingContract({ fraction: '0.25', cap: '15000' });
    expect(quarter.grants.map((g) => [g.status, g.granted, g.expired])).toEqual([
      ['EXPIRED', '40000.00', '30000.00'],
      ['ACTIVE', '10000.00', '0.00'],
    ]);
    // No rollover terms: the whole 40,000.00 expires.
    const none = await renewingContract(null);
    expect(none.grants.map((g) => [g.status, g.granted, g.expired])).toEqual([
      ['EXPIRED', '40000.00', '40000.00'],
    ]);
  });
});
