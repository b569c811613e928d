import { createContract, createCustomer } from '../support/billing-api';
import { CHANGE_FIELDS, createSaasCatalog } from '../support/saas-catalog';
import { TestApp } from '../support/test-app';
import { createEndpoint, Receiver } from './webhooks.support';

/** Events the background workers cause: credits expiring and contracts renewing, each recorded with its change. */
describe('Webhooks from the workers', () => {
  let t: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await TestApp.start();
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.stop();
  });

  it('records credits.expired and contract.renewed', async () => {
    t.clock.set('2026-01-01T10:00:00Z');
    const catalog = await createSaasCatalog(t);
    await createEndpoint(t, receiver.url('/ops'), [
      'contract.created',
      'contract.amended',
      'contract.renewed',
      'credits.granted',
      'credits.expired',
    ]);
    const customerId = await createCustomer(t, 'Renewing Co');
    const contractId = await createContract(t, {
      customerId,
      planId: catalog.starterId,
      startDate: '2026-01-01',
      endDate: '2026-06-30',
    });
    await t.gqlOk(
      `mutation($c: ID!) { setAutoRenew(contractId: $c, enabled: true, idempotencyKey: "on") { ${CHANGE_FIELDS} } }`,
      { c: contractId },
    );
    const grant = await t.gqlOk<{ grantPromotionalCredits: { id: string } }>(
      `mutation($c: ID!) { grantPromotionalCredits(contractId: $c,
         input: { amountCents: 100000, description: "Launch", expiresAt: "2026-03-15T00:00:00Z" }) { id } }`,
      { c: contractId },
    );
    const grantId = grant.grantPromotionalCredits.id;

    // After March's invoice (its period started before the expiry) is final, the rest of the grant expires.
    t.clock.set('2026-04-02T01:00:00Z');
    await t.app.workers.invoiceFinalizer.drain();
    await t.app.workers.creditExpiry.drain();
    // The term ends on 30 June; auto-renew continues it.
    t.clock.set('2026-07-01T00:30:00Z');
    await t.app.workers.contractRenewal.drain();

    await t.app.workers.webhooks.drain();
    const about = (id: string) => receiver.at('/ops').filter((r) => r.event.data.id === id);
    expect(about(contractId).map((r) => [r.event.type, r.event.data.endDate])).toEqual([
      ['contract.created', '2026-06-30T00:00:00.000Z'],
      ['contract.amended', '2026-06-30T00:00:00.000Z'],
      ['contract.renewed', '2026-12-31T00:00:00.000Z'],
    ]);
    expect(about(grantId).map((r) => [r.event.type, r.event.data.status, r.event.data.amount])).toEqual([
      ['credits.granted', 'ACTIVE', '1000.00'], // 100,000 cents
      ['credits.expired', 'EXPIRED', '1000.00'],
    ]);
    expect(about(grantId)[1].event.data.remaining).toBe('0.00');
  });
});
