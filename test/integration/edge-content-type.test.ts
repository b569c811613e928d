import { TestApp } from '../support/test-app';

describe('HTTP edge: JSON endpoints take only application/json', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t.stop();
  });

  const post = (path: string, contentType: string | null, body: string) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${t.apiKey}`,
        ...(contentType ? { 'content-type': contentType } : {}),
      },
      body,
    });

  it.each([
    ['/v1/events', 'text/plain'],
    ['/v1/events/batch', 'application/x-www-form-urlencoded'],
    ['/graphql', 'text/plain'],
    ['/graphql', null],
  ])('POST %s with %s is 415 with a JSON error', async (path, contentType) => {
    const body = path === '/graphql' ? '{"query":"{ __typename }"}' : '{"events":[]}';
    const response = await post(path, contentType, body);
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const json = (await response.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts application/json with a charset parameter', async () => {
    const response = await post('/graphql', 'application/json; charset=utf-8', '{"query":"{ __typename }"}');
    expect(response.status).toBe(200);
    const batch = await post('/v1/events/batch', 'Application/JSON; charset=UTF-8', '{"events":[]}');
    expect(batch.status).toBe(202);
  });

  it('keeps GET /graphql as it was', async () => {
    const response = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { authorization: `Bearer ${t.apiKey}`, 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
  });
});
