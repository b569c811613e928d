import nock from 'nock';
import { createSaasCatalog, SIGN_UP, type SaasCatalog } from '../support/saas-catalog';
import type { TestApp } from '../support/test-app';
import { portalToken } from '../integration/live.support';
import { FakeSalesforce } from './fake-salesforce';
import { INSTANCE_URL, LOGIN_URL, connectSalesforce, isolateNetwork, startApp } from './support';

const REQUEST_EXPANSION = `mutation($contractId: ID!, $note: String) {
  requestExpansion(contractId: $contractId, note: $note) { id contractId customerId note status opportunityId }
}`;

interface ExpansionRequestAnswer {
  id: string;
  contractId: string;
  customerId: string;
  note: string | null;
  status: string;
  opportunityId: string | null;
}

/**
 * Self-serve → sales-led, against a stateful Salesforce: the customer asks to talk to sales from the
 * product (portal token), Tally creates an Opportunity on the customer's Account through the outbox, and
 * the records Salesforce ends with are asserted.
 */
describe('Salesforce expansion: a self-serve customer asks to talk to sales', () => {
  let t: TestApp;
  let fake: FakeSalesforce;
  let catalog: SaasCatalog;
  let customerId: string;
  let contractId: string;
  let accountId: string;
  let token: string;
  let request: ExpansionRequestAnswer;

  const pushAll = async () => {
    for (let i = 0; i < 10; i++) {
      const result = await t.app.services.crmOutbox.pushBatch(t.system);
      if (!result.claimed) return;
    }
  };
  const deadLetters = async () =>
    (await t.app.db.query(
      "SELECT sobject_type AS sobject, last_error AS error FROM crm_outbox WHERE status = 'DEAD'",
    )) as Array<{ sobject: string; error: string }>;

  beforeAll(async () => {
    isolateNetwork();
    t = await startApp();
    fake = new FakeSalesforce({
      instanceUrl: INSTANCE_URL,
      loginUrl: LOGIN_URL,
      refreshTokens: ['5Aep861-original-refresh-token'],
      now: () => t.clock.now(),
    }).install();
    await connectSalesforce(t, '2025-01-01T00:00:00Z', { recordedToken: false });
    catalog = await createSaasCatalog(t);
    // Signed up on 2025-01-15 (the test clock) on Starter, with $50.00 of promotional credits.
    const signedUp = await t.gqlOk<{ signUp: { customer: { id: string }; contract: { id: string } } }>(
      SIGN_UP,
      {
        input: {
          customer: { name: 'Nimbus Labs', email: 'billing@nimbus.dev' },
          planId: catalog.starterId,
          promotionalCredits: { amountCents: '5000', description: 'Welcome credits' },
          idempotencyKey: 'signup-nimbus',
        },
      },
    );
    customerId = signedUp.signUp.customer.id;
    contractId = signedUp.signUp.contract.id;
    await pushAll();
    [{ Id: accountId }] = fake.records('Account');
    token = await portalToken(t, customerId);
  });
  afterAll(async () => {
    fake.uninstall();
    nock.cleanAll();
    nock.enableNetConnect();
    await t.stop();
  });

  it('refuses a stage name the Opportunity cannot take, and a record type that is not an id', async () => {
    const long = await t.gql(
      'mutation { setSalesforceExpansionSettings(stageName: "", recordTypeId: null) { stageName } }',
    );
    expect(long.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stageName' });
    const badType = await t.gql(
      'mutation { setSalesforceExpansionSettings(stageName: "Qualification", recordTypeId: "not an id") { stageName } }',
    );
    expect(badType.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'recordTypeId' });
    const set = await t.gqlOk<{ setSalesforceExpansionSettings: unknown }>(
      'mutation { setSalesforceExpansionSettings(stageName: "Qualification", recordTypeId: "0125g000000ExpXAAA") { stageName recordTypeId } }',
    );
    expect(set.setSalesforceExpansionSettings).toEqual({
      stageName: 'Qualification',
      recordTypeId: '0125g000000ExpXAAA',
    });
  });

  it('records the portal request on the contract and pushes one Opportunity on the customer’s Account', async () => {
    const first = await t.gqlOk<{ requestExpansion: ExpansionRequestAnswer }>(
      REQUEST_EXPANSION,
      { contractId, note: 'We need 40 seats and SSO' },
      token,
    );
    request = first.requestExpansion;
    expect(request).toMatchObject({
      contractId,
      customerId,
      status: 'OPEN',
      note: 'We need 40 seats and SSO',
    });
    // Asking again while the request is open returns it: the sales team gets one Opportunity.
    const again = await t.gqlOk<{ requestExpansion: ExpansionRequestAnswer }>(
      REQUEST_EXPANSION,
      { contractId, note: 'Hello?' },
      token,
    );
    expect(again.requestExpansion.id).toBe(request.id);

    await pushAll();
    expect(await deadLetters()).toEqual([]);
    expect(fake.records('Account')).toHaveLength(1);
    const opportunities = fake.records('Opportunity');
    expect(opportunities).toHaveLength(1);
    expect(opportunities[0]).toMatchObject({
      AccountId: accountId,
      Name: 'Nimbus Labs - Expansion',
      StageName: 'Qualification',
      RecordTypeId: '0125g000000ExpXAAA',
      // Requested on 2025-01-15; Salesforce needs a close date: 30 days later.
      CloseDate: '2025-02-14',
      Billing_Expansion_Request_Id__c: request.id,
    });
    expect(String(opportunities[0].Description)).toContain('We need 40 seats and SSO');

    const { contract } = await t.gqlOk<{
      contract: { expansionRequests: Array<{ id: string; opportunityId: string | null }> };
    }>(
      'query($id: ID!) { contract(id: $id) { expansionRequests { id opportunityId } } }',
      { id: contractId },
      token,
    );
    expect(contract.expansionRequests).toEqual([{ id: request.id, opportunityId: opportunities[0].Id }]);
    const { contractHistory } = await t.gqlOk<{
      contractHistory: Array<{
        kind: string;
        source: string;
        actor: string;
        details: Record<string, unknown>;
      }>;
    }>(
      'query($id: ID!) { contractHistory(contractId: $id) { kind source actor details } }',
      { id: contractId },
      token,
    );
    expect(contractHistory.map((a) => a.kind)).toEqual(['CREATED', 'EXPANSION_REQUESTED']);
    expect(contractHistory[1]).toMatchObject({
      source: 'SELF_SERVE',
      actor: customerId,
      details: { expansionRequestId: request.id, note: 'We need 40 seats and SSO' },
    });
  });

  it("refuses another customer's contract to a portal token, and a note over 2000 characters", async () => {
    const other = await t.gqlOk<{ signUp: { customer: { id: string } } }>(SIGN_UP, {
      input: { customer: { name: 'Other Co' }, planId: catalog.starterId, idempotencyKey: 'signup-other' },
    });
    const otherToken = await portalToken(t, other.signUp.customer.id);
    const foreign = await t.gql(REQUEST_EXPANSION, { contractId, note: null }, otherToken);
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const long = await t.gql(REQUEST_EXPANSION, { contractId, note: 'x'.repeat(2001) }, token);
    expect(long.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
  });
});
