import {
  CHANGE_FIELDS,
  createSaasCatalog,
  errorOf,
  SIGN_UP,
  type Gql,
  type SaasCatalog,
} from '../support/saas-catalog';
import { TestApp } from '../support/test-app';

const END_FIELDS = `id endDate endsAt atEnd renewalNoticeDays noticeDeadline continuedBy { id plan { name } }`;
const SET_NOTICE = `mutation($c: ID!, $d: Int, $k: String!) {
  setRenewalNotice(contractId: $c, days: $d, idempotencyKey: $k) { ${CHANGE_FIELDS} }
}`;
const SET_AUTO_RENEW = `mutation($c: ID!, $e: Boolean!, $k: String!) {
  setAutoRenew(contractId: $c, enabled: $e, idempotencyKey: $k) { ${CHANGE_FIELDS} }
}`;

/** When the current contract ends, what happens then, and the notice period: on Contract, for the portal too. */
describe('Contract end: endsAt, atEnd, notice period', () => {
  let t: TestApp;
  let catalog: SaasCatalog;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-05-26T10:00:00Z');
    catalog = await createSaasCatalog(t);
  });
  afterAll(() => t.stop());

  async function contractEnd(id: string, token?: string): Promise<Gql> {
    return (
      await t.gqlOk<{ contract: Gql }>(
        `query($id: ID!) { contract(id: $id) { ${END_FIELDS} } }`,
        { id },
        token,
      )
    ).contract;
  }

  async function portalToken(customerId: string): Promise<string> {
    return (
      await t.gqlOk<{ createCustomerPortalToken: { token: string } }>(
        'mutation($id: ID!) { createCustomerPortalToken(customerId: $id) { token } }',
        { id: customerId },
      )
    ).createCustomerPortalToken.token;
  }

  it('ENDS, then RENEWS with auto-renew; a notice period binds the customer but not the operator', async () => {
    const customerId = (
      await t.gqlOk<{ createCustomer: { id: string } }>(
        'mutation { createCustomer(input: { name: "Termly" }) { id } }',
      )
    ).createCustomer.id;
    const contractId = (
      await t.gqlOk<{ createContract: { id: string } }>(
        'mutation($input: CreateContractInput!) { createContract(input: $input) { id } }',
        { input: { customerId, planId: catalog.starterId, startDate: '2026-01-01', endDate: '2026-06-30' } },
      )
    ).createContract.id;
    // Last day June 30: it ends at July 1, 00:00 UTC.
    expect(await contractEnd(contractId)).toMatchObject({
      endsAt: '2026-07-01T00:00:00.000Z',
      atEnd: 'ENDS',
      renewalNoticeDays: null,
      noticeDeadline: null,
      continuedBy: null,
    });

    await t.gqlOk(SET_AUTO_RENEW, { c: contractId, e: true, k: 'on' });
    const notice = await t.gqlOk<{ setRenewalNotice: Gql }>(SET_NOTICE, { c: contractId, d: 30, k: 'n30' });
    expect(notice.setRenewalNotice.amendment).toMatchObject({
      kind: 'RENEWAL_NOTICE_CHANGED',
      details: expect.objectContaining({ from: null, to: 30 }),
    });
    // 30 days before July 1 is June 1.
    expect(await contractEnd(contractId)).toMatchObject({
      atEnd: 'RENEWS',
      renewalNoticeDays: 30,
      noticeDeadline: '2026-06-01T00:00:00.000Z',
    });

    // The customer sees it in the portal, and cannot set it.
    const token = await portalToken(customerId);
    const portal = await t.gqlOk<{ contracts: { nodes: Gql[] } }>(
      `query($c: ID!) { contracts(customerId: $c) { nodes { ${END_FIELDS} } } }`,
      { c: customerId },
      token,
    );
    expect(portal.contracts.nodes).toEqual([
      expect.objectContaining({
        id: contractId,
        atEnd: 'RENEWS',
        noticeDeadline: '2026-06-01T00:00:00.000Z',
      }),
    ]);
    expect(errorOf(await t.gql(SET_NOTICE, { c: contractId, d: 0, k: 'p' }, token)).code).toBe('FORBIDDEN');

    // June 2: inside the notice period the customer can no longer stop the renewal; the operator can.
    t.clock.set('2026-06-02T09:00:00Z');
    const late = await t.gql(
      SET_AUTO_RENEW,
      { c: contractId, e: false, k: 'late' },
      await portalToken(customerId),
    );
    expect(errorOf(late)).toMatchObject({ code: 'CONFLICT', field: 'enabled' });
    await t.gqlOk(SET_AUTO_RENEW, { c: contractId, e: false, k: 'ops-off' });
    expect((await contractEnd(contractId)).atEnd).toBe('ENDS');
  });

  it('lets the customer give notice before the deadline', async () => {
    t.clock.set('2026-05-26T10:00:00Z');
    const customerId = (
      await t.gqlOk<{ createCustomer: { id: string } }>(
        'mutation { createCustomer(input: { name: "Early" }) { id } }',
      )
    ).createCustomer.id;
    const contractId = (
      await t.gqlOk<{ createContract: { id: string } }>(
        'mutation($input: CreateContractInput!) { createContract(input: $input) { id } }',
        { input: { customerId, planId: catalog.starterId, startDate: '2026-01-01', endDate: '2026-06-30' } },
      )
    ).createContract.id;
    await t.gqlOk(SET_AUTO_RENEW, { c: contractId, e: true, k: 'early-on' });
    await t.gqlOk(SET_NOTICE, { c: contractId, d: 30, k: 'early-n30' });
    // May 31 23:59 is still before the June 1 deadline.
    t.clock.set('2026-05-31T23:59:00Z');
    await t.gqlOk(SET_AUTO_RENEW, { c: contractId, e: false, k: 'in-time' }, await portalToken(customerId));
    expect((await contractEnd(contractId)).atEnd).toBe('ENDS');
  });

  it('CONTRACTS_TO_PLAN when another contract continues from the next day', async () => {
    t.clock.set('2026-05-26T10:00:00Z');
    const customerId = (
      await t.gqlOk<{ createCustomer: { id: string } }>(
        'mutation { createCustomer(input: { name: "Mover" }) { id } }',
      )
    ).createCustomer.id;
    const create = (input: Record<string, unknown>) =>
      t.gqlOk<{ createContract: { id: string } }>(
        'mutation($input: CreateContractInput!) { createContract(input: $input) { id } }',
        { input: { customerId, ...input } },
      );
    const sales = (await create({ planId: catalog.proId, startDate: '2026-01-01', endDate: '2026-06-30' }))
      .createContract.id;
    const next = (await create({ planId: catalog.starterId, startDate: '2026-07-01' })).createContract.id;
    expect(await contractEnd(sales)).toMatchObject({
      atEnd: 'CONTRACTS_TO_PLAN',
      continuedBy: { id: next, plan: { name: 'Starter' } },
    });
    // The evergreen follower has no end.
    expect(await contractEnd(next)).toMatchObject({ endsAt: null, atEnd: null, noticeDeadline: null });
  });

  it('refuses a notice period outside 0–365 days, and on an evergreen contract, with the field', async () => {
    const signUp = await t.gqlOk<{ signUp: Gql }>(SIGN_UP, {
      input: {
        customer: { name: 'Evergreen', externalId: 'evergreen' },
        planId: catalog.starterId,
        idempotencyKey: 'e',
      },
    });
    const contractId = signUp.signUp.contract.id;
    for (const days of [366, -1]) {
      expect(errorOf(await t.gql(SET_NOTICE, { c: contractId, d: days, k: `bad-${days}` }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'days',
      });
    }
    expect(errorOf(await t.gql(SET_NOTICE, { c: contractId, d: 10, k: 'evergreen' }))).toMatchObject({
      code: 'CONFLICT',
      field: 'days',
    });
  });
});
