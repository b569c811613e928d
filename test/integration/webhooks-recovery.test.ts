import { createSaasCatalog, SIGN_UP, type Gql } from '../support/saas-catalog';
import { TestApp } from '../support/test-app';
import { createEndpoint, Receiver } from './webhooks.support';

/**
 * At least once across a crash: webhook events are rows committed with the change, so whatever happens to
 * the process after the commit, a new process on the same database delivers them.
 */
describe('Webhooks across a crash', () => {
  let receiver: Receiver;
  let first: TestApp | null = null;
  let second: TestApp | null = null;

  beforeAll(async () => {
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await first?.stop({ keepDatabase: true });
    await second?.stop();
    await receiver.stop();
  });

  it('delivers an event committed while no worker ran, and one whose claim died with its process', async () => {
    first = await TestApp.start();
    const endpoint = await createEndpoint(first, receiver.url('/crm'), ['contract.created']);
    const catalog = await createSaasCatalog(first);
    const signUp = (key: string, externalId: string) =>
      first!.gqlOk<{ signUp: Gql }>(SIGN_UP, {
        input: { customer: { name: externalId, externalId }, planId: catalog.proId, idempotencyKey: key },
      });
    // Committed and claimed by a worker that then dies before sending: the claim is a lease on the row.
    const claimedOnly = (await signUp('su-a', 'alpha')).signUp.contract.id as string;
    const claims = await first.app.services.webhooks.deliveries.claim(first.system, 10, 4);
    expect(claims.map((c) => c.endpointId)).toEqual([endpoint.id]);
    // Committed; the process dies before any worker ran (workers do not run on their own in tests).
    const committed = (await signUp('su-b', 'beta')).signUp.contract.id as string;
    await first.stop({ keepDatabase: true });
    first = null;
    expect(receiver.received).toHaveLength(0);

    second = await TestApp.start({ keepDatabase: true });
    await second.app.workers.webhooks.drain();
    // The unclaimed delivery goes out at once; the other is still leased to the dead worker.
    expect(receiver.received.map((r) => r.event.data.id)).toEqual([committed]);
    // The lease (timeout 10 s + 30 s) lapses: the delivery goes out from the new process.
    second.clock.advance(41_000);
    await second.app.workers.webhooks.drain();
    expect(receiver.received.map((r) => [r.event.type, r.event.data.id])).toEqual([
      ['contract.created', committed],
      ['contract.created', claimedOnly],
    ]);
  });
});
