import { createCustomer } from '../support/billing-api';
import { errorOf, type Gql } from '../support/saas-catalog';
import { TestApp } from '../support/test-app';

const FIELDS = 'id customerId provider brand last4 expMonth expYear isDefault removedAt';
const ADD = `mutation($c: ID!, $t: String!, $d: Boolean) {
  addPaymentMethod(customerId: $c, token: $t, makeDefault: $d) { ${FIELDS} }
}`;
const LIST = `query($c: ID!) { paymentMethods(customerId: $c) { ${FIELDS} } }`;
const SET_DEFAULT = `mutation($id: ID!) { setDefaultPaymentMethod(id: $id) { ${FIELDS} } }`;
const REMOVE = `mutation($id: ID!) { removePaymentMethod(id: $id) { ${FIELDS} } }`;

/** Payment methods from processor tokens: add, list, one default, remove; portal tokens on their own only. */
describe('Payment methods', () => {
  let t: TestApp;
  let customerId: string;
  /** A fresh customer token (they expire, and the clock moves). */
  const portal = async () =>
    (
      await t.gqlOk<{ createCustomerPortalToken: { token: string } }>(
        'mutation($id: ID!) { createCustomerPortalToken(customerId: $id) { token } }',
        { id: customerId },
      )
    ).createCustomerPortalToken.token;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-05-01T08:00:00Z');
    customerId = await createCustomer(t, 'Cardholder');
  });
  afterAll(() => t.stop());

  it('adds from tokens (the first is the default), switches the default, removes, all from the portal', async () => {
    const visa = (
      await t.gqlOk<{ addPaymentMethod: Gql }>(ADD, { c: customerId, t: 'tok_visa_4242' }, await portal())
    ).addPaymentMethod;
    expect(visa).toMatchObject({
      provider: 'test',
      brand: 'visa',
      last4: '4242',
      expYear: 2030,
      isDefault: true,
    });
    t.clock.set('2026-05-02T08:00:00Z');
    const amex = (
      await t.gqlOk<{ addPaymentMethod: Gql }>(ADD, { c: customerId, t: 'tok_amex_0005' }, await portal())
    ).addPaymentMethod;
    expect(amex.isDefault).toBe(false);
    const listed = async () =>
      (await t.gqlOk<{ paymentMethods: Gql[] }>(LIST, { c: customerId }, await portal())).paymentMethods.map(
        (m: Gql) => `${m.brand} ${m.last4}${m.isDefault ? ' (default)' : ''}`,
      );
    expect(await listed()).toEqual(['visa 4242 (default)', 'amex 0005']);

    await t.gqlOk(SET_DEFAULT, { id: amex.id }, await portal());
    expect(await listed()).toEqual(['amex 0005 (default)', 'visa 4242']);

    const removed = (await t.gqlOk<{ removePaymentMethod: Gql }>(REMOVE, { id: amex.id }, await portal()))
      .removePaymentMethod;
    expect(removed).toMatchObject({ isDefault: false, removedAt: '2026-05-02T08:00:00.000Z' });
    expect(await listed()).toEqual(['visa 4242']);
    expect(errorOf(await t.gql(SET_DEFAULT, { id: amex.id }, await portal()))).toMatchObject({
      code: 'NOT_FOUND',
      field: 'id',
    });
  });

  it('refuses bad tokens, repeats and other customers, naming the field', async () => {
    expect(errorOf(await t.gql(ADD, { c: customerId, t: '4242424242424242' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'token',
    });
    expect(errorOf(await t.gql(ADD, { c: customerId, t: 'tok_visa_4242' }))).toMatchObject({
      code: 'CONFLICT',
      field: 'token',
    });
    const other = await createCustomer(t, 'Someone else');
    const theirs = (await t.gqlOk<{ addPaymentMethod: Gql }>(ADD, { c: other, t: 'tok_mc_4444' }))
      .addPaymentMethod;
    expect(errorOf(await t.gql(LIST, { c: other }, await portal())).code).toBe('FORBIDDEN');
    expect(errorOf(await t.gql(ADD, { c: other, t: 'tok_mc_5555' }, await portal())).code).toBe('FORBIDDEN');
    expect(errorOf(await t.gql(REMOVE, { id: theirs.id }, await portal())).code).toBe('FORBIDDEN');
  });

  it('holds at most 10 methods per customer', async () => {
    const many = await createCustomer(t, 'Many cards');
    // 10 methods: 0000 … 0009.
    for (let i = 0; i < 10; i++) await t.gqlOk(ADD, { c: many, t: `tok_visa_000${i}` });
    expect(errorOf(await t.gql(ADD, { c: many, t: 'tok_visa_0010' }))).toMatchObject({
      code: 'CONFLICT',
      field: 'customerId',
    });
  });
});
