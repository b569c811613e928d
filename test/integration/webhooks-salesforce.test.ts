import nock from 'nock';
import { crmChanges } from '../../connectors/salesforce';
import { withTransaction } from '../../src/db/transaction';
import {
  API,
  JSON_HEADERS,
  connectSalesforce,
  isolateNetwork,
  recorded,
  salesforce,
  startApp,
} from '../connectors/support';
import type { TestApp } from '../support/test-app';
import { createEndpoint, Receiver } from './webhooks.support';

/** salesforce.dead_letter: a CRM outbox row Salesforce refused is announced with the row as dead-lettered. */
describe('Webhooks: Salesforce dead letters', () => {
  let t: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    isolateNetwork(); // nock stands in for Salesforce; the receiver is on 127.0.0.1
    t = await startApp();
    await connectSalesforce(t);
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    // Take nock's interceptor off the http module: later test files in this worker (WebSockets) need real sockets.
    nock.restore();
    await receiver.stop();
    await t.stop();
  });

  it('records salesforce.dead_letter in the transaction that dead-letters the row', async () => {
    await createEndpoint(t, receiver.url('/sf'), ['salesforce.dead_letter']);
    await withTransaction(t.system, async (tx) => {
      for (const n of [1, 2, 3])
        await t.app.services.crmOutbox.enqueue(
          tx,
          crmChanges.contract({
            contractId: `ctr_${n}`,
            customerId: 'cus_1',
            startDate: '2025-02-01',
            termMonths: 12,
            status: 'Activated',
          }),
        );
    });
    // The recorded answer: two rows upserted, the third refused by a validation rule.
    salesforce()
      .patch(`${API}/composite/sobjects/Contract/Billing_Contract_Id__c`)
      .reply(200, recorded('composite-upsert-by-extid.response.json'), JSON_HEADERS);
    expect(await t.app.workers.crmOutbox.pushOnce()).toMatchObject({ done: 2, dead: 1 });
    const [dead] = (await t.app.db.query(
      "SELECT id, external_id AS externalId FROM crm_outbox WHERE status = 'DEAD'",
    )) as Array<{
      id: string;
      externalId: string;
    }>;

    await t.app.workers.webhooks.drain();
    expect(receiver.at('/sf').map((r) => [r.event.type, r.event.data])).toEqual([
      [
        'salesforce.dead_letter',
        expect.objectContaining({
          object: 'salesforce_outbox_entry',
          id: dead.id,
          sobjectType: 'Contract',
          externalId: dead.externalId,
          status: 'DEAD',
          attempts: 1,
          lastErrorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        }),
      ],
    ]);
  });
});
