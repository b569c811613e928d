import { TestApp } from '../support/test-app';

const CONNECT = `mutation($input: ConnectSalesforceInput!) {
  connectSalesforce(input: $input) { triggerSecret connection { id } }
}`;

function input(loginUrl: string, instanceUrl = 'https://acme.my.salesforce.com') {
  return {
    input: {
      loginUrl,
      instanceUrl,
      clientId: '3MVG9-test-consumer-key',
      clientSecret: 'test-consumer-secret',
      refreshToken: '5Aep861-original-refresh-token',
    },
  };
}

/** Nothing in an answer may describe the network behind the server. */
function expectNoNetworkDetail(text: string): void {
  expect(text).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
  expect(text).not.toMatch(/\bE(CONN|HOST|NET|AI_|TIMEDOUT|PIPE|PROTO)/);
  expect(text).not.toMatch(/::|localhost|certificate|cert|ENOTFOUND|getaddrinfo|FetchError/i);
}

/**
 * The Salesforce login and instance URLs are typed in by users and called by the server with the
 * client secret and refresh token, so in production they may only point at public https addresses.
 */
describe('Salesforce URLs in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ config: { salesforceAllowPrivateUrls: false } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each([
    'https://127.0.0.1:1',
    'https://localhost:1',
    'https://169.254.169.254',
    'https://10.0.0.5',
    'https://172.16.3.4',
    'https://192.168.1.10',
    'https://100.64.0.1',
    'https://0.0.0.0',
    'https://[::1]',
    'https://[::ffff:127.0.0.1]',
    'https://[::ffff:a9fe:a9fe]',
    'https://[fe80::1]',
    'https://[fd00:ec2::254]',
  ])('refuses the login URL %s with the generic error', async (loginUrl) => {
    const result = await t.gql(CONNECT, input(loginUrl));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.loginUrl' });
    expect(result.errors?.[0].message).toContain('SALESFORCE_UNREACHABLE');
    expectNoNetworkDetail(result.errors![0].message);
  });

  it('refuses a private instance URL the same way', async () => {
    const result = await t.gql(CONNECT, input('https://8.8.8.8', 'https://169.254.169.254'));
    expect(result.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.instanceUrl',
    });
    expect(result.errors?.[0].message).toContain('SALESFORCE_UNREACHABLE');
    expectNoNetworkDetail(result.errors![0].message);
  });

  it('refuses plain http, even to loopback', async () => {
    const result = await t.gql(CONNECT, input('http://127.0.0.1:1'));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.loginUrl' });
    expect(result.errors?.[0].message).toBe('must use https');
  });
});

describe('Salesforce URLs in development', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ config: { salesforceAllowPrivateUrls: true } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('reports an unreachable loopback URL without the network error', async () => {
    const result = await t.gql(CONNECT, input('http://127.0.0.1:1'));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.loginUrl' });
    expect(result.errors?.[0].message).toContain('SALESFORCE_UNREACHABLE');
    expectNoNetworkDetail(result.errors![0].message);
  });
});
