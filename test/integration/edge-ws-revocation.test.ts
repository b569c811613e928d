import { TestApp } from '../support/test-app';
import { DRAFT_BY_CUSTOMER, liveClient, subscribe } from './live.support';

describe('graphql-ws: a revoked API key stops streaming', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('closes the sockets the key opened with 4403 within seconds, and only those', async () => {
    const created = await t.gqlOk<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      'mutation { createApiKey(name: "streamer") { secret apiKey { id } } }',
    );
    const { secret, apiKey } = created.createApiKey;
    const doomed = liveClient(t, secret);
    const other = liveClient(t, t.apiKey);
    await Promise.all([doomed.connected, other.connected]);
    subscribe(doomed.client, DRAFT_BY_CUSTOMER, {});
    subscribe(other.client, DRAFT_BY_CUSTOMER, {});
    let otherClosed = false;
    void other.closed.then(() => (otherClosed = true));
    await new Promise((resolve) => setTimeout(resolve, 200));

    await t.gqlOk('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: apiKey.id });
    const revokedAt = Date.now();
    const closed = await Promise.race([
      doomed.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('still open after 5 s')), 5_000)),
    ]);
    expect(closed.code).toBe(4403);
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    expect(otherClosed).toBe(false);
    await other.client.dispose();
    await doomed.client.dispose();
  });
});
