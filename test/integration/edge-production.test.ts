import { loadConfig } from '../../src/config/config';
import { TestApp } from '../support/test-app';

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  PORTAL_TOKEN_SECRET: 'p'.repeat(32),
  SECRETS_ENCRYPTION_KEY: 's'.repeat(64),
};

describe('GraphQL edge: production settings', () => {
  it('turns introspection off by default in production, on with GRAPHQL_INTROSPECTION=true', () => {
    expect(loadConfig(PRODUCTION_ENV).graphqlIntrospection).toBe(false);
    expect(loadConfig({ ...PRODUCTION_ENV, GRAPHQL_INTROSPECTION: 'true' }).graphqlIntrospection).toBe(true);
    expect(loadConfig({}).graphqlIntrospection).toBe(true);
  });

  describe('a server configured for production', () => {
    let t: TestApp;
    beforeAll(async () => {
      const { production, graphqlIntrospection } = loadConfig(PRODUCTION_ENV);
      t = await TestApp.start({ config: { production, graphqlIntrospection } });
    });
    afterAll(async () => {
      await t.stop();
    });

    it('refuses introspection', async () => {
      const result = await t.gql('{ __schema { types { name } } }');
      expect(result.status).toBe(400);
      expect(result.data).toBeNull();
      expect(result.errors?.[0].message).toMatch(/introspection/i);
    });

    it('gives no "Did you mean" suggestions', async () => {
      const result = await t.gql('{ meterz { nodes { code } } }');
      expect(result.status).toBe(400);
      expect(result.errors?.[0].message).toContain('Cannot query field "meterz"');
      expect(result.errors?.[0].message).not.toMatch(/Did you mean/);
    });
  });

  describe('a development server', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start({ databaseSuffix: '-dev' });
    });
    afterAll(async () => {
      await t.stop();
    });

    it('answers introspection and suggests field names', async () => {
      const schema = await t.gql('{ __schema { queryType { name } } }');
      expect(schema.errors).toBeUndefined();
      const typo = await t.gql('{ meterz { nodes { code } } }');
      expect(typo.errors?.[0].message).toMatch(/Did you mean .*"meters"/);
    });
  });
});
