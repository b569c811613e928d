import nock from 'nock';
import { crmChanges, type CrmChange } from '../../connectors/salesforce';
import { withTransaction } from '../../src/db/transaction';
import { DraftConfirmer } from '../../src/services/contract-drafts';
import type { TestApp } from '../support/test-app';
import {
  API,
  JSON_HEADERS,
  connectSalesforce,
  isolateNetwork,
  recorded,
  salesforce,
  startApp,
} from './support';

interface UpsertBody {
  allOrNone: boolean;
  records: Array<Record<string, unknown>>;
}

async function enqueue(t: TestApp, ...changes: CrmChange[]): Promise<void> {
  await withTransaction(t.system, async (tx) => {
    for (const change of changes) await t.app.services.crmOutbox.enqueue(tx, change);
  });
}

async function outboxRows(t: TestApp) {
  return (await t.app.db.query(
    'SELECT id, sobject_type, external_id, status, attempts, version, payload, last_error_code, last_error, salesforce_id, next_attempt_at FROM crm_outbox ORDER BY id',
  )) as Array<Record<string, unknown> & { payload: string | Record<string, unknown> }>;
}

const contract = (n: number) =>
  crmChanges.contract({
    contractId: `ctr_${n}`,
    customerId: 'cus_1',
    startDate: '2025-02-01',
    termMonths: 12,
    status: 'Activated',
  });

const successes = (body: UpsertBody) =>
  body.records.map((_r, i) => ({
    id: `800000000000${String(i).padStart(3, '0')}AAA`,
    success: true,
    errors: [],
    created: true,
  }));

