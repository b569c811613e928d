import { TestApp } from '../support/test-app';

describe('API keys and authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  it('answers health and readiness without a key', async () => {
    expect((await t.rest('GET', '/healthz', undefined, null)).body).toEqual({ status: 'ok' });
    const ready = await t.rest('GET', '/readyz', undefined, null);
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('rejects a missing or wrong key with UNAUTHENTICATED', async () => {
    const missing = await t.gql('{ currentEnvironment { id } }', {}, null);
    expect(missing.status).toBe(401);
    expect(missing.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await t.gql('{ currentEnvironment { id } }', {}, 'tly_live_not-a-real-key');
    expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('creates a key that works and stops working once revoked', async () => {
    const created = await t.gqlOk<{
      createApiKey: { secret: string; apiKey: { id: string; prefix: string } };
    }>('mutation { createApiKey(name: "ci") { secret apiKey { id prefix } } }');
    const { secret, apiKey } = created.createApiKey;
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    const env = await t.gqlOk<{ currentEnvironment: { id: string; name: string } }>(
      '{ currentEnvironment { id name } }',
      {},
      secret,
    );
    expect(env.currentEnvironment).toEqual({ id: t.environmentId, name: 'live' });

    await t.gqlOk('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: apiKey.id });
    const after = await t.gql('{ currentEnvironment { id } }', {}, secret);
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('never stores the key itself', async () => {
    const rows = await t.app.db.query('SELECT key_hash FROM api_keys');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows as Array<{ key_hash: string }>) {
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.key_hash).not.toContain(t.apiKey.slice(9, 30));
    }
  });

  it("cannot revoke another environment's key (NOT_FOUND)", async () => {
    const other = await t.newOrganization();
    const result = await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: other.apiKeyId });
    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const stillWorks = await t.gql('{ currentEnvironment { id } }', {}, other.apiKey);
    expect(stillWorks.errors).toBeUndefined();
  });
});
