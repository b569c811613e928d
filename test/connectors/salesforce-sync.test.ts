import nock from 'nock';
import { DraftConfirmer } from '../../src/services/contract-drafts';
import type { TestApp } from '../support/test-app';
import {
  API,
  EMPTY_PAGE,
  INSTANCE_URL,
  JSON_HEADERS,
  SYNC,
  answerDeletions,
  answerSync,
  connectSalesforce,
  createCatalog,
  isolateNetwork,
  mapProducts,
  queryPage,
  salesforce,
  startApp,
  wonOpportunity,
  wonOpportunityWithId,
  type Catalog,
} from './support';

interface SyncResult {
  status: string;
  reason: string | null;
  pages: number;
  created: number;
  updated: number;
  unchanged: number;
  reviewItems: number;
  voided: number;
  watermark: string | null;
}

const DRAFT_FIELDS = `id status source opportunityId opportunityName isReviewItem parentDraftId
  customer { matchedCustomerId salesforceAccountId proposedName proposedEmail }
  contractStart contractEnd paymentTermsDays billingCycle currency
  plan { planId quantity unitPrice listPrice }
  flatFees { description quantity unitPrice }
  prepaidCredits { grantAmount invoiceAmount expiresOn }
  unmatchedLineItems { productCode }
  issues { code field message blocking }
  changes { field before after }`;

async function sync(t: TestApp): Promise<SyncResult> {
  return (await t.gqlOk<{ syncSalesforce: SyncResult }>(SYNC)).syncSalesforce;
}

async function drafts(t: TestApp, status?: string) {
  const data = await t.gqlOk<{ contractDrafts: { nodes: Array<Record<string, unknown>> } }>(
    `query($status: ContractDraftStatus) { contractDrafts(status: $status, first: 100) { nodes { ${DRAFT_FIELDS} } } }`,
    { status },
  );
  return data.contractDrafts.nodes;
}

async function connection(t: TestApp) {
  const data = await t.gqlOk<{ salesforceConnection: Record<string, unknown> }>(
    '{ salesforceConnection { status watermark lastPollAt lastPollError apiUsage { used max } outboxDepth deadLetterCount } }',
  );
  return data.salesforceConnection;
}

