import nock from 'nock';
import type { TestApp } from '../support/test-app';
import {
  SYNC,
  answerSync,
  connectSalesforce,
  createCatalog,
  isolateNetwork,
  mapProducts,
  startApp,
  wonOpportunity,
  wonOpportunityWithId,
  type Catalog,
} from '../connectors/support';

interface Issue {
  code: string;
  field: string;
  message: string;
  blocking: boolean;
}
interface Draft {
  id: string;
  opportunityId: string;
  contractStart: string | null;
  contractEnd: string | null;
  evergreen: boolean;
  paymentTermsDays: number | null;
  billingCycle: string | null;
  autoPay: boolean | null;
  issues: Issue[];
}
const DRAFT =
  'id opportunityId contractStart contractEnd evergreen paymentTermsDays billingCycle autoPay issues { code field message blocking }';
const CONTRACT = 'startDate endDate evergreen billingCycle paymentTermsDays autoPay';

/**
 * A deal that states neither its terms nor its dates: the mapped plan supplies billing cycle, payment terms
 * and auto-pay (non-blocking "from plan" notes), only the dates block, and ops confirm after setting them.
 * The catalog's plan (test/connectors/support.ts) is MONTHLY, net 30, auto-pay off (the plan default).
 */
describe('a Salesforce deal without terms takes its plan’s terms', () => {
  let t: TestApp;
  let catalog: Catalog;

  /** The recorded deal without dates, payment terms, billing cycle or line item service dates. */
  const dealWithoutTerms = (opportunity: Record<string, unknown>) => {
    for (const field of [
      'Contract_Start_Date__c',
      'Contract_End_Date__c',
      'Payment_Terms__c',
      'Billing_Cycle__c',
    ])
      delete opportunity[field];
    const items = opportunity.OpportunityLineItems as { records: Array<Record<string, unknown>> };
    for (const item of items.records) item.ServiceDate = null;
    return opportunity;
  };

  /** The same deal for another account, so that its contract does not overlap the first one's. */
  const otherAccount = (opportunity: Record<string, unknown>) => {
    const account = opportunity.Account as Record<string, unknown>;
    Object.assign(account, { Id: '0015g00000InitBAAA', Name: 'Initech' });
    opportunity.AccountId = account.Id;
    return opportunity;
  };

  beforeAll(async () => {
    isolateNetwork();
    t = await startApp();
    catalog = await createCatalog(t);
    await mapProducts(t, catalog);
    await connectSalesforce(t);
    answerSync([
      dealWithoutTerms(wonOpportunity()),
      dealWithoutTerms(otherAccount(wonOpportunityWithId('0065g00000EverGAAA'))),
    ]);
    await t.gqlOk(SYNC);
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    // Take nock's interceptor off the http module: later test files in this worker (WebSockets) need real sockets.
    nock.restore();
    await t.stop();
  });

  const drafts = async () =>
    (
      await t.gqlOk<{ contractDrafts: { nodes: Draft[] } }>(
        `{ contractDrafts(status: PENDING) { nodes { ${DRAFT} } } }`,
      )
    ).contractDrafts.nodes;
  const draftOf = async (opportunityId: string) =>
    (await drafts()).find((d) => d.opportunityId === opportunityId)!;
  const confirm = (id: string) =>
    t.gql<{ confirmContractDraft: { status: string; confirmedContractId: string } }>(
      'mutation($id: ID!) { confirmContractDraft(id: $id) { status confirmedContractId } }',
      { id },
    );
  const update = async (id: string, input: Record<string, unknown>) =>
    (
      await t.gqlOk<{ updateContractDraft: Draft }>(
        `mutation($id: ID!, $input: ContractDraftInput!) { updateContractDraft(id: $id, input: $input) { ${DRAFT} } }`,
        { id, input },
      )
    ).updateContractDraft;
  const contract = async (id: string) =>
    (
      await t.gqlOk<{ contract: Record<string, unknown> }>(
        `query($id: ID!) { contract(id: $id) { ${CONTRACT} } }`,
        { id },
      )
    ).contract;

  it('lists the plan’s terms as non-blocking notes; only the start date blocks', async () => {
    const draft = await draftOf('0065g00000KpQrSAAV');
    expect(draft).toMatchObject({
      contractStart: null,
      contractEnd: null,
      evergreen: true,
      paymentTermsDays: null,
      billingCycle: null,
      autoPay: null,
    });
    const byCode = new Map(draft.issues.map((i) => [i.code, i]));
    expect(byCode.get('PAYMENT_TERMS_FROM_PLAN')).toMatchObject({
      field: 'paymentTermsDays',
      blocking: false,
    });
    expect(byCode.get('PAYMENT_TERMS_FROM_PLAN')!.message).toMatch(/^Payment terms from plan: net 30 days/);
    expect(byCode.get('BILLING_CYCLE_FROM_PLAN')).toMatchObject({ field: 'billingCycle', blocking: false });
    expect(byCode.get('BILLING_CYCLE_FROM_PLAN')!.message).toMatch(/^Billing cycle from plan: monthly/);
    expect(byCode.get('AUTO_PAY_FROM_PLAN')).toMatchObject({
      field: 'autoPay',
      message: 'Auto-pay from plan: off',
      blocking: false,
    });
    expect(byCode.get('CONTRACT_EVERGREEN')).toMatchObject({ field: 'contractEnd', blocking: false });
    expect(byCode.has('PAYMENT_TERMS_MISSING')).toBe(false);
    expect(byCode.has('BILLING_CYCLE_MISSING')).toBe(false);
    expect(draft.issues.filter((i) => i.blocking).map((i) => i.code)).toEqual(['CONTRACT_START_MISSING']);

    const refused = await confirm(draft.id);
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'draft.contractStart',
    });
  });

  it('confirms after setting only the dates, with the plan’s billing cycle, payment terms and auto-pay', async () => {
    const { id } = await draftOf('0065g00000KpQrSAAV');
    const edited = await update(id, { contractStart: '2025-02-01', contractEnd: '2026-01-31' });
    expect(edited).toMatchObject({ contractEnd: '2026-01-31', evergreen: false });
    expect(edited.issues.filter((i) => i.blocking)).toEqual([]);
    expect(edited.issues.map((i) => i.code)).toEqual(
      expect.arrayContaining(['PAYMENT_TERMS_FROM_PLAN', 'BILLING_CYCLE_FROM_PLAN', 'AUTO_PAY_FROM_PLAN']),
    );

    const confirmed = await confirm(id);
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data!.confirmContractDraft.status).toBe('CONFIRMED');
    expect(await contract(confirmed.data!.confirmContractDraft.confirmedContractId)).toEqual({
      startDate: '2025-02-01T00:00:00.000Z',
      endDate: '2026-01-31T00:00:00.000Z',
      evergreen: false,
      billingCycle: 'MONTHLY',
      paymentTermsDays: 30,
      autoPay: false,
    });
  });

  it('confirms a deal with only a start date as an evergreen contract, keeping a term the reviewer set', async () => {
    const { id } = await draftOf('0065g00000EverGAAA');
    const edited = await update(id, { contractStart: '2025-02-01', paymentTermsDays: 15 });
    expect(edited.issues.filter((i) => i.blocking)).toEqual([]);
    // The reviewer's own payment terms are no longer "from plan"; the others still are.
    expect(edited.issues.map((i) => i.code)).not.toContain('PAYMENT_TERMS_FROM_PLAN');
    expect(edited.issues.map((i) => i.code)).toContain('BILLING_CYCLE_FROM_PLAN');

    const confirmed = await confirm(id);
    expect(confirmed.errors).toBeUndefined();
    expect(await contract(confirmed.data!.confirmContractDraft.confirmedContractId)).toEqual({
      startDate: '2025-02-01T00:00:00.000Z',
      endDate: null,
      evergreen: true,
      billingCycle: 'MONTHLY',
      paymentTermsDays: 15,
      autoPay: false,
    });
  });
});
