import { errorOf, type Gql } from '../support/saas-catalog';
import { TestApp } from '../support/test-app';

const CREATE = `mutation($name: String!, $ttl: Int) {
  createSandbox(name: $name, ttlHours: $ttl) { apiKey environment { id name kind expiresAt } }
}`;
const ENVIRONMENTS = '{ environments { name kind expiresAt } }';

/** Sandboxes that delete themselves after ttlHours, and the per-organization quota (SANDBOX_QUOTA). */
describe('Sandbox expiry and quota', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ config: { sandboxQuota: 2 } });
    t.clock.set('2026-06-01T10:00:00Z');
  });
  afterAll(() => t.stop());

  it('deletes a sandbox once its time to live has passed, keeps the others, and frees its quota place', async () => {
    const short = (await t.gqlOk<{ createSandbox: Gql }>(CREATE, { name: 'short', ttl: 2 })).createSandbox;
    // 10:00 + 2 hours.
    expect(short.environment).toMatchObject({ kind: 'SANDBOX', expiresAt: '2026-06-01T12:00:00.000Z' });
    const kept = (await t.gqlOk<{ createSandbox: Gql }>(CREATE, { name: 'kept' })).createSandbox;
    expect(kept.environment.expiresAt).toBeNull();
    // Data in the short-lived sandbox, to be deleted with it.
    await t.gqlOk('mutation { createCustomer(input: { name: "Tmp" }) { id } }', {}, short.apiKey);

    // Quota 2: a third is refused, and bad ttlHours are refused (naming the field) before the quota is counted.
    const third = await t.gql(CREATE, { name: 'third' });
    expect(errorOf(third)).toMatchObject({ code: 'CONFLICT' });
    expect(errorOf(third).message).toContain('SANDBOX_QUOTA');
    for (const ttl of [0, 8761]) {
      expect(errorOf(await t.gql(CREATE, { name: `bad-${ttl}`, ttl }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'ttlHours',
      });
    }

    // 11:59: not yet.
    t.clock.set('2026-06-01T11:59:00Z');
    await t.app.workers.sandboxExpiry.drain();
    const before = await t.gqlOk<{ environments: Gql[] }>(ENVIRONMENTS);
    // Both sandboxes were created in the same instant: their order is not the point, their presence is.
    expect(before.environments.map((e: Gql) => e.name).sort()).toEqual(['kept', 'live', 'short']);

    // 12:00: the short-lived sandbox is gone with its data and its key; the other stays.
    t.clock.set('2026-06-01T12:00:00Z');
    await t.app.workers.sandboxExpiry.drain();
    const after = await t.gqlOk<{ environments: Gql[] }>(ENVIRONMENTS);
    expect(after.environments.map((e: Gql) => e.name).sort()).toEqual(['kept', 'live']);
    const [{ n }] = (await t.app.db.query('SELECT COUNT(*) AS n FROM customers WHERE environment_id = ?', [
      short.environment.id,
    ])) as Array<{ n: string }>;
    expect(Number(n)).toBe(0);
    const revoked = await t.gql('{ customers { nodes { id } } }', {}, short.apiKey);
    expect(errorOf(revoked).code).toBe('UNAUTHENTICATED');

    // Its place in the quota is free again.
    const again = (await t.gqlOk<{ createSandbox: Gql }>(CREATE, { name: 'third' })).createSandbox;
    expect(again.environment.name).toBe('third');
  });
});