describe('Salesforce inbound: won deals become contract drafts', () => {
  let t: TestApp;
  let catalog: Catalog;
  let triggerSecret: string;

  beforeAll(async () => {
    isolateNetwork();
    t = await startApp();
    catalog = await createCatalog(t);
    await mapProducts(t, catalog);
    triggerSecret = await connectSalesforce(t);
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

  it('turns a closed-won deal into a pending draft with the right terms', async () => {
    answerSync([wonOpportunity()]);
    const result = await sync(t);
    expect(result).toMatchObject({ status: 'COMPLETED', pages: 1, created: 1, updated: 0, voided: 0 });
    expect(result.watermark).toBe('2025-01-15T11:59:00.000Z');
    const [draft] = await drafts(t);
    expect(draft).toMatchObject({
      status: 'PENDING',
      source: 'SALESFORCE',
      opportunityId: '0065g00000KpQrSAAV',
      opportunityName: 'Acme Corp - Platform Pro 2025',
      isReviewItem: false,
      customer: {
        matchedCustomerId: null,
        salesforceAccountId: '0015g00000QxYzAAAV',
        proposedName: 'Acme Corp',
      },
      contractStart: '2025-02-01',
      contractEnd: '2026-01-31',
      paymentTermsDays: 45,
      billingCycle: 'ANNUAL',
      plan: { planId: catalog.planId, quantity: '25', unitPrice: '1800', listPrice: '2000' },
      flatFees: [{ description: 'Onboarding fee', quantity: '1', unitPrice: '2000' }],
      prepaidCredits: { grantAmount: '20000.00', invoiceAmount: '17500.00', expiresOn: '2026-01-31' },
      unmatchedLineItems: [],
      changes: [],
    });
    expect(draft.issues).toEqual([
      expect.objectContaining({ code: 'CUSTOMER_EMAIL_MISSING', blocking: false }),
      // A deal never states auto-pay: the plan's applies, and the draft says so.
      { code: 'AUTO_PAY_FROM_PLAN', field: 'autoPay', message: 'Auto-pay from plan: off', blocking: false },
      expect.objectContaining({ code: 'FEE_ONE_TIME', field: 'flatFees.0', blocking: false }),
    ]);
  });

  it('shows the matched pricing with all nine dimensional rates', async () => {
    const [draft] = await drafts(t);
    const data = await t.gqlOk<{ contractDraft: { pricings: Array<Record<string, unknown>> } }>(
      `query($id: ID!) { contractDraft(id: $id) { pricings { name meterCode fromPlan fallbackRate
         rates { dimensions rate catalogRate overridden } } } }`,
      { id: draft.id },
    );
    const [pricing] = data.contractDraft.pricings;
    expect(pricing).toMatchObject({
      name: 'AI Call Pricing',
      meterCode: 'AI_CALL',
      fromPlan: true,
      fallbackRate: '0.5',
    });
    expect((pricing.rates as unknown[]).length).toBe(9);
    expect(pricing.rates).toContainEqual({
      dimensions: { region: 'APAC', call_outcome: 'escalated' },
      rate: '0.9',
      catalogRate: '0.9',
      overridden: false,
    });
  });

  it('does nothing when the same deal is read again', async () => {
    const before = await drafts(t);
    answerSync([wonOpportunity()]);
    expect(await sync(t)).toMatchObject({ status: 'COMPLETED', created: 0, updated: 0, unchanged: 1 });
    expect(await drafts(t)).toEqual(before);
  });

  it('updates the pending draft when the deal changed, listing what changed', async () => {
    const changed = wonOpportunity({
      SystemModstamp: '2025-01-15T11:00:00.000+0000',
      Payment_Terms__c: 'Net 60',
    });
    (changed.OpportunityLineItems as { records: Array<Record<string, unknown>> }).records[0].Quantity = 30.0;
    t.clock.set('2025-01-15T12:10:00Z');
    answerSync([changed]);
    expect(await sync(t)).toMatchObject({ created: 0, updated: 1 });
    const [draft] = await drafts(t);
    expect(draft).toMatchObject({ status: 'PENDING', paymentTermsDays: 60, plan: { quantity: '30' } });
    expect(draft.changes).toEqual([
      { field: 'paymentTermsDays', before: '45', after: '60' },
      { field: 'plan.quantity', before: '25', after: '30' },
    ]);
  });

  it('voids the pending draft when the deal is no longer won', async () => {
    t.clock.set('2025-01-15T12:20:00Z');
    answerSync(
      [],
      [
        {
          attributes: { type: 'Opportunity' },
          Id: '0065g00000KpQrSAAV',
          IsWon: false,
          IsDeleted: false,
          SystemModstamp: '2025-01-15T12:05:00.000+0000',
        },
      ],
    );
    expect(await sync(t)).toMatchObject({ voided: 1 });
    const [draft] = await drafts(t);
    expect(draft.status).toBe('VOID');
  });

  it('brings a voided draft back when the deal is won again', async () => {
    t.clock.set('2025-01-15T12:30:00Z');
    answerSync([
      wonOpportunity({ SystemModstamp: '2025-01-15T12:15:00.000+0000', Payment_Terms__c: 'Net 60' }),
    ]);
    expect(await sync(t)).toMatchObject({ updated: 1 });
    expect((await drafts(t))[0].status).toBe('PENDING');
  });

  it('raises a separate review item when the deal of a confirmed draft changes', async () => {
    const [draft] = await drafts(t);
    // Stand-in for the contracts service: only the draft's own bookkeeping is under test here.
    const confirm = jest
      .spyOn(DraftConfirmer.prototype, 'confirm')
      .mockResolvedValue({ contractId: 'ctr_test_1', customerId: 'cus_test_1' });
    await t.gqlOk('mutation($id: ID!) { confirmContractDraft(id: $id) { status confirmedContractId } }', {
      id: draft.id,
    });
    confirm.mockRestore();
    t.clock.set('2025-01-15T12:40:00Z');
    answerSync([
      wonOpportunity({ SystemModstamp: '2025-01-15T12:35:00.000+0000', Payment_Terms__c: 'Net 90' }),
    ]);
    expect(await sync(t)).toMatchObject({ reviewItems: 1, updated: 0 });
    const all = await drafts(t);
    const confirmed = all.find((d) => d.id === draft.id)!;
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', paymentTermsDays: 60 });
    const review = all.find((d) => d.isReviewItem)!;
    expect(review).toMatchObject({ status: 'PENDING', parentDraftId: draft.id, paymentTermsDays: 90 });
    expect(review.changes).toEqual([{ field: 'paymentTermsDays', before: '60', after: '90' }]);
    // Read again: still one review item.
    t.clock.set('2025-01-15T12:41:00Z');
    answerSync([
      wonOpportunity({ SystemModstamp: '2025-01-15T12:35:00.000+0000', Payment_Terms__c: 'Net 90' }),
    ]);
    expect(await sync(t)).toMatchObject({ reviewItems: 0, unchanged: 1 });
    expect((await drafts(t)).filter((d) => d.isReviewItem)).toHaveLength(1);
  });

  it('reads a three-page window by following nextRecordsUrl', async () => {
    t.clock.set('2025-01-16T12:00:00Z');
    const ids = [
      '0065g00000PageAAAA',
      '0065g00000PageBAAA',
      '0065g00000PageCAAA',
      '0065g00000PageDAAA',
      '0065g00000PageEAAA',
    ];
    salesforce()
      .get(`${API}/query`)
      .query((q) => String(q.q).includes('IsWon = true'))
      .reply(
        200,
        queryPage(
          ids.slice(0, 2).map((id) => wonOpportunityWithId(id)),
          `${API}/query/01gRO0000016PIAYA2-2`,
        ),
        JSON_HEADERS,
      );
    salesforce()
      .get(`${API}/query/01gRO0000016PIAYA2-2`)
      .reply(
        200,
        queryPage(
          ids.slice(2, 4).map((id) => wonOpportunityWithId(id)),
          `${API}/query/01gRO0000016PIAYA2-4`,
        ),
        JSON_HEADERS,
      );
    salesforce()
      .get(`${API}/query/01gRO0000016PIAYA2-4`)
      .reply(200, queryPage([wonOpportunityWithId(ids[4])]), JSON_HEADERS);
    salesforce().get(`${API}/queryAll`).query(true).reply(200, EMPTY_PAGE, JSON_HEADERS);
    answerDeletions();
    expect(await sync(t)).toMatchObject({ status: 'COMPLETED', pages: 3, created: 5 });
    const opportunityIds = (await drafts(t)).map((d) => d.opportunityId);
    for (const id of ids) expect(opportunityIds).toContain(id);
  });

  it('leaves the watermark unchanged when a sync dies between pages, and re-running creates no duplicates', async () => {
    const before = (await connection(t)).watermark;
    t.clock.set('2025-01-17T12:00:00Z');
    const ids = ['0065g00000CrashAAA', '0065g00000CrashBAA', '0065g00000CrashCAA'];
    const firstPage = () =>
      salesforce()
        .get(`${API}/query`)
        .query((q) => String(q.q).includes('IsWon = true'))
        .reply(
          200,
          queryPage(
            ids.slice(0, 2).map((id) => wonOpportunityWithId(id)),
            `${API}/query/01gCRASH-2`,
          ),
          JSON_HEADERS,
        );
    firstPage();
    // The second page keeps failing: our retries (4 attempts) give up.
    salesforce()
      .get(`${API}/query/01gCRASH-2`)
      .times(4)
      .reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }], JSON_HEADERS);
    const failed = await sync(t);
    expect(failed).toMatchObject({ status: 'FAILED', pages: 1, created: 2 });
    const after = await connection(t);
    expect(after.watermark).toBe(before);
    expect(after.lastPollError).toContain('down');
    expect(after.status).toBe('ACTIVE');

    firstPage();
    salesforce()
      .get(`${API}/query/01gCRASH-2`)
      .reply(200, queryPage([wonOpportunityWithId(ids[2])]), JSON_HEADERS);
    salesforce().get(`${API}/queryAll`).query(true).reply(200, EMPTY_PAGE, JSON_HEADERS);
    answerDeletions();
    expect(await sync(t)).toMatchObject({ status: 'COMPLETED', created: 1, unchanged: 2 });
    const rows = (await t.app.db.query(
      `SELECT opportunity_id, COUNT(*) AS n FROM contract_drafts WHERE opportunity_id IN (?, ?, ?) GROUP BY opportunity_id`,
      ids,
    )) as Array<{ n: string | number }>;
    expect(rows.map((r) => Number(r.n))).toEqual([1, 1, 1]);
    expect((await connection(t)).watermark).toBe('2025-01-17T11:59:00.000Z');
  });

  it('answers the trigger at once, then re-reads the Opportunity through the API', async () => {
    const id = '0065g00000TriggAAA';
    salesforce()
      .get(`${API}/queryAll`)
      .query((q) => String(q.q).includes(`Id = '${id}'`))
      .reply(200, queryPage([{ ...wonOpportunityWithId(id), IsDeleted: false }]), {
        ...JSON_HEADERS,
        'Sforce-Limit-Info': 'api-usage=1234/100000',
      });
    const response = await t.rest(
      'POST',
      '/v1/salesforce/trigger',
      { opportunityId: id, Amount: 1 },
      triggerSecret,
    );
    expect(response).toMatchObject({ status: 202, body: { accepted: [id] } });
    await t.app.services.salesforce.awaitTriggers();
    const draft = (await drafts(t)).find((d) => d.opportunityId === id);
    expect(draft).toMatchObject({ status: 'PENDING', paymentTermsDays: 45 });
    expect((await connection(t)).apiUsage).toEqual({ used: 1234, max: 100000 });
  });

  it('accepts an Outbound Message (SOAP) and acknowledges it', async () => {
    const id = '0065g00000OutMsAAA';
    salesforce()
      .get(`${API}/queryAll`)
      .query(true)
      .reply(200, queryPage([{ ...wonOpportunityWithId(id), IsDeleted: false }]), JSON_HEADERS);
    const soap = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
      <soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>00D5g000004XyZaEAK</OrganizationId>
      <Notification><Id>04l5g00000AbCdEAAV</Id><sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sf:Id>${id}</sf:Id></sObject></Notification></notifications></soapenv:Body></soapenv:Envelope>`;
    const response = await fetch(
      `${t.url}/v1/salesforce/trigger?token=${encodeURIComponent(triggerSecret)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: soap,
      },
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<Ack>true</Ack>');
    await t.app.services.salesforce.awaitTriggers();
    expect((await drafts(t)).some((d) => d.opportunityId === id)).toBe(true);
  });

  it('rejects a trigger without the right secret', async () => {
    const response = await t.rest(
      'POST',
      '/v1/salesforce/trigger',
      { opportunityId: '0065g00000TriggAAA' },
      'sftrg_wrong',
    );
    expect(response.status).toBe(401);
  });

  it('lets ops edit, recompute issues, and reject a draft', async () => {
    const draft = (await drafts(t, 'PENDING')).find((d) => d.opportunityId === '0065g00000TriggAAA')!;
    const edited = await t.gqlOk<{ updateContractDraft: Record<string, unknown> }>(
      `mutation($id: ID!) { updateContractDraft(id: $id, input: { customerId: "${catalog.customerId}", paymentTermsDays: 30,
         usagePricings: [{ pricingId: "${catalog.pricingId}", dimensions: { region: "EU" }, overrideRate: "0.21" }] })
         { ${DRAFT_FIELDS} rateOverrides { pricingId dimensions rate } pricings { rates { dimensions rate overridden } } } }`,
      { id: draft.id },
    );
    const result = edited.updateContractDraft;
    expect(result).toMatchObject({
      paymentTermsDays: 30,
      customer: { matchedCustomerId: catalog.customerId },
    });
    expect(result.rateOverrides).toEqual([
      { pricingId: catalog.pricingId, dimensions: { region: 'EU' }, rate: '0.21' },
    ]);
    const rates = (
      result.pricings as Array<{
        rates: Array<{ dimensions: Record<string, string>; rate: string; overridden: boolean }>;
      }>
    )[0].rates;
    expect(rates.filter((r) => r.overridden).map((r) => r.dimensions.region)).toEqual(['EU', 'EU', 'EU']);
    expect(rates.find((r) => r.dimensions.region === 'EU')!.rate).toBe('0.21');
    // Only the notes on the plan's auto-pay and on how the onboarding fee will be billed are left.
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'AUTO_PAY_FROM_PLAN', blocking: false }),
      expect.objectContaining({ code: 'FEE_ONE_TIME', blocking: false }),
    ]);

    const bad = await t.gql(
      'mutation($id: ID!) { updateContractDraft(id: $id, input: { plan: { planId: "pln_nope" } }) { id } }',
      { id: draft.id },
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.plan.planId' });
    // Field limits come from the input rules, catalog references from the service; each names its field.
    const invalid: Array<[string, string]> = [
      ['proposedCustomer: { name: "  " }', 'input.proposedCustomer.name'],
      ['proposedCustomer: { name: "Initech", email: "nope" }', 'input.proposedCustomer.email'],
      ['contractStart: "2025-02-30"', 'input.contractStart'],
      ['flatFees: [{ description: " ", quantity: "1", unitPrice: "5" }]', 'input.flatFees.0.description'],
      ['prepaidCredits: { grantAmount: "0", invoiceAmount: "0" }', 'input.prepaidCredits.grantAmount'],
      ['usagePricings: [{ pricingId: "prc_nope" }]', 'input.usagePricings.0.pricingId'],
    ];
    for (const [terms, field] of invalid) {
      const response = await t.gql(
        `mutation($id: ID!) { updateContractDraft(id: $id, input: { ${terms} }) { id } }`,
        {
          id: draft.id,
        },
      );
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }

    const rejected = await t.gqlOk<{ rejectContractDraft: { status: string } }>(
      'mutation($id: ID!) { rejectContractDraft(id: $id, reason: "Duplicate deal") { status rejectReason } }',
      { id: draft.id },
    );
    expect(rejected.rejectContractDraft).toMatchObject({
      status: 'REJECTED',
      rejectReason: 'Duplicate deal',
    });
  });

  it('creates a manual draft that goes through the same review', async () => {
    const created = await t.gqlOk<{ createContractDraft: Record<string, unknown> }>(
      `mutation { createContractDraft(input: { proposedCustomer: { name: "Initech", email: "ap@initech.example" },
         contractStart: "2025-03-01", contractEnd: "2026-02-28", paymentTermsDays: 45, billingCycle: MONTHLY,
         autoPay: false, plan: { planId: "${catalog.planId}" } }) { ${DRAFT_FIELDS} } }`,
    );
    expect(created.createContractDraft).toMatchObject({ source: 'MANUAL', status: 'PENDING', issues: [] });
    const confirm = await t.gql('mutation($id: ID!) { confirmContractDraft(id: $id) { status } }', {
      id: created.createContractDraft.id,
    });
    expect(confirm.data).toMatchObject({ confirmContractDraft: { status: 'CONFIRMED' } });
  });

  it('never returns the secrets and stores them encrypted', async () => {
    const rows = (await t.app.db.query('SELECT * FROM salesforce_connections')) as Array<
      Record<string, string>
    >;
    const text = JSON.stringify(rows);
    expect(text).not.toContain('test-consumer-secret');
    expect(text).not.toContain('5Aep861-original-refresh-token');
    expect(text).not.toContain('FakeRefreshedAccessToken');
    expect(rows[0].instance_url).toBe(INSTANCE_URL);
  });
});
