import { TestApp } from '../support/test-app';

/** `fragment F<n> on Query { ...F<n-1> ...F<n-1> }`: a kilobyte that expands to 2^levels fields. */
function fragmentBomb(levels: number): string {
  let query = `query Bomb { ...F${levels} }\nfragment F0 on Query { __typename }\n`;
  for (let i = 1; i <= levels; i++) query += `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }\n`;
  return query;
}

describe('GraphQL edge: document limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses a fragment bomb fast, and /healthz answers meanwhile', async () => {
    const bomb = fragmentBomb(24);
    await t.gqlOk('{ __typename }'); // authentication and first-request warm-up are not what is measured
    expect(Buffer.byteLength(bomb)).toBeLessThan(1500);
    const started = Date.now();
    const health = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const response = await fetch(`${t.url}/healthz`);
      return { status: response.status, ms: Date.now() - started };
    })();
    const result = await t.gql(bomb);
    const elapsed = Date.now() - started;
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(elapsed).toBeLessThan(5000); // a freeze guard (35 s before the fix), not a speed measure: see bench:hardening
    const healthz = await health;
    expect(healthz.status).toBe(200);
    expect(healthz.ms).toBeLessThan(5000);
  }, 60_000);

  it('refuses a deep fragment bomb with QUERY_TOO_DEEP, fast', async () => {
    let query = 'query Deep { ...D20 }\nfragment D0 on Query { meters { nodes { code } } }\n';
    for (let i = 1; i <= 20; i++) query += `fragment D${i} on Query { ...D${i - 1} ...D${i - 1} }\n`;
    const started = Date.now();
    const result = await t.gql(query);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.status).toBe(400);
    expect(['QUERY_TOO_COMPLEX', 'QUERY_TOO_DEEP']).toContain(result.errors?.[0].extensions?.code);
  }, 60_000);

  it('refuses fragment cycles with FRAGMENT_CYCLE', async () => {
    const result = await t.gql(
      'query Q { ...A }\nfragment A on Query { ...B }\nfragment B on Query { meters { nodes { code } } ...A }',
    );
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions?.code).toBe('FRAGMENT_CYCLE');
  });

  it('refuses documents over the size, token and alias limits, each with its code', async () => {
    const large = await t.gql(`{ meters { nodes { code } } }${' '.repeat(70 * 1024)}`);
    expect(large.status).toBe(400);
    expect(large.errors?.[0].extensions?.code).toBe('QUERY_TOO_LARGE');

    const tokens = await t.gql(`{ ${'a '.repeat(12_000)}}`);
    expect(tokens.status).toBe(400);
    expect(tokens.errors?.[0].extensions?.code).toBe('QUERY_TOO_MANY_TOKENS');

    const aliases = await t.gql(
      `{ ${Array.from({ length: 101 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
    );
    expect(aliases.status).toBe(400);
    expect(aliases.errors?.[0].extensions?.code).toBe('QUERY_TOO_MANY_ALIASES');

    const fine = await t.gql(`{ ${Array.from({ length: 100 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
    expect(fine.errors).toBeUndefined();
  });

  it('applies the same limits to GET /graphql', async () => {
    const response = await fetch(`${t.url}/graphql?query=${encodeURIComponent(fragmentBomb(24))}`, {
      headers: { authorization: `Bearer ${t.apiKey}`, 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  }, 60_000);
});
