import { TestApp } from '../support/test-app';
import { liveClient } from './live.support';

describe('graphql-ws: one authentication syntax', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses a bare key without "Bearer " with 4401', async () => {
    const { client, closed } = liveClient(t, null, { authorization: t.apiKey });
    expect(await closed).toMatchObject({ code: 4401 });
    await client.dispose();
  });

  it('accepts "Bearer <key>"', async () => {
    const { client, connected } = liveClient(t, t.apiKey);
    await connected;
    await client.dispose();
  });
});
