import nock from 'nock';
import { crmChanges } from '../../connectors/salesforce';
import { withTransaction } from '../../src/db/transaction';
import { createLogger } from '../../src/logger';
import { PublicUrlPolicy } from '../../src/services/common';
import { SalesforceClients, SecretBox } from '../../src/services/crm';
import { SalesforceConnectionEntity } from '../../src/entities/salesforce-connection.entity';
import { createSaasCatalog, SIGN_UP } from '../support/saas-catalog';
import type { TestApp } from '../support/test-app';
import { FakeSalesforce } from './fake-salesforce';
import {
  INSTANCE_URL,
  LOGIN_URL,
  connectSalesforce,
  createCatalog,
  isolateNetwork,
  mapProducts,
  recordedAccountFields,
  startApp,
  wonOpportunityFields,
} from './support';

const SYNC_STEPS = `mutation { syncSalesforce { status reason pages created unchanged reviewItems voided
  steps { name status pages created updated unchanged voided failedRequest error } } }`;

interface SyncAnswer {
  status: string;
  reason: string | null;
  pages: number;
  created: number;
  unchanged: number;
  reviewItems: number;
  voided: number;
  steps: Array<{
    name: string;
    status: string;
    pages: number;
    created: number;
    voided: number;
    failedRequest: string | null;
    error: string | null;
  }>;
}

/**
 * Deal → draft → confirm → outbox push, against a stateful Salesforce: the records Salesforce ends with
 * are asserted, not the calls. A confirmed deal adds no Account and hangs its Contract and Order on the
 * deal's Account; a self-serve sign-up creates exactly one Account.
 */
