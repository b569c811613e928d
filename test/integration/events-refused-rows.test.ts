import { createCustomer } from '../support/billing-api';
import { TestApp } from '../support/test-app';
import { sendBatch, type WireEvent } from '../support/usage-helpers';

/**
 * Validation is meant to stop everything the database would refuse, but ingestion must not depend on it:
 * a row the database refuses or would alter is answered `rejected` (NOT_STORABLE), never `duplicate`, never
 * a 500, and the rest of the batch is stored. Validation leaves no such event reachable from outside, so
 * this file's own database is given two stricter rules than the real schema to play the database's part:
 * a CHECK that refuses idempotency keys starting with "refuse-" (INSERT IGNORE skips such a row) and an
 * event_name column of 20 characters (INSERT IGNORE would store a longer name truncated).
 */
describe('events the database refuses are rejected, never duplicates', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ config: { eventGraceDays: 35 } });
    t.clock.set('2026-03-10T12:30:00.000Z');
    await createCustomer(t, 'Acme Support Co', 'acme');
    await t.app.db.query(
      "ALTER TABLE usage_events ADD CONSTRAINT test_refuse_key CHECK (idempotency_key NOT LIKE 'refuse-%')",
    );
    await t.app.db.query('ALTER TABLE usage_events MODIFY event_name VARCHAR(20) NOT NULL');
  });
  afterAll(() => t.stop());

  const event = (idempotencyKey: string, eventName = 'api_call'): WireEvent => ({
    customer_id: 'acme',
    event_name: eventName,
    idempotency_key: idempotencyKey,
    properties: { n: 1 },
  });

  const stored = async () =>
    (
      (await t.app.db.query('SELECT idempotency_key k, event_name e FROM usage_events ORDER BY k')) as Array<{
        k: string;
        e: string;
      }>
    ).map((r) => `${r.k}:${r.e}`);

  it('answers a refused single event 422 NOT_STORABLE, not 500', async () => {
    const single = await t.rest('POST', '/v1/events', event('refuse-1'));
    expect(single).toMatchObject({
      status: 422,
      body: { status: 'rejected', error: { code: 'NOT_STORABLE' } },
    });
  });

  it('rejects the refused row of a batch and stores the others', async () => {
    const batch = await sendBatch(t, [event('a-1'), event('refuse-2'), event('a-2')]);
    expect(batch.status).toBe(207);
    expect(batch.body.results.map((r) => r.error?.code ?? r.status)).toEqual([
      'accepted',
      'NOT_STORABLE',
      'accepted',
    ]);
    expect(batch.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 1 });
  });

  it('rejects a row the database would truncate, keeps its neighbours and still sees duplicates', async () => {
    // 'a-1' was stored by the previous test: a duplicate. 25 characters do not fit VARCHAR(20).
    const batch = await sendBatch(t, [event('a-1'), event('b-1', 'x'.repeat(25)), event('b-2')]);
    expect(batch.body.results.map((r) => r.error?.code ?? r.status)).toEqual([
      'duplicate',
      'NOT_STORABLE',
      'accepted',
    ]);
    // Nothing truncated was kept: exactly the three accepted events are stored, as sent.
    expect(await stored()).toEqual(['a-1:api_call', 'a-2:api_call', 'b-2:api_call']);
  });
});
