import { TestApp } from '../support/test-app';
import { createCustomer } from '../support/billing-api';
import { sendBatch, type WireEvent } from '../support/usage-helpers';

interface EventsPage {
  nodes: Array<{ id: string; idempotencyKey: string }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const QUERY = `query($filter: UsageEventsFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    nodes { id idempotencyKey }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** `count` aliased explorers, each filtered by a dimension, each asking for 10 events' ids. */
function aliasedExplorers(count: number): string {
  const fields = Array.from(
    { length: count },
    (_, i) => `e${i}: events(filter: { dimensions: { region: "EU" } }, first: 10) { nodes { id } }`,
  );
  return `{ ${fields.join('\n')} }`;
}

/**
 * A dimensions filter (and an event name without a customer) is tested row by row over its index range:
 * each page reads at most 10,000 events of that range, and the query-cost estimator charges that scan.
 * The environment holds 10,003 events of one customer: 3 "storage" events in EU, the oldest, then 10,000
 * "ai_call" events in US, one a second.
 */
describe('events explorer: row-by-row filters are bounded and priced', () => {
  let t: TestApp;
  const events = (variables: Record<string, unknown>) =>
    t.gqlOk<{ events: EventsPage }>(QUERY, variables).then((d) => d.events);
  const at = (second: number) => new Date(Date.parse('2026-03-09T00:00:00Z') + second * 1000).toISOString();

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-10T20:00:00Z');
    await createCustomer(t, 'Acme', 'acme');
    const eu: WireEvent[] = [0, 1, 2].map((i) => ({
      customer_id: 'acme',
      event_name: 'storage',
      idempotency_key: `eu-${i}`,
      timestamp: at(i),
      properties: { region: 'EU' },
    }));
    expect((await sendBatch(t, eu)).body.accepted).toBe(3);
    for (let batch = 0; batch < 10; batch++) {
      const us: WireEvent[] = Array.from({ length: 1000 }, (_, i) => {
        const n = batch * 1000 + i;
        return {
          customer_id: 'acme',
          event_name: 'ai_call',
          idempotency_key: `us-${n}`,
          timestamp: at(100 + n),
          properties: { region: 'US' },
        };
      });
      expect((await sendBatch(t, us)).body.accepted).toBe(1000);
    }
  }, 120_000);
  afterAll(() => t.stop());

  it('answers a short page at the end of a 10,000-event scan, and the next page goes on from there', async () => {
    // Newest first, the first 10,000 events of the range are all US: none matches, rows remain after them.
    const first = await events({ filter: { dimensions: { region: 'EU' } }, first: 50 });
    expect(first.nodes).toEqual([]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    // The scan stopped at the 10,000th newest event: the oldest US one, us-0.
    const [usZero] = (await events({ filter: { customerId: 'acme', from: at(100), to: at(101) }, first: 1 }))
      .nodes;
    expect(usZero.idempotencyKey).toBe('us-0');
    expect(Buffer.from(first.pageInfo.endCursor!, 'base64url').toString('utf8')).toBe(usZero.id);
    // After it, 3 events remain (fewer than the cap): all EU, newest first, and nothing after them.
    const second = await events({
      filter: { dimensions: { region: 'EU' } },
      first: 50,
      after: first.pageInfo.endCursor,
    });
    expect(second.nodes.map((n) => n.idempotencyKey)).toEqual(['eu-2', 'eu-1', 'eu-0']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('bounds an event name without a customer the same way, but not with one (the index covers it)', async () => {
    const alone = await events({ filter: { eventName: 'storage' }, first: 50 });
    expect(alone.nodes).toEqual([]);
    expect(alone.pageInfo.hasNextPage).toBe(true);
    const withCustomer = await events({ filter: { customerId: 'acme', eventName: 'storage' }, first: 50 });
    expect(withCustomer.nodes.map((n) => n.idempotencyKey)).toEqual(['eu-2', 'eu-1', 'eu-0']);
    expect(withCustomer.pageInfo.hasNextPage).toBe(false);
  });

  it('fills a page before the cap when matches are dense, and continues after its last event', async () => {
    const page = await events({ filter: { dimensions: { region: 'US' } }, first: 50 });
    // Newest first: us-9999 down to us-9950.
    expect(page.nodes).toHaveLength(50);
    expect(page.nodes[0].idempotencyKey).toBe('us-9999');
    expect(page.nodes[49].idempotencyKey).toBe('us-9950');
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(Buffer.from(page.pageInfo.endCursor!, 'base64url').toString('utf8')).toBe(page.nodes[49].id);
  });

  it('refuses many aliased dimension-filtered explorers with QUERY_TOO_COMPLEX before running any', async () => {
    // Each alias: nodes { id } costs 1 (nodes) + 1 (id) = 2 per event; a page of 10 costs 1 + 10 × 2 = 21;
    // the scan adds 10,000 / 2 = 5,000: 5,021 per alias.
    // 20 aliases: 20 × 5,021 = 100,420 > 20,000.
    const twenty = await t.gql(aliasedExplorers(20));
    expect(twenty.status).toBe(400);
    expect(twenty.data).toBeNull();
    expect(twenty.errors).toHaveLength(1);
    expect(twenty.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(twenty.errors?.[0].message).toBe('Query cost 100420 exceeds the limit of 20000');
    // 4 aliases: 4 × 5,021 = 20,084 > 20,000, refused too.
    const four = await t.gql(aliasedExplorers(4));
    expect(four.status).toBe(400);
    expect(four.errors?.[0].message).toBe('Query cost 20084 exceeds the limit of 20000');
  });

  it('runs one dimension-filtered explorer, and three in one query (3 × 5,021 = 15,063)', async () => {
    const one = await t.gql<{ e0: { nodes: unknown[] } }>(aliasedExplorers(1));
    expect(one.errors).toBeUndefined();
    // The 10,000 newest events are US: the page is empty (the scan stopped there).
    expect(one.data?.e0.nodes).toEqual([]);
    const three = await t.gql<Record<string, { nodes: unknown[] }>>(aliasedExplorers(3));
    expect(three.errors).toBeUndefined();
    expect(Object.keys(three.data ?? {})).toEqual(['e0', 'e1', 'e2']);
  });
});