describe('Salesforce round trip against a stateful fake', () => {
  let t: TestApp;
  let fake: FakeSalesforce;

  const sync = async () => (await t.gqlOk<{ syncSalesforce: SyncAnswer }>(SYNC_STEPS)).syncSalesforce;
  const pushAll = async () => {
    for (let i = 0; i < 10; i++) {
      const result = await t.app.services.crmOutbox.pushBatch(t.system);
      if (!result.claimed) return;
    }
  };
  const pendingDrafts = async () =>
    (
      await t.gqlOk<{ contractDrafts: { nodes: Array<{ id: string; opportunityId: string }> } }>(
        '{ contractDrafts(status: PENDING) { nodes { id opportunityId } } }',
      )
    ).contractDrafts.nodes;
  /** A deal created in Salesforce an hour before the test clock (inside the next sync window). */
  const createDeal = (accountId: string, name: string) => {
    const now = t.clock.now();
    t.clock.advance(-3600_000);
    const id = fake.insert('Opportunity', wonOpportunityFields({ AccountId: accountId, Name: name }));
    t.clock.set(now);
    return id;
  };
  const deadLetters = async () =>
    (await t.app.db.query(
      "SELECT sobject_type AS sobject, last_error_code AS code, last_error AS error FROM crm_outbox WHERE status = 'DEAD'",
    )) as Array<{ sobject: string; code: string; error: string }>;

  beforeAll(async () => {
    isolateNetwork();
    t = await startApp();
    fake = new FakeSalesforce({
      instanceUrl: INSTANCE_URL,
      loginUrl: LOGIN_URL,
      refreshTokens: ['5Aep861-original-refresh-token'],
      now: () => t.clock.now(),
    }).install();
    await mapProducts(t, await createCatalog(t));
    await connectSalesforce(t, '2025-01-01T00:00:00Z', { recordedToken: false });
  });
  afterAll(async () => {
    fake.uninstall();
    nock.cleanAll();
    nock.enableNetConnect();
    // Take nock's interceptor off the http module: later test files in this worker (WebSockets) need real sockets.
    nock.restore();
    await t.stop();
  });

  it("confirms a deal without a new Account: Contract, Order and Opportunity.ContractId on the deal's Account", async () => {
    const accountId = fake.insert('Account', recordedAccountFields());
    const opportunityId = createDeal(accountId, 'Acme Corp - Platform Pro 2025');

    const first = await sync();
    expect(first).toMatchObject({ status: 'COMPLETED', created: 1 });
    const [draft] = await pendingDrafts();
    expect(draft.opportunityId).toBe(opportunityId);
    const confirmed = await t.gqlOk<{
      confirmContractDraft: { confirmedContractId: string; confirmedCustomerId: string };
    }>('mutation($id: ID!) { confirmContractDraft(id: $id) { confirmedContractId confirmedCustomerId } }', {
      id: draft.id,
    });
    const { confirmedContractId, confirmedCustomerId } = confirmed.confirmContractDraft;
    await pushAll();

    expect(await deadLetters()).toEqual([]);
    const accounts = fake.records('Account');
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({
      Id: accountId,
      Name: 'Acme Corp',
      Billing_Customer_Id__c: confirmedCustomerId,
    });
    const contracts = fake.records('Contract');
    expect(contracts).toHaveLength(1);
    expect(contracts[0]).toMatchObject({ AccountId: accountId, Billing_Contract_Id__c: confirmedContractId });
    const orders = fake.records('Order');
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ AccountId: accountId, ContractId: contracts[0].Id });
    expect(fake.get(opportunityId)).toMatchObject({ ContractId: contracts[0].Id });

    // The next deal of that Account matches the customer (by Id, and by the id now written on the Account).
    t.clock.advance(3600_000);
    createDeal(accountId, 'Acme Corp - Expansion');
    // The confirmed deal is read again (Tally wrote its ContractId): unchanged, not a review item.
    expect(await sync()).toMatchObject({ status: 'COMPLETED', created: 1, unchanged: 1, reviewItems: 0 });
    const { contractDraft } = await t.gqlOk<{
      contractDraft: { customer: { matchedCustomerId: string | null; name: string | null } };
    }>('query($id: ID!) { contractDraft(id: $id) { customer { matchedCustomerId name } } }', {
      id: (await pendingDrafts())[0].id,
    });
    expect(contractDraft.customer).toEqual({ matchedCustomerId: confirmedCustomerId, name: 'Acme Corp' });
    // Same plan over the same term as the contract just confirmed: refused, naming the draft's field.
    const overlapping = await t.gql('mutation($id: ID!) { confirmContractDraft(id: $id) { id } }', {
      id: (await pendingDrafts())[0].id,
    });
    expect(overlapping.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'draft.plan' });
    await t.gqlOk('mutation($id: ID!) { rejectContractDraft(id: $id, reason: "not now") { id } }', {
      id: (await pendingDrafts())[0].id,
    });
  });

  it('a self-serve sign-up creates exactly one Account, and later changes update it', async () => {
    const catalog = await createSaasCatalog(t);
    const before = fake.records('Account').length;
    const signedUp = await t.gqlOk<{ signUp: { customer: { id: string } } }>(SIGN_UP, {
      input: {
        customer: { name: 'Nimbus Labs', externalId: 'nimbus', email: 'billing@nimbus.dev' },
        planId: catalog.starterId,
        idempotencyKey: 'signup-nimbus',
      },
    });
    await pushAll();
    expect(await deadLetters()).toEqual([]);
    const created = fake.records('Account').filter((a) => a.Name === 'Nimbus Labs');
    expect(fake.records('Account')).toHaveLength(before + 1);
    expect(created).toHaveLength(1);
    expect(created[0].Billing_Customer_Id__c).toBe(signedUp.signUp.customer.id);
    const contract = fake.records('Contract').find((c) => c.AccountId === created[0].Id);
    expect(contract).toBeDefined();

    // The upsert's answer linked the customer: its next change goes by Id and still adds no Account.
    const { customer } = await t.gqlOk<{ customer: { salesforceAccountId: string } }>(
      'query($id: ID!) { customer(id: $id) { salesforceAccountId } }',
      { id: signedUp.signUp.customer.id },
    );
    expect(customer.salesforceAccountId).toBe(created[0].Id);
    await withTransaction(t.system, (tx) =>
      t.app.services.crmOutbox.enqueue(
        tx,
        crmChanges.account({
          customerId: signedUp.signUp.customer.id,
          name: 'Nimbus Labs',
          salesforceAccountId: customer.salesforceAccountId,
        }),
      ),
    );
    await pushAll();
    expect(fake.records('Account')).toHaveLength(before + 1);
  });

  it('ops link a customer to an existing Account: its id is written there, no Account is created', async () => {
    const accountId = fake.insert('Account', { Name: 'Globex (CRM)' });
    const customer = await t.gqlOk<{ createCustomer: { id: string } }>(
      'mutation { createCustomer(input: { name: "Globex Two" }) { id } }',
    );
    const before = fake.records('Account').length;
    const linked = await t.gqlOk<{
      linkCustomerToSalesforceAccount: { id: string; salesforceAccountId: string };
    }>(
      'mutation($c: ID!, $a: String!) { linkCustomerToSalesforceAccount(customerId: $c, salesforceAccountId: $a) { id salesforceAccountId } }',
      { c: customer.createCustomer.id, a: accountId },
    );
    expect(linked.linkCustomerToSalesforceAccount.salesforceAccountId).toBe(accountId);
    await pushAll();
    expect(fake.records('Account')).toHaveLength(before);
    expect(fake.get(accountId)).toMatchObject({
      Name: 'Globex (CRM)',
      Billing_Customer_Id__c: customer.createCustomer.id,
    });

    const bad = await t.gql(
      'mutation($c: ID!, $a: String!) { linkCustomerToSalesforceAccount(customerId: $c, salesforceAccountId: $a) { id } }',
      { c: customer.createCustomer.id, a: 'not-an-id' },
    );
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'salesforceAccountId',
    });
  });

  it('an upsert matching several Accounts goes to the dead letters naming both', async () => {
    const a = fake.insert('Account', { Name: 'Twin A', Billing_Customer_Id__c: 'cus_twin' });
    const b = fake.insert('Account', { Name: 'Twin B', Billing_Customer_Id__c: 'cus_twin' });
    await withTransaction(t.system, (tx) =>
      t.app.services.crmOutbox.enqueue(tx, crmChanges.account({ customerId: 'cus_twin', name: 'Twin' })),
    );
    await pushAll();
    const dead = (await deadLetters()).filter((d) => d.sobject === 'Account');
    expect(dead).toHaveLength(1);
    expect(dead[0].code).toBe('DUPLICATE_EXTERNAL_ID');
    expect(dead[0].error).toContain(a);
    expect(dead[0].error).toContain(b);
    await t.app.db.query("DELETE FROM crm_outbox WHERE status = 'DEAD'");
  });

  it('raises what confirming would refuse as a draft issue naming the draft field, and confirm names it too', async () => {
    t.clock.advance(3600_000);
    const accountId = fake.insert('Account', { Name: 'Hooli', Billing_Email__c: 'billing at hooli' });
    createDeal(accountId, 'Hooli - Pro');
    expect(await sync()).toMatchObject({ status: 'COMPLETED', created: 1 });
    const [draft] = await pendingDrafts();
    const { contractDraft } = await t.gqlOk<{
      contractDraft: {
        customer: { name: string };
        issues: Array<{ code: string; field: string; blocking: boolean }>;
      };
    }>('query($id: ID!) { contractDraft(id: $id) { customer { name } issues { code field blocking } } }', {
      id: draft.id,
    });
    expect(contractDraft.customer.name).toBe('Hooli');
    expect(contractDraft.issues).toContainEqual({
      code: 'CUSTOMER_EMAIL_INVALID',
      field: 'customer.proposed.email',
      blocking: true,
    });
    const refused = await t.gql('mutation($id: ID!) { confirmContractDraft(id: $id) { id } }', {
      id: draft.id,
    });
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'draft.customer.proposed.email',
    });
    await t.gqlOk('mutation($id: ID!) { rejectContractDraft(id: $id, reason: "bad email") { id } }', {
      id: draft.id,
    });
  });

  it('voids the pending draft of a deal deleted and purged from the recycle bin', async () => {
    t.clock.advance(3600_000);
    const accountId = fake.insert('Account', { Name: 'Initech' });
    const opportunityId = createDeal(accountId, 'Initech - Pro');
    expect(await sync()).toMatchObject({ status: 'COMPLETED', created: 1 });
    expect((await pendingDrafts()).map((d) => d.opportunityId)).toEqual([opportunityId]);

    // Deleted and purged now, inside the next sync's window: only getDeleted still reports it.
    fake.hardDelete('Opportunity', opportunityId);
    t.clock.advance(3600_000);
    const result = await sync();
    expect(result.status).toBe('COMPLETED');
    expect(result.voided).toBe(1);
    expect(result.steps.find((s) => s.name === 'DELETED_OPPORTUNITIES')).toMatchObject({
      status: 'COMPLETED',
      voided: 1,
    });
    expect(await pendingDrafts()).toEqual([]);
  });

  it('a partly successful sync reports each step and the request that failed', async () => {
    t.clock.advance(3600_000);
    createDeal(fake.insert('Account', { Name: 'Umbrella' }), 'Umbrella - Pro');
    fake.failNext((method, path) => method === 'GET' && path.includes('/queryAll'), 400, [
      { message: "No such column 'IsDeleted'", errorCode: 'INVALID_FIELD' },
    ]);
    const result = await sync();
    expect(result.status).toBe('FAILED');
    expect(result.created).toBe(1);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['WON_OPPORTUNITIES', 'COMPLETED'],
      ['NOT_WON_OPPORTUNITIES', 'FAILED'],
      ['DELETED_OPPORTUNITIES', 'SKIPPED'],
    ]);
    const failed = result.steps[1];
    expect(failed.failedRequest).toMatch(/^GET \/services\/data\/v62\.0\/queryAll\?q=SELECT Id, IsWon/);
    expect(failed.error).toContain('INVALID_FIELD');
    expect(result.reason).toContain('reading Opportunities no longer won failed (GET ');
    expect(result.reason).toContain('reading won Opportunities done');
    expect(result.reason).toContain('1 created');
  });

  it('recovers from invalid_grant when another process rotated the shared refresh token', async () => {
    fake.rotateRefreshTokens = true;
    const ctx = t.system;
    const row = () =>
      t.app.db
        .getRepository(SalesforceConnectionEntity)
        .findOneOrFail({ where: { environmentId: t.environmentId } });
    // Two processes: each with its own clients (and cached refresh token) over the same connection row.
    const processClients = () =>
      new SalesforceClients(
        new SecretBox(t.app.services.config.secretsEncryptionKey),
        new PublicUrlPolicy({ allowPrivate: true }),
        createLogger('silent'),
      );
    const processA = processClients();
    const processB = processClients();
    const clientA = processA.clientFor(ctx, await row());
    const clientB = processB.clientFor(ctx, await row());
    const soql = "SELECT Id FROM Account WHERE Name = 'Acme Corp'";

    fake.expireSessions();
    // A refreshes: Salesforce rotates the refresh token, A stores the new one in the shared row.
    await expect(clientA.queryFirstPage(soql)).resolves.toMatchObject({ totalSize: 1 });
    fake.expireSessions();
    // B still holds the old token: invalid_grant, then it reloads the row and retries with A's token.
    await expect(clientB.queryFirstPage(soql)).resolves.toMatchObject({ totalSize: 1 });
    expect(clientB.authBroken).toBeNull();
    expect(fake.refreshTokens.size).toBe(1);
    fake.rotateRefreshTokens = false;
  });
});
