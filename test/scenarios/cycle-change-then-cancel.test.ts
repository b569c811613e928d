import { invoicesOf } from '../support/billing-api';
import { createSaasCatalog, SIGN_UP, type Gql } from '../support/saas-catalog';
import { TestApp } from '../support/test-app';

/**
 * A billing-cycle change moves the contract's billing anchor to the next boundary, so the current period
 * no longer belongs to the new schedule. Cancelling immediately afterwards cuts that period's invoice
 * short: its fees must still be prorated over the period's full cycle, not billed in full.
 */
describe('a billing-cycle change followed by an immediate cancellation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  it('prorates the cut period over its whole month, exactly as without the cycle change', async () => {
    t.clock.set('2026-05-01T08:00:00Z');
    const catalog = await createSaasCatalog(t);
    const { signUp } = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
      input: {
        customer: { name: 'Cycle Co', externalId: 'cycle' },
        planId: catalog.proId,
        idempotencyKey: 's',
      },
    });
    const contractId = signUp.contract.id;
    t.clock.set('2026-05-26T00:00:00Z');
    await t.gqlOk(
      'mutation($c: ID!) { changeBillingCycle(contractId: $c, billingCycle: ANNUAL, idempotencyKey: "a") { replayed } }',
      { c: contractId },
    );
    t.clock.set('2026-05-28T12:00:00Z');
    await t.gqlOk(
      'mutation($c: ID!) { cancelContract(contractId: $c, timing: IMMEDIATE, idempotencyKey: "now") { replayed } }',
      { c: contractId },
    );

    const may = (await invoicesOf(t, signUp.customer.id)).find((i) => i.status !== 'VOID');
    // Covered May 1–28, 28 of May's 31 days: Pro fee 99 × 28/31 = 89.419… → 89.42;
    // 3 seats × 10 × 28/31 = 27.096… → 27.10; total 116.52 (129.00 before the fix: nothing prorated).
    expect(may?.periodEnd).toBe('2026-05-29T00:00:00.000Z');
    expect(may?.lines.map((l) => `${l.description} = ${l.amount}`).sort()).toEqual([
      'Pro fee (28 of 31 days) = 89.42',
      'Seats (28 of 31 days) = 27.10',
    ]);
    expect(may?.total).toBe('116.52');
  });
});