describe('CRM outbox → Salesforce', () => {
  let t: TestApp;
  const push = () => t.app.workers.crmOutbox.pushOnce();

  beforeAll(async () => {
    isolateNetwork();
    t = await startApp();
    await connectSalesforce(t);
  });
  beforeEach(async () => {
    await t.app.db.query('DELETE FROM crm_outbox');
    await t.app.db.query("UPDATE salesforce_connections SET status = 'ACTIVE', paused_until = NULL");
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(async () => {
    nock.enableNetConnect();
    // Take nock's interceptor off the http module: later test files in this worker (WebSockets) need real sockets.
    nock.restore();
    await t.stop();
  });

  it('collapses several changes to one record into one pending row with the latest full state', async () => {
    await enqueue(t, crmChanges.account({ customerId: 'cus_1', name: 'Acme' }));
    await enqueue(
      t,
      crmChanges.account({ customerId: 'cus_1', name: 'Acme Corp' }),
      crmChanges.account({ customerId: 'cus_1', name: 'Acme Corporation' }),
    );
    const rows = await outboxRows(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'PENDING', version: 3, external_id: 'cus_1' });
    expect(rows[0].payload).toEqual({ Name: 'Acme Corporation' });
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    await expect(
      withTransaction(t.system, async (tx) => {
        await t.app.services.crmOutbox.enqueue(
          tx,
          crmChanges.account({ customerId: 'cus_2', name: 'Rollback' }),
        );
        throw new Error('business change failed');
      }),
    ).rejects.toThrow('business change failed');
    expect(await outboxRows(t)).toEqual([]);
  });

  it('refuses fields Tally does not own', async () => {
    await expect(
      enqueue(t, { sobject: 'Account', externalId: 'cus_3', fields: { Name: 'X', AnnualRevenue: 1 } }),
    ).rejects.toThrow('Tally does not own Account.AnnualRevenue');
  });

  it('upserts by external id in one composite call; a failed row is dead-lettered, the others done, and a retry after the fix works', async () => {
    await enqueue(t, contract(1), contract(2), contract(3));
    let sent: UpsertBody | null = null as UpsertBody | null;
    salesforce()
      .patch(`${API}/composite/sobjects/Contract/Billing_Contract_Id__c`)
      .reply(
        200,
        (_uri, body) => {
          sent = body as UpsertBody;
          return recorded('composite-upsert-by-extid.response.json');
        },
        JSON_HEADERS,
      );
    expect(await push()).toMatchObject({ claimed: 3, done: 2, dead: 1 });
    expect(sent!.allOrNone).toBe(false);
    // Rows are sent in claim order; results map back by position.
    const order = sent!.records.map((r) => r.Billing_Contract_Id__c as string);
    expect(sent!.records.find((r) => r.Billing_Contract_Id__c === 'ctr_1')).toEqual({
      attributes: { type: 'Contract' },
      Billing_Contract_Id__c: 'ctr_1',
      Account: { Billing_Customer_Id__c: 'cus_1' },
      StartDate: '2025-02-01',
      ContractTerm: 12,
      Status: 'Activated',
      Description: null,
    });
    const byExternalId = new Map((await outboxRows(t)).map((r) => [r.external_id as string, r]));
    expect(byExternalId.get(order[0])).toMatchObject({ status: 'DONE', salesforce_id: '8005g00000Ab9CdAAJ' });
    expect(byExternalId.get(order[1])).toMatchObject({ status: 'DONE', salesforce_id: '8005g00000Ab9CgAAJ' });
    expect(byExternalId.get(order[2])).toMatchObject({
      status: 'DEAD',
      last_error_code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    });

    const status = await t.gqlOk<{
      salesforceConnection: {
        outboxDepth: number;
        deadLetterCount: number;
        deadLetters: { nodes: Array<{ id: string; lastError: string }> };
      };
    }>(
      '{ salesforceConnection { outboxDepth deadLetterCount deadLetters(first: 10) { nodes { id externalId lastError } } } }',
    );
    expect(status.salesforceConnection).toMatchObject({ outboxDepth: 0, deadLetterCount: 1 });
    const [dead] = status.salesforceConnection.deadLetters.nodes;
    expect(dead.lastError).toContain('Contract term must be at least 1 month');

    // The admin fixes the validation rule; the dead letter is retried.
    await t.gqlOk('mutation($id: ID!) { retrySalesforceDeadLetter(id: $id) { status } }', { id: dead.id });
    salesforce()
      .patch(`${API}/composite/sobjects/Contract/Billing_Contract_Id__c`)
      .reply(
        200,
        (_uri, body) => {
          expect((body as UpsertBody).records.map((r) => r.Billing_Contract_Id__c)).toEqual([order[2]]);
          return [{ id: '8005g00000Ab9ChAAJ', success: true, errors: [], created: true }];
        },
        JSON_HEADERS,
      );
    expect(await push()).toMatchObject({ claimed: 1, done: 1 });
    expect((await outboxRows(t)).map((r) => r.status)).toEqual(['DONE', 'DONE', 'DONE']);
  });

  it('retries a locked row later with backoff and keeps the rest done', async () => {
    await enqueue(t, contract(1), contract(2), contract(3));
    let second = '';
    salesforce()
      .patch(`${API}/composite/sobjects/Contract/Billing_Contract_Id__c`)
      .reply(
        200,
        (_uri, body) => {
          second = (body as UpsertBody).records[1].Billing_Contract_Id__c as string;
          return recorded('composite-update.partial-failure.response.json');
        },
        JSON_HEADERS,
      );
    expect(await push()).toMatchObject({ done: 2, retried: 1 });
    const locked = (await outboxRows(t)).find((r) => r.external_id === second)!;
    expect(locked).toMatchObject({ status: 'PENDING', attempts: 1, last_error_code: 'UNABLE_TO_LOCK_ROW' });
    expect(new Date(locked.next_attempt_at as string).getTime()).toBeGreaterThan(t.clock.now().getTime());
    expect(await push()).toMatchObject({ claimed: 0 });
  });

  it('dead-letters rows whose external id matches several records (HTTP 300) without losing the good ones', async () => {
    await enqueue(
      t,
      crmChanges.account({ customerId: 'cus_1', name: 'A' }),
      crmChanges.account({ customerId: 'cus_2', name: 'B' }),
    );
    const path = `${API}/composite/sobjects/Account/Billing_Customer_Id__c`;
    salesforce().patch(path).reply(300, recorded('upsert-300-multiple-choices.json'), JSON_HEADERS);
    // Bisected: each half alone.
    salesforce().patch(path).reply(300, recorded('upsert-300-multiple-choices.json'), JSON_HEADERS);
    salesforce()
      .patch(path)
      .reply(200, [{ id: '0015g00000QxYzCAAV', success: true, errors: [], created: false }], JSON_HEADERS);
    expect(await push()).toMatchObject({ done: 1, dead: 1 });
    const statuses = (await outboxRows(t)).map((r) => `${r.status}:${r.last_error_code ?? ''}`).sort();
    expect(statuses).toEqual(['DEAD:MULTIPLE_CHOICES', 'DONE:']);
  });

  it('pauses the whole connection on REQUEST_LIMIT_EXCEEDED; rows wait without counting an attempt', async () => {
    await enqueue(t, contract(1));
    salesforce()
      .patch(`${API}/composite/sobjects/Contract/Billing_Contract_Id__c`)
      .reply(403, recorded('error-403-request-limit-exceeded.json'), JSON_HEADERS);
    expect(await push()).toMatchObject({ claimed: 1, deferred: 1 });
    expect((await outboxRows(t))[0]).toMatchObject({ status: 'PENDING', attempts: 0 });
    const [conn] = (await t.app.db.query(
      'SELECT status, paused_until FROM salesforce_connections',
    )) as Array<{ status: string }>;
    expect(conn.status).toBe('PAUSED');
    t.clock.advance(10_000);
    expect(await push()).toMatchObject({ claimed: 0 });
    t.clock.set('2025-01-15T12:00:00Z');
  });

  it('pushes parents before children, and only owned fields, after a draft is confirmed', async () => {
    // Stand-in for the contracts service: it enqueues the Account and Contract it creates.
    const confirm = jest.spyOn(DraftConfirmer.prototype, 'confirm').mockImplementation(async (ctx, draft) => {
      const outbox = t.app.services.crmOutbox;
      await outbox.enqueue(
        ctx,
        crmChanges.contract({
          contractId: 'ctr_9',
          customerId: 'cus_9',
          startDate: draft.content.contractStart!,
          termMonths: 12,
        }),
      );
      await outbox.enqueue(
        ctx,
        crmChanges.account({ customerId: 'cus_9', name: draft.content.customer.proposed!.name }),
      );
      return { contractId: 'ctr_9', customerId: 'cus_9' };
    });
    await t.app.db.query(
      `INSERT INTO contract_drafts (id, environment_id, source, connection_id, opportunity_id, review_seq, status, content, content_hash, issues, created_at, updated_at)
       SELECT 'cdr_outbox_test', ?, 'SALESFORCE', id, '0065g00000KpQrSAAV', 0, 'PENDING', ?, REPEAT('0', 64), '[]', NOW(3), NOW(3) FROM salesforce_connections`,
      [
        t.environmentId,
        JSON.stringify({
          opportunity: { id: '0065g00000KpQrSAAV', name: 'Acme', closeDate: null, amount: null },
          customer: {
            matchedCustomerId: null,
            salesforceAccountId: '0015g00000QxYzAAAV',
            proposed: { name: 'Acme Corp', email: 'ap@acme.example', address: null, website: null },
          },
          currency: 'USD',
          contractStart: '2025-02-01',
          contractEnd: '2026-01-31',
          paymentTermsDays: 45,
          billingCycle: 'ANNUAL',
          plan: { planId: 'pln_x', quantity: null, unitPrice: null, listPrice: null, sourceLineItemId: null },
          usagePricings: [],
          flatFees: [],
          prepaidCredits: null,
          unmatchedLineItems: [],
          extractionWarnings: [],
        }),
      ],
    );
    await t.gqlOk('mutation { confirmContractDraft(id: "cdr_outbox_test") { status } }');
    confirm.mockRestore();

    const calls: string[] = [];
    const bodies: Record<string, UpsertBody> = {};
    const record = (name: string) => (_uri: string, body: unknown) => {
      calls.push(name);
      bodies[name] = body as UpsertBody;
      return successes(body as UpsertBody);
    };
    salesforce()
      .patch(`${API}/composite/sobjects/Account/Billing_Customer_Id__c`)
      .reply(200, record('Account'), JSON_HEADERS);
    salesforce()
      .patch(`${API}/composite/sobjects/Contract/Billing_Contract_Id__c`)
      .reply(200, record('Contract'), JSON_HEADERS);
    salesforce().patch(`${API}/composite/sobjects`).reply(200, record('Opportunity'), JSON_HEADERS);
    expect(await push()).toMatchObject({ claimed: 3, done: 3 });
    expect(calls).toEqual(['Account', 'Contract', 'Opportunity']);
    expect(bodies.Account.records).toEqual([
      { attributes: { type: 'Account' }, Billing_Customer_Id__c: 'cus_9', Name: 'Acme Corp' },
    ]);
    expect(bodies.Opportunity).toEqual({
      allOrNone: false,
      records: [
        {
          attributes: { type: 'Opportunity' },
          id: '0065g00000KpQrSAAV',
          Contract: { Billing_Contract_Id__c: 'ctr_9' },
        },
      ],
    });
  });

  it('never lets two workers push the same row', async () => {
    const changes = Array.from({ length: 120 }, (_v, i) =>
      crmChanges.account({ customerId: `cus_${i}`, name: `Customer ${i}` }),
    );
    await enqueue(t, ...changes);
    const pushed: string[] = [];
    salesforce()
      .patch(`${API}/composite/sobjects/Account/Billing_Customer_Id__c`)
      .times(20)
      .optionally()
      .reply(
        200,
        (_uri, body) => {
          pushed.push(...(body as UpsertBody).records.map((r) => r.Billing_Customer_Id__c as string));
          return successes(body as UpsertBody);
        },
        JSON_HEADERS,
      );
    const outbox = t.app.services.crmOutbox;
    const worker = t.system;
    // Claims race each other directly…
    const [a, b] = await Promise.all([outbox.claim(worker, 50), outbox.claim(worker, 50)]);
    const ids = new Set([...a.rows, ...b.rows].map((r) => r.id));
    expect(ids.size).toBe(a.rows.length + b.rows.length);
    await t.app.db.query('UPDATE crm_outbox SET claim_token = NULL, claimed_until = NULL');
    // …and so do whole worker cycles.
    await Promise.all([
      outbox.pushBatch(worker, 40),
      outbox.pushBatch(worker, 40),
      outbox.pushBatch(worker, 40),
      outbox.pushBatch(worker, 40),
    ]);
    while ((await outbox.pushBatch(worker, 40)).claimed) {
      /* drain */
    }
    expect(pushed).toHaveLength(120);
    expect(new Set(pushed).size).toBe(120);
    expect((await outboxRows(t)).every((r) => r.status === 'DONE')).toBe(true);
  });
});
