import { TestApp } from '../support/test-app';

const CREATE_CUSTOMER = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;

/**
 * Strings that are not well-formed UTF-16 (a lone surrogate, e.g. JSON's "\ud800") would reach the database
 * as U+FFFD, so two different inputs would become one value. Every GraphQL argument is checked before its
 * resolver runs: BAD_USER_INPUT naming the argument path. (Usage events are checked one by one instead; see
 * events-input-limits.test.ts.)
 */
describe('GraphQL string arguments must be well-formed UTF-16', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  it('refuses a lone surrogate in a variable, naming the field, and stores nothing', async () => {
    for (const name of ['Acme \uD800', 'Acme \uDBFF', 'Acme \uDC00x']) {
      const result = await t.gql(CREATE_CUSTOMER, { input: { name } });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    }
    const rows = (await t.app.db.query('SELECT COUNT(*) n FROM customers')) as Array<{ n: number | string }>;
    expect(Number(rows[0].n)).toBe(0);
  });

  it('names the item of a list argument, down into JSON values', async () => {
    await t.gqlOk('mutation($input: CreateMeterInput!) { createMeter(input: $input) { id } }', {
      input: {
        code: 'CALLS',
        displayName: 'Calls',
        eventName: 'call',
        aggregation: 'COUNT',
        groupKeys: ['region'],
      },
    });
    const result = await t.gql(
      'mutation($input: CreateRateCardInput!) { createRateCard(input: $input) { id } }',
      {
        input: {
          meterCode: 'CALLS',
          name: 'Calls',
          entries: [
            { dimensions: { region: 'EU' }, rate: '1' },
            { dimensions: { region: 'US\uDFFF' }, rate: '2' },
          ],
        },
      },
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.entries.1.dimensions.region',
    });
    const rows = (await t.app.db.query('SELECT COUNT(*) n FROM rate_cards')) as Array<{ n: number | string }>;
    expect(Number(rows[0].n)).toBe(0);
  });

  it('refuses one in a literal too (the GraphQL parser does)', async () => {
    const result = await t.gql('mutation { createCustomer(input: {name: "x\\uD800"}) { id } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('accepts surrogate pairs (an emoji) and keeps the text as sent', async () => {
    const data = await t.gqlOk<{ createCustomer: { name: string } }>(
      'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { name } }',
      { input: { name: 'Acme \uD83D\uDE00' } },
    );
    expect(data.createCustomer.name).toBe('Acme 😀');
  });
});
