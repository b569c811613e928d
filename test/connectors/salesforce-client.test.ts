import nock from 'nock';
import { SecretBox } from '../../src/services/crm';
import type { TestApp } from '../support/test-app';
import {
  API,
  EMPTY_PAGE,
  answerDeletions,
  JSON_HEADERS,
  SYNC,
  TOKEN,
  connectSalesforce,
  isolateNetwork,
  recorded,
  salesforce,
  startApp,
  tokenEndpoint,
} from './support';

async function sync(t: TestApp) {
  return (await t.gqlOk<{ syncSalesforce: { status: string; reason: string | null } }>(SYNC)).syncSalesforce;
}

async function connectionRow(t: TestApp) {
  const [row] = (await t.app.db.query('SELECT * FROM salesforce_connections')) as Array<
    Record<string, string | null>
  >;
  return row;
}

const wonQuery = () =>
  salesforce()
    .get(`${API}/query`)
    .query((q) => String(q.q).includes('IsWon = true'));
const notWonQuery = () => salesforce().get(`${API}/queryAll`).query(true);

describe('Salesforce client: sessions, limits and retries', () => {
  let t: TestApp;
  const sleeps: number[] = [];

  beforeAll(async () => {
    isolateNetwork();
    t = await startApp();
    t.app.services.salesforce.clientOptions = {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 1,
    };
  });
  beforeEach(async () => {
    // A fresh connection (and client) per test: the refresh circuit and status start clean.
    await connectSalesforce(t);
    sleeps.length = 0;
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

  it('refreshes an expired session and replays the request with the new token; a rotated refresh token is stored encrypted', async () => {
    wonQuery()
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .reply(401, recorded('error-401-invalid-session.json'), JSON_HEADERS);
    tokenEndpoint().reply(
      200,
      (_uri, body) => {
        expect(String(body)).toContain('grant_type=refresh_token');
        expect(String(body)).toContain('refresh_token=5Aep861-original-refresh-token');
        return {
          ...recorded<Record<string, string>>('oauth-refresh-success.json'),
          access_token: 'NEW-ACCESS-TOKEN',
          refresh_token: 'ROTATED-REFRESH-TOKEN',
        };
      },
      JSON_HEADERS,
    );
    wonQuery().matchHeader('authorization', 'Bearer NEW-ACCESS-TOKEN').reply(200, EMPTY_PAGE, JSON_HEADERS);
    notWonQuery()
      .matchHeader('authorization', 'Bearer NEW-ACCESS-TOKEN')
      .reply(200, EMPTY_PAGE, JSON_HEADERS);
    answerDeletions();

    expect(await sync(t)).toMatchObject({ status: 'COMPLETED' });
    const row = await connectionRow(t);
    expect(JSON.stringify(row)).not.toContain('ROTATED-REFRESH-TOKEN');
    const box = new SecretBox(t.app.config.secretsEncryptionKey);
    expect(box.open(row.refresh_token_sealed!, `${row.id}:refresh_token`)).toBe('ROTATED-REFRESH-TOKEN');
    expect(box.open(row.access_token_sealed!, `${row.id}:access_token`)).toBe('NEW-ACCESS-TOKEN');
    // A sealed value does not open under another row's or column's context.
    expect(() => box.open(row.refresh_token_sealed!, `${row.id}:client_secret`)).toThrow();
  });

  it('follows a changed instance URL after a refresh', async () => {
    wonQuery().reply(401, recorded('error-401-invalid-session.json'), JSON_HEADERS);
    tokenEndpoint().reply(
      200,
      {
        ...recorded<Record<string, string>>('oauth-refresh-success.json'),
        instance_url: 'https://acme2.my.salesforce.com',
      },
      JSON_HEADERS,
    );
    // The replay still goes to the old host (jsforce rebuilt the URL before the refresh); it fails there…
    wonQuery().reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'moved' }], JSON_HEADERS);
    // …and our retry goes to the new one.
    nock('https://acme2.my.salesforce.com')
      .get(`${API}/query`)
      .query(true)
      .reply(200, EMPTY_PAGE, JSON_HEADERS);
    nock('https://acme2.my.salesforce.com')
      .get(`${API}/queryAll`)
      .query(true)
      .reply(200, EMPTY_PAGE, JSON_HEADERS);
    answerDeletions([], 'https://acme2.my.salesforce.com');
    expect(await sync(t)).toMatchObject({ status: 'COMPLETED' });
    expect((await connectionRow(t)).instance_url).toBe('https://acme2.my.salesforce.com');
  });

  it('cuts a refresh loop off after 3 refreshes a minute and reports the connection auth-broken', async () => {
    wonQuery().times(4).reply(401, recorded('error-401-invalid-session.json'), JSON_HEADERS);
    const token = tokenEndpoint().times(3).reply(200, recorded('oauth-refresh-success.json'), JSON_HEADERS);
    const result = await sync(t);
    expect(result.status).toBe('FAILED');
    expect(result.reason).toContain('3 token refreshes within a minute');
    expect(token.isDone()).toBe(true);
    const data = await t.gqlOk<{ salesforceConnection: { status: string; statusReason: string } }>(
      '{ salesforceConnection { status statusReason } }',
    );
    expect(data.salesforceConnection).toMatchObject({ status: 'AUTH_BROKEN' });
    expect(data.salesforceConnection.statusReason).toContain('REFRESH_LOOP');
    // No more calls while broken.
    expect(await sync(t)).toMatchObject({ status: 'SKIPPED' });
  });

  it('reports invalid_grant (revoked refresh token) as auth-broken', async () => {
    wonQuery().reply(401, recorded('error-401-invalid-session.json'), JSON_HEADERS);
    tokenEndpoint().reply(400, recorded('oauth-refresh-invalid-grant.json'), JSON_HEADERS);
    const result = await sync(t);
    expect(result).toMatchObject({ status: 'FAILED' });
    expect(result.reason).toContain('invalid_grant');
    expect((await connectionRow(t)).status).toBe('AUTH_BROKEN');
  });

  it('pauses the connection on REQUEST_LIMIT_EXCEEDED and resumes after the pause', async () => {
    wonQuery().reply(403, recorded('error-403-request-limit-exceeded.json'), {
      ...JSON_HEADERS,
      'Sforce-Limit-Info': 'api-usage=100000/100000',
    });
    expect(await sync(t)).toMatchObject({ status: 'FAILED' });
    const paused = await t.gqlOk<{
      salesforceConnection: { status: string; pausedUntil: string; apiUsage: unknown };
    }>('{ salesforceConnection { status pausedUntil apiUsage { used max } } }');
    expect(paused.salesforceConnection).toMatchObject({
      status: 'PAUSED',
      apiUsage: { used: 100000, max: 100000 },
    });
    expect(new Date(paused.salesforceConnection.pausedUntil).getTime()).toBe(
      t.clock.now().getTime() + 3600_000,
    );
    expect(await sync(t)).toMatchObject({ status: 'SKIPPED' });

    t.clock.advance(3600_000 + 1000);
    wonQuery().reply(200, EMPTY_PAGE, JSON_HEADERS);
    notWonQuery().reply(200, EMPTY_PAGE, JSON_HEADERS);
    answerDeletions();
    expect(await sync(t)).toMatchObject({ status: 'COMPLETED' });
    expect((await connectionRow(t)).status).toBe('ACTIVE');
    t.clock.set('2025-01-15T12:00:00Z');
  });

  it('retries transient failures of reads itself, with growing backoff, not through jsforce', async () => {
    wonQuery().reply(503, '<html>Service Unavailable</html>', { 'content-type': 'text/html' });
    wonQuery().reply(
      500,
      [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred' }],
      JSON_HEADERS,
    );
    wonQuery().reply(200, EMPTY_PAGE, JSON_HEADERS);
    notWonQuery().reply(200, EMPTY_PAGE, JSON_HEADERS);
    answerDeletions();
    expect(await sync(t)).toMatchObject({ status: 'COMPLETED' });
    expect(sleeps).toEqual([500, 1000]);
  });

  it('does not retry a malformed query or an invalid field', async () => {
    wonQuery().reply(400, recorded('error-400-invalid-field.json'), JSON_HEADERS);
    const result = await sync(t);
    expect(result.status).toBe('FAILED');
    expect(result.reason).toContain("No such column 'Foo__c'");
    expect(sleeps).toEqual([]);
    expect((await connectionRow(t)).status).toBe('ACTIVE');
  });
});
