import nock from 'nock';
import { createSaasCatalog, SIGN_UP, type SaasCatalog } from '../support/saas-catalog';
import type { TestApp } from '../support/test-app';
import { portalToken } from '../integration/live.support';
import { invoicesOf, type InvoiceResult } from '../support/billing-api';
import { FakeSalesforce } from './fake-salesforce';
import { INSTANCE_URL, LOGIN_URL, connectSalesforce, isolateNetwork, startApp } from './support';

const REQUEST_EXPANSION = `mutation($contractId: ID!, $note: String) {
  requestExpansion(contractId: $contractId, note: $note) { id contractId customerId note status opportunityId }
}`;

/** The sales team wins the expansion: Pro from 2025-03-01 for a year, monthly, Net 30. */
const WON_PRO_FROM_MARCH = {
  StageName: 'Closed Won',
  IsWon: true,
  IsClosed: true,
  CloseDate: '2025-02-20',
  Amount: 1188,
  Contract_Start_Date__c: '2025-03-01',
  Contract_End_Date__c: '2026-02-28',
  Payment_Terms__c: 'Net 30',
  Billing_Cycle__c: 'Monthly',
  OpportunityLineItems: [
    {
      attributes: { type: 'OpportunityLineItem' },
      Id: '00k5g00000ExpL1AAJ',
      Quantity: 1,
      UnitPrice: 99,
      ListPrice: 99,
      TotalPrice: 99,
      ServiceDate: '2025-03-01',
      Description: 'Platform Pro',
      Product2Id: '01t5g00000Lm3NoAAJ',
      Product2: { ProductCode: 'PLAN-PRO-ANNUAL', Name: 'Platform Pro' },
    },
  ],
};

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
  let opportunityId: string;
  let promoGrantId: string;

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
    const signedUp = await t.gqlOk<{
      signUp: { customer: { id: string }; contract: { id: string }; promotionalCreditGrant: { id: string } };
    }>(SIGN_UP, {
      input: {
        customer: { name: 'Nimbus Labs', email: 'billing@nimbus.dev' },
        planId: catalog.starterId,
        promotionalCredits: { amountCents: '5000', description: 'Welcome credits' },
        idempotencyKey: 'signup-nimbus',
      },
    });
    customerId = signedUp.signUp.customer.id;
    contractId = signedUp.signUp.contract.id;
    promoGrantId = signedUp.signUp.promotionalCreditGrant.id;
    await pushAll();
    [{ Id: accountId }] = fake.records('Account');
    token = await portalToken(t, customerId);
  });
  afterAll(async () => {
    fake.uninstall();
    nock.cleanAll();
    nock.enableNetConnect();
    // Take nock's interceptor off the http module: later test files in this worker (WebSockets) need real sockets.
    nock.restore();
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
    opportunityId = opportunities[0].Id;
    expect(contract.expansionRequests).toEqual([{ id: request.id, opportunityId }]);
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

  it('the won Opportunity becomes a draft marked as an expansion of the customer', async () => {
    await t.gqlOk('mutation($input: SetProductMappingInput!) { setProductMapping(input: $input) { id } }', {
      input: { productCode: 'PLAN-PRO-ANNUAL', targetKind: 'PLAN', targetId: catalog.proId },
    });
    // The sales team wins it on 2025-02-20 (an hour before the test clock, inside the next sync window):
    // Pro from 2025-03-01 for a year, monthly, Net 30.
    t.clock.set('2025-02-20T11:00:00Z');
    fake.update('Opportunity', opportunityId, WON_PRO_FROM_MARCH);
    t.clock.set('2025-02-20T12:00:00Z');
    const { syncSalesforce } = await t.gqlOk<{ syncSalesforce: { status: string; created: number } }>(
      'mutation { syncSalesforce { status created } }',
    );
    expect(syncSalesforce).toEqual({ status: 'COMPLETED', created: 1 });
    const { contractDrafts } = await t.gqlOk<{
      contractDrafts: {
        nodes: Array<{
          id: string;
          opportunityId: string;
          customer: { matchedCustomerId: string; name: string };
          expansionOf: {
            requestId: string;
            contractId: string;
            customerId: string;
            customerName: string;
            issues: Array<{ code: string }>;
          } | null;
          issues: Array<{ code: string; blocking: boolean }>;
        }>;
      };
    }>(
      `{ contractDrafts(status: PENDING) { nodes { id opportunityId customer { matchedCustomerId name }
         expansionOf { requestId contractId customerId customerName issues { code } } issues { code blocking } } } }`,
    );
    expect(contractDrafts.nodes).toHaveLength(1);
    const [draft] = contractDrafts.nodes;
    expect(draft).toMatchObject({
      opportunityId,
      customer: { matchedCustomerId: customerId, name: 'Nimbus Labs' },
      expansionOf: { requestId: request.id, contractId, customerId, customerName: 'Nimbus Labs', issues: [] },
    });
    expect(draft.issues.filter((i) => i.blocking)).toEqual([]);

    // A start of today (2025-02-20) would end the self-serve contract yesterday: an issue on the draft first,
    // and a confirm refused naming the draft's field, changing nothing.
    const expansionIssues = async () =>
      (
        await t.gqlOk<{ contractDraft: { expansionOf: { issues: Array<{ code: string; field: string }> } } }>(
          'query($id: ID!) { contractDraft(id: $id) { expansionOf { issues { code field } } } }',
          { id: draft.id },
        )
      ).contractDraft.expansionOf.issues;
    const setStart = (contractStart: string) =>
      t.gqlOk(
        'mutation($id: ID!, $input: ContractDraftInput!) { updateContractDraft(id: $id, input: $input) { id } }',
        {
          id: draft.id,
          input: { contractStart },
        },
      );
    await setStart('2025-02-20');
    expect(await expansionIssues()).toEqual([
      { code: 'EXPANSION_START_NOT_AFTER_TODAY', field: 'contractStart' },
    ]);
    const refused = await t.gql('mutation($id: ID!) { confirmContractDraft(id: $id) { id } }', {
      id: draft.id,
    });
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'draft.contractStart',
    });
    const untouched = await t.gqlOk<{ contract: { endDate: string | null; status: string } }>(
      'query($id: ID!) { contract(id: $id) { endDate status } }',
      { id: contractId },
    );
    expect(untouched.contract).toEqual({ endDate: null, status: 'ACTIVE' });
    await setStart('2025-03-01');
    expect(await expansionIssues()).toEqual([]);

    await pushAll();
    const accountsBefore = fake.records('Account').length;
    // Confirming: the self-serve contract ends on 2025-02-28, the negotiated one starts on 2025-03-01.
    const confirmed = await t.gqlOk<{ confirmContractDraft: { confirmedContractId: string } }>(
      'mutation($id: ID!) { confirmContractDraft(id: $id) { confirmedContractId } }',
      { id: draft.id },
    );
    const newContractId = confirmed.confirmContractDraft.confirmedContractId;
    const contracts = await t.gqlOk<{
      old: {
        endDate: string;
        status: string;
        expansionRequests: Array<{ status: string; newContractId: string }>;
      };
      new: { startDate: string; endDate: string; plan: { name: string } };
    }>(
      `query($old: ID!, $new: ID!) {
         old: contract(id: $old) { endDate status expansionRequests { status newContractId } }
         new: contract(id: $new) { startDate endDate plan { name } } }`,
      { old: contractId, new: newContractId },
    );
    expect(contracts.old.endDate).toMatch(/^2025-02-28/);
    expect(contracts.old.expansionRequests).toEqual([{ status: 'CONFIRMED', newContractId }]);
    expect(contracts.new).toMatchObject({ plan: { name: 'Pro' } });
    expect(contracts.new.startDate).toMatch(/^2025-03-01/);

    const { contractHistory } = await t.gqlOk<{
      contractHistory: Array<{ kind: string; details: Record<string, unknown> }>;
    }>('query($id: ID!) { contractHistory(contractId: $id) { kind details } }', { id: contractId });
    // The end (CANCELLED on 02-28) and the EXPANDED entry are recorded in one instant, effective at 03-01.
    expect(contractHistory.map((a) => a.kind).slice(0, 2)).toEqual(['CREATED', 'EXPANSION_REQUESTED']);
    expect(
      contractHistory
        .map((a) => a.kind)
        .slice(2)
        .sort(),
    ).toEqual(['CANCELLED', 'EXPANDED']);
    expect(contractHistory.find((a) => a.kind === 'EXPANDED')?.details).toMatchObject({
      expansionRequestId: request.id,
      newContractId,
      lastDay: '2025-02-28',
      carriedOverCreditGrants: [promoGrantId],
    });

    // One invoice per period, none overlapping: the self-serve contract's 2025-02-15 → 03-15 period is cut at
    // 03-01, where the negotiated contract's first period starts.
    // INVOICE_FIELDS also selects each invoice's contract.
    const periodInvoices = (
      (await invoicesOf(t, customerId)) as Array<InvoiceResult & { contract: { id: string } }>
    )
      .filter((i) => i.status !== 'VOID' && i.periodStart)
      .sort((a, b) => a.periodStart.localeCompare(b.periodStart));
    const periods = periodInvoices.map((i) => [
      i.contract.id === contractId ? 'self-serve' : 'negotiated',
      i.periodStart.slice(0, 10),
      i.periodEnd.slice(0, 10),
    ]);
    expect(periods.slice(0, 3)).toEqual([
      ['self-serve', '2025-01-15', '2025-02-15'],
      ['self-serve', '2025-02-15', '2025-03-01'],
      ['negotiated', '2025-03-01', '2025-04-01'],
    ]);
    for (let i = 1; i < periodInvoices.length; i++)
      expect(periodInvoices[i].periodStart >= periodInvoices[i - 1].periodEnd).toBe(true);
    // Starter's $29.00 fee for 14 of the period's 28 days (02-15 → 03-01 of 02-15 → 03-15): 29 × 14/28 = 14.50.
    const cut = periodInvoices[1];
    const fee = cut.lines.find((l) => l.description.startsWith('Starter fee'));
    expect(fee?.amount).toBe('14.50');

    // The $50.00 welcome credits carried over to the negotiated contract, still without expiry.
    const { creditGrant } = await t.gqlOk<{
      creditGrant: { contractId: string; status: string; expiresAt: string | null };
    }>('query($id: ID!) { creditGrant(id: $id) { contractId status expiresAt } }', { id: promoGrantId });
    expect(creditGrant).toEqual({ contractId: newContractId, status: 'ACTIVE', expiresAt: null });

    // Salesforce: still one Account; the negotiated Contract on it, and the Opportunity linked to it.
    await pushAll();
    expect(await deadLetters()).toEqual([]);
    expect(fake.records('Account').filter((a) => a.Name === 'Nimbus Labs')).toHaveLength(1);
    expect(fake.records('Account')).toHaveLength(accountsBefore);
    const sfContract = fake.records('Contract').find((c) => c.Billing_Contract_Id__c === newContractId);
    expect(sfContract).toMatchObject({ AccountId: accountId, StartDate: '2025-03-01' });
    expect(fake.get(opportunityId)).toMatchObject({ ContractId: sfContract!.Id });
  });

  it("leaves the self-serve contract's promotional credits behind when ops say so", async () => {
    // Zeta signs up on 2025-02-21 with $20.00 of credits, asks for sales; the deal is won the same day.
    t.clock.set('2025-02-21T11:00:00Z');
    const signedUp = await t.gqlOk<{
      signUp: { customer: { id: string }; contract: { id: string }; promotionalCreditGrant: { id: string } };
    }>(SIGN_UP, {
      input: {
        customer: { name: 'Zeta Corp', email: 'ap@zeta.test' },
        planId: catalog.starterId,
        promotionalCredits: { amountCents: '2000' },
        idempotencyKey: 'signup-zeta',
      },
    });
    const zeta = signedUp.signUp;
    await t.gqlOk(REQUEST_EXPANSION, { contractId: zeta.contract.id, note: null });
    await pushAll();
    const opportunity = fake.records('Opportunity').find((o) => o.Name === 'Zeta Corp - Expansion');
    fake.update('Opportunity', opportunity!.Id, { ...WON_PRO_FROM_MARCH, CloseDate: '2025-02-21' });
    t.clock.set('2025-02-21T12:00:00Z');
    expect(
      (await t.gqlOk<{ syncSalesforce: { created: number } }>('mutation { syncSalesforce { created } }'))
        .syncSalesforce.created,
    ).toBe(1);
    const { contractDrafts } = await t.gqlOk<{ contractDrafts: { nodes: Array<{ id: string }> } }>(
      '{ contractDrafts(status: PENDING) { nodes { id } } }',
    );
    expect(contractDrafts.nodes).toHaveLength(1);
    await t.gqlOk(
      'mutation($id: ID!) { confirmContractDraft(id: $id, carryOverPromotionalCredits: false) { id } }',
      {
        id: contractDrafts.nodes[0].id,
      },
    );
    // Not carried over: the grant stays on the self-serve contract and ends with it (expiry capped at 03-01).
    const { creditGrant } = await t.gqlOk<{
      creditGrant: { contractId: string; status: string; expiresAt: string | null };
    }>('query($id: ID!) { creditGrant(id: $id) { contractId status expiresAt } }', {
      id: zeta.promotionalCreditGrant.id,
    });
    expect(creditGrant).toEqual({
      contractId: zeta.contract.id,
      status: 'ACTIVE',
      expiresAt: '2025-03-01T00:00:00.000Z',
    });
    const { contractHistory } = await t.gqlOk<{
      contractHistory: Array<{ kind: string; details: Record<string, unknown> }>;
    }>('query($id: ID!) { contractHistory(contractId: $id) { kind details } }', { id: zeta.contract.id });
    expect(contractHistory.find((a) => a.kind === 'EXPANDED')?.details).toMatchObject({
      lastDay: '2025-02-28',
      carriedOverCreditGrants: [],
    });
  });

  it('closes a request whose Opportunity was lost, so the customer can ask again', async () => {
    t.clock.set('2025-02-22T11:00:00Z');
    const signedUp = await t.gqlOk<{ signUp: { contract: { id: string } } }>(SIGN_UP, {
      input: { customer: { name: 'Lost Co' }, planId: catalog.starterId, idempotencyKey: 'signup-lost' },
    });
    const lostContract = signedUp.signUp.contract.id;
    const first = await t.gqlOk<{ requestExpansion: ExpansionRequestAnswer }>(REQUEST_EXPANSION, {
      contractId: lostContract,
      note: null,
    });
    await pushAll();
    const opportunity = fake.records('Opportunity').find((o) => o.Name === 'Lost Co - Expansion');
    fake.update('Opportunity', opportunity!.Id, { StageName: 'Closed Lost', IsClosed: true, IsWon: false });
    t.clock.set('2025-02-22T12:00:00Z');
    await t.gqlOk('mutation { syncSalesforce { status } }');
    const requests = async () =>
      (
        await t.gqlOk<{ contract: { expansionRequests: Array<{ id: string; status: string }> } }>(
          'query($id: ID!) { contract(id: $id) { expansionRequests { id status } } }',
          { id: lostContract },
        )
      ).contract.expansionRequests;
    expect(await requests()).toEqual([{ id: first.requestExpansion.id, status: 'CLOSED_LOST' }]);

    const again = await t.gqlOk<{ requestExpansion: ExpansionRequestAnswer }>(REQUEST_EXPANSION, {
      contractId: lostContract,
      note: 'Trying again',
    });
    expect(again.requestExpansion.id).not.toBe(first.requestExpansion.id);
    await pushAll();
    expect(fake.records('Opportunity').filter((o) => o.Name === 'Lost Co - Expansion')).toHaveLength(2);
  });

  describe('contraction: a sales-led contract moves onto a self-serve plan at its term end', () => {
    const SCHEDULE = `mutation($contractId: ID!, $planId: ID!) {
      scheduleContraction(contractId: $contractId, planId: $planId) { id contractId planId newContractId effectiveAt status }
    }`;
    let salesCustomerId: string;
    const salesContract = async (name: string, endDate: string | null) => {
      const customer = await t.gqlOk<{ createCustomer: { id: string } }>(
        'mutation($name: String!) { createCustomer(input: { name: $name }) { id } }',
        { name },
      );
      salesCustomerId = customer.createCustomer.id;
      const created = await t.gqlOk<{ createContract: { id: string } }>(
        'mutation($input: CreateContractInput!) { createContract(input: $input) { id } }',
        {
          input: {
            customerId: salesCustomerId,
            planId: catalog.privateId,
            startDate: '2025-02-01T00:00:00Z',
            endDate,
            billingCycle: 'MONTHLY',
          },
        },
      );
      const id = created.createContract.id;
      // Only a fixed term renews.
      if (endDate)
        await t.gqlOk(
          'mutation($id: ID!, $key: String!) { setAutoRenew(contractId: $id, enabled: true, idempotencyKey: $key) { replayed } }',
          { id, key: `auto-renew-${id}` },
        );
      return id;
    };

    it('refuses what cannot contract: a self-serve contract, an evergreen one, a private or foreign-currency plan', async () => {
      const selfServe = await t.gql(SCHEDULE, { contractId, planId: catalog.starterId });
      expect(selfServe.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'contractId' });
      const evergreen = await salesContract('Evergreen Inc', null);
      const noTerm = await t.gql(SCHEDULE, { contractId: evergreen, planId: catalog.starterId });
      expect(noTerm.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'contractId' });
      const fixed = await salesContract('Fixed Inc', '2025-04-30T00:00:00Z');
      const privatePlan = await t.gql(SCHEDULE, { contractId: fixed, planId: catalog.privateId });
      expect(privatePlan.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'planId' });
      const euro = await t.gql(SCHEDULE, { contractId: fixed, planId: catalog.euroId });
      expect(euro.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'planId' });
      const missing = await t.gql(SCHEDULE, { contractId: fixed, planId: 'pln_missing' });
      expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'planId' });
      // Nothing was written by the refusals.
      const { contract } = await t.gqlOk<{ contract: { autoRenew: boolean; scheduledContraction: unknown } }>(
        'query($id: ID!) { contract(id: $id) { autoRenew scheduledContraction { id } } }',
        { id: fixed },
      );
      expect(contract).toEqual({ autoRenew: true, scheduledContraction: null });
      expect(
        (
          await t.gqlOk<{ contractHistory: Array<{ kind: string }> }>(
            'query($id: ID!) { contractHistory(contractId: $id) { kind } }',
            { id: fixed },
          )
        ).contractHistory.map((a) => a.kind),
      ).toEqual(['CREATED', 'AUTO_RENEW_ENABLED']);
    });

    it('schedules the move at the term end: visible in history and the portal, pushed as a Contract end and a new self-serve Order', async () => {
      t.clock.set('2025-03-10T12:00:00Z');
      // Sales-led from 2025-02-01 to 2025-03-31 (last day), auto-renewing.
      const salesLed = await salesContract('Initrode', '2025-03-31T00:00:00Z');
      const scheduled = await t.gqlOk<{
        scheduleContraction: { id: string; newContractId: string; effectiveAt: string; status: string };
      }>(SCHEDULE, { contractId: salesLed, planId: catalog.starterId });
      const { newContractId } = scheduled.scheduleContraction;
      expect(scheduled.scheduleContraction).toMatchObject({
        effectiveAt: '2025-04-01T00:00:00.000Z',
        status: 'SCHEDULED',
      });
      // A second one is refused while this one is scheduled.
      const twice = await t.gql(SCHEDULE, { contractId: salesLed, planId: catalog.proId });
      expect(twice.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'contractId' });

      const customerToken = await portalToken(t, salesCustomerId);
      const seen = await t.gqlOk<{
        old: { autoRenew: boolean; endDate: string; scheduledContraction: { newContractId: string } };
        next: { startDate: string; endDate: string | null; source: string; plan: { name: string } };
      }>(
        `query($old: ID!, $next: ID!) {
           old: contract(id: $old) { autoRenew endDate scheduledContraction { newContractId } }
           next: contract(id: $next) { startDate endDate source plan { name } } }`,
        { old: salesLed, next: newContractId },
        customerToken,
      );
      expect(seen.old).toMatchObject({ autoRenew: false, scheduledContraction: { newContractId } });
      expect(seen.old.endDate).toMatch(/^2025-03-31/);
      expect(seen.next).toMatchObject({ endDate: null, source: 'SELF_SERVE', plan: { name: 'Starter' } });
      expect(seen.next.startDate).toMatch(/^2025-04-01/);
      const { contractHistory } = await t.gqlOk<{
        contractHistory: Array<{ kind: string; details: Record<string, unknown> }>;
      }>(
        'query($id: ID!) { contractHistory(contractId: $id) { kind details } }',
        { id: salesLed },
        customerToken,
      );
      expect(contractHistory.map((a) => a.kind)).toEqual([
        'CREATED',
        'AUTO_RENEW_ENABLED',
        'CONTRACTION_SCHEDULED',
      ]);
      expect(contractHistory[2].details).toMatchObject({
        planId: catalog.starterId,
        newContractId,
        lastDay: '2025-03-31',
      });

      await pushAll();
      expect(await deadLetters()).toEqual([]);
      const account = fake.records('Account').filter((a) => a.Billing_Customer_Id__c === salesCustomerId);
      expect(account).toHaveLength(1);
      const sfContracts = fake.records('Contract').filter((c) => c.AccountId === account[0].Id);
      const oldSf = sfContracts.find((c) => c.Billing_Contract_Id__c === salesLed);
      const newSf = sfContracts.find((c) => c.Billing_Contract_Id__c === newContractId);
      expect(newSf).toMatchObject({ StartDate: '2025-04-01' });
      const orders = fake.records('Order');
      expect(orders.filter((o) => o.ContractId === oldSf!.Id && o.Type === 'Cancellation')).toEqual([
        expect.objectContaining({ EffectiveDate: '2025-04-01' }),
      ]);
      expect(orders.filter((o) => o.ContractId === newSf!.Id && o.Type === 'Downgrade')).toEqual([
        expect.objectContaining({ EffectiveDate: '2025-04-01' }),
      ]);

      // At the term end: the sales-led contract's last period ends where the self-serve one's first begins.
      const invoices = (
        (await invoicesOf(t, salesCustomerId)) as Array<InvoiceResult & { contract: { id: string } }>
      )
        .filter((i) => i.status !== 'VOID')
        .map((i) => [
          i.contract.id === salesLed ? 'sales-led' : 'self-serve',
          i.periodStart.slice(0, 10),
          i.periodEnd.slice(0, 10),
        ])
        .sort((a, b) => a[1].localeCompare(b[1]));
      expect(invoices.slice(0, 3)).toEqual([
        ['sales-led', '2025-02-01', '2025-03-01'],
        ['sales-led', '2025-03-01', '2025-04-01'],
        ['self-serve', '2025-04-01', '2025-05-01'],
      ]);
      const cancelLate = async () => {
        t.clock.set('2025-04-01T00:00:00Z');
        return t.gql('mutation($id: ID!) { cancelContraction(contractId: $id) { id } }', { id: salesLed });
      };
      expect((await cancelLate()).errors?.[0].extensions).toMatchObject({
        code: 'CONFLICT',
        field: 'contractId',
      });
    });

    it('cancels a scheduled contraction before the date: the self-serve contract is cancelled, auto-renew restored', async () => {
      t.clock.set('2025-03-10T12:00:00Z');
      const salesLed = await salesContract('Vandelay', '2025-03-31T00:00:00Z');
      const scheduled = await t.gqlOk<{ scheduleContraction: { newContractId: string } }>(SCHEDULE, {
        contractId: salesLed,
        planId: catalog.starterId,
      });
      t.clock.advance(3600_000);
      const cancelled = await t.gqlOk<{ cancelContraction: { status: string } }>(
        'mutation($id: ID!) { cancelContraction(contractId: $id) { status } }',
        { id: salesLed },
      );
      expect(cancelled.cancelContraction.status).toBe('CANCELLED');
      const after = await t.gqlOk<{
        old: { autoRenew: boolean; scheduledContraction: unknown };
        next: { status: string };
      }>(
        `query($old: ID!, $next: ID!) { old: contract(id: $old) { autoRenew scheduledContraction { id } }
           next: contract(id: $next) { status } }`,
        { old: salesLed, next: scheduled.scheduleContraction.newContractId },
      );
      expect(after).toEqual({
        old: { autoRenew: true, scheduledContraction: null },
        next: { status: 'CANCELLED' },
      });
      const { contractHistory } = await t.gqlOk<{ contractHistory: Array<{ kind: string }> }>(
        'query($id: ID!) { contractHistory(contractId: $id) { kind } }',
        { id: salesLed },
      );
      expect(contractHistory.map((a) => a.kind)).toEqual([
        'CREATED',
        'AUTO_RENEW_ENABLED',
        'CONTRACTION_SCHEDULED',
        'CONTRACTION_CANCELLED',
      ]);
      // Only the sales-led contract's invoices remain.
      const live = (
        (await invoicesOf(t, salesCustomerId)) as Array<InvoiceResult & { contract: { id: string } }>
      )
        .filter((i) => i.status !== 'VOID')
        .map((i) => i.contract.id);
      expect(new Set(live)).toEqual(new Set([salesLed]));
    });
  });
});
