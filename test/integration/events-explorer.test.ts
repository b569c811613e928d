import { TestApp } from '../support/test-app';
import { createCustomer } from '../support/billing-api';
import { sendBatch, type WireEvent } from '../support/usage-helpers';

interface EventsPage {
  events: {
    nodes: Array<{
      id: string;
      customerId: string;
      eventName: string;
      idempotencyKey: string;
      timestamp: string;
      properties: Record<string, unknown>;
    }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const QUERY = `query($filter: UsageEventsFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    nodes { id customerId eventName idempotencyKey timestamp receivedAt properties }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('events explorer', () => {
  let t: TestApp;
  let acme: string;
  let globex: string;
  const events = (variables: Record<string, unknown>) =>
    t.gqlOk<EventsPage>(QUERY, variables).then((d) => d.events);

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-03-10T20:00:00Z');
    acme = await createCustomer(t, 'Acme', 'acme');
    globex = await createCustomer(t, 'Globex', 'globex');
    const batch: WireEvent[] = [];
    for (let i = 0; i < 30; i++) {
      batch.push({
        customer_id: i % 3 === 0 ? 'globex' : 'acme',
        event_name: i % 2 ? 'ai_call' : 'storage',
        idempotency_key: `e-${i}`,
        // Two events share each timestamp so ties are broken by id.
        timestamp: new Date(
          Date.parse('2026-03-10T00:00:00Z') + Math.floor(i / 2) * 60 * 60_000,
        ).toISOString(),
        properties: { region: i % 4 ? 'US' : 'EU', n: i },
      });
    }
    // Sent in reverse so timestamp order and id order differ.
    expect((await sendBatch(t, batch.reverse())).body.accepted).toBe(30);
  });
  afterAll(() => t.stop());

  it('lists newest first (timestamp, then id) and pages with cursors without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: EventsPage['events'] = await events({ first: 7, after });
      seen.push(...page.nodes.map((n) => n.idempotencyKey));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(30);
    const all = await events({ first: 30 });
    const times = all.nodes.map((n) => Date.parse(n.timestamp));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    for (let i = 1; i < all.nodes.length; i++) {
      if (times[i] === times[i - 1])
        expect(Number(all.nodes[i].id)).toBeLessThan(Number(all.nodes[i - 1].id));
    }
    expect(seen).toEqual(all.nodes.map((n) => n.idempotencyKey));
  });

  it('filters by customer (id or external id), event name, time range and dimensions', async () => {
    const byCustomer = await events({ filter: { customerId: 'globex' }, first: 50 });
    expect(byCustomer.nodes).toHaveLength(10);
    expect(byCustomer.nodes.every((n) => n.customerId === globex)).toBe(true);
    const byId = await events({ filter: { customerId: acme, eventName: 'ai_call' }, first: 50 });
    expect(byId.nodes.map((n) => n.properties.n as number).sort((a, b) => a - b)).toEqual([
      1, 5, 7, 11, 13, 17, 19, 23, 25, 29,
    ]);
    const range = await events({
      filter: { from: '2026-03-10T02:00:00Z', to: '2026-03-10T04:00:00Z' },
      first: 50,
    });
    expect(range.nodes.map((n) => n.properties.n as number).sort((a, b) => a - b)).toEqual([4, 5, 6, 7]);
    const eu = await events({ filter: { customerId: 'acme', dimensions: { region: 'EU' } }, first: 50 });
    expect(eu.nodes.map((n) => n.properties.n as number).sort((a, b) => a - b)).toEqual([4, 8, 16, 20, 28]);
    const numeric = await events({ filter: { dimensions: { n: 13 } } });
    expect(numeric.nodes.map((n) => n.idempotencyKey)).toEqual(['e-13']);
    const nameOnly = await events({
      filter: { eventName: 'storage', dimensions: { region: 'EU' } },
      first: 3,
    });
    expect(nameOnly.nodes.map((n) => n.properties.n)).toEqual([28, 24, 20]);
    expect(nameOnly.pageInfo.hasNextPage).toBe(true);
  });

  it('pages through a filtered list too, and rejects a forged cursor', async () => {
    const first = await events({ filter: { customerId: 'acme' }, first: 15 });
    const second = await events({
      filter: { customerId: 'acme' },
      first: 15,
      after: first.pageInfo.endCursor,
    });
    expect(first.nodes.length + second.nodes.length).toBe(20);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const forged = await t.gql(QUERY, { after: 'bm9wZQ' });
    expect(forged.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("never shows another environment's events", async () => {
    const other = await t.newOrganization();
    const result = await t.gqlOk<EventsPage>(QUERY, { first: 50 }, other.apiKey);
    expect(result.events.nodes).toEqual([]);
  });

  it('uses the explorer indexes (no filesort over the table)', async () => {
    const plan = (await t.app.db.query(
      `EXPLAIN SELECT id FROM usage_events FORCE INDEX (ix_usage_events_customer_name_time)
        WHERE environment_id = ? AND customer_id = ? AND event_name = 'ai_call'
        ORDER BY occurred_at DESC, id DESC LIMIT 51`,
      [t.environmentId, acme],
    )) as Array<{ key: string; Extra: string }>;
    expect(plan[0].key).toBe('ix_usage_events_customer_name_time');
    expect(plan[0].Extra ?? '').not.toMatch(/filesort/);
  });
});
