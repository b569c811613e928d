/**
 * Invoice benchmark: `npm run bench:invoice`.
 *
 * Starts Tally (workers driven by hand) on a scratch database (BENCH_INVOICE_DATABASE_URL, default
 * mysql://root@127.0.0.1:3306/tally_bench_invoice, dropped and recreated), then in one run:
 *   1. the AI call center catalog (9 dimension combinations) and one customer with an evergreen contract;
 *   2. 1M events for that customer over one month, written with multi-row INSERTs straight into usage_events
 *      (the HTTP API would take too long), rolled up by the real aggregator; then p50/p99 of the
 *      `draftInvoice` GraphQL query over HTTP;
 *   3. 9M more events (10M in all), rolled up, and the same measurement; the p99 ratio 10M / 1M;
 *   4. 10,000 small contracts (one customer each, one finished monthly period with a little usage), and
 *      the time the finalizer worker takes to finalize their 10,000 invoices.
 * Beside the results it prints the machine's own reference: a trivial GraphQL query and `SELECT 1`.
 * BENCH_SCALE (default 1) scales every count down for a quick check, e.g. BENCH_SCALE=0.01.
 * BENCH_BOUNDARY (default 1) gives the rate card a second version from 2026-11-15 10:30:00, a boundary inside
 * the month that is not on the hour, so the draft also prices that hour from its raw events (18 lines instead
 * of 9); BENCH_BOUNDARY=0 measures the month without it.
 */
import 'reflect-metadata';
import { createConnection, type Connection } from 'mysql2/promise';
import { App } from '../src/app';
import { loadConfig } from '../src/config/config';
import { RequestContext, type Clock } from '../src/context';
import { parseDatabaseUrl } from '../src/db/data-source';
import { Decimal } from '../src/domain/money';
import { createLogger } from '../src/logger';
import { InvoiceFinalizerWorker } from '../src/workers/invoice-finalizer.worker';
import { percentile, recreateDatabase } from './support';

const env = process.env;
const SCALE = Number(env.BENCH_SCALE ?? 1);
const FIRST_EVENTS = Math.round(1_000_000 * SCALE);
const TOTAL_EVENTS = Math.round(10_000_000 * SCALE);
const SMALL_CONTRACTS = Math.max(10, Math.round(10_000 * SCALE));
const SAMPLES = Number(env.BENCH_SAMPLES ?? 300);
const BOUNDARY = env.BENCH_BOUNDARY !== '0';
/** The second rate version starts here: inside the month, not on the hour. */
const RATE_VERSION_FROM = new Date('2026-11-15T10:30:00Z');
const DATABASE_URL = env.BENCH_INVOICE_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/tally_bench_invoice';
const INSERT_ROWS = 2_000;
const INSERTERS = 2;

const REGIONS = ['US', 'EU', 'APAC'];
const OUTCOMES = ['resolved', 'transferred', 'escalated'];
const MONTH_START = Date.parse('2026-11-01T00:00:00Z');
const MONTH_MS = 30 * 86_400_000;

class BenchClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at.getTime());
  }
  set(at: string): void {
    this.at = new Date(at);
  }
}

const log = (...args: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...args);

async function timeIt(samples: number, work: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < Math.min(30, samples); i++) await work(); // warm-up: JIT, pools, buffer pool
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

/** Multi-row INSERTs of `count` events of one customer, spread evenly over the month, ids `prefix-i`. */
async function insertEvents(
  conns: Connection[],
  environmentId: string,
  customerId: string,
  prefix: string,
  from: number,
  count: number,
): Promise<void> {
  let next = from;
  const end = from + count;
  const started = performance.now();
  let lastReport = started;
  const inserter = async (conn: Connection) => {
    while (next < end) {
      const start = next;
      const stop = Math.min(end, start + INSERT_ROWS);
      next = stop;
      const values: string[] = [];
      for (let i = start; i < stop; i++) {
        // Each load covers the whole month, so 1M and 10M differ in events per hour, not in hours.
        const at = new Date(MONTH_START + Math.floor(((i - from) / count) * MONTH_MS) + (i % 997));
        const properties = JSON.stringify({
          region: REGIONS[i % 3],
          call_outcome: OUTCOMES[Math.floor(i / 3) % 3],
          duration_minutes: (i % 7) + 1,
        });
        values.push(
          `(${conn.escape(environmentId)}, ${conn.escape(customerId)}, 'ai_call', '${prefix}-${String(i).padStart(9, '0')}', ` +
            `'${at.toISOString().slice(0, 23).replace('T', ' ')}', '${at.toISOString().slice(0, 23).replace('T', ' ')}', 1, ${conn.escape(properties)})`,
        );
      }
      await conn.query(
        `INSERT INTO usage_events (environment_id, customer_id, event_name, idempotency_key, occurred_at,
           received_at, ingest_batch, properties) VALUES ${values.join(',')}`,
      );
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        const done = next - from;
        log(
          `  inserted ${done.toLocaleString()} / ${count.toLocaleString()} (${Math.round(done / ((lastReport - started) / 1000)).toLocaleString()} rows/s)`,
        );
      }
    }
  };
  await Promise.all(conns.map(inserter));
  const seconds = (performance.now() - started) / 1000;
  log(
    `  ${count.toLocaleString()} events inserted in ${seconds.toFixed(1)} s (${Math.round(count / seconds).toLocaleString()} rows/s)`,
  );
}

async function main(): Promise<void> {
  const target = parseDatabaseUrl(DATABASE_URL);
  await recreateDatabase(DATABASE_URL);

  const clock = new BenchClock(new Date('2026-11-30T12:00:00Z'));
  const config = {
    ...loadConfig({}),
    databaseUrl: DATABASE_URL,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent' as const,
    workersEnabled: false,
  };
  const app = await App.start(config, { clock, log: createLogger('silent'), workers: false });
  const system = new RequestContext(
    app.db,
    '',
    '',
    { kind: 'SYSTEM', name: 'bench' },
    clock,
    app.log,
    'bench',
  );
  const org = await app.services.organizations.bootstrap(system, 'Bench');
  const ctx = system.forEnvironment(org.environment.id, org.organization.id);
  const { services } = app;

  // 1. Catalog, customer, contract.
  await services.meters.create(ctx, {
    code: 'AI_CALL',
    displayName: 'AI Calls',
    eventName: 'ai_call',
    aggregation: 'SUM',
    aggregationKey: 'duration_minutes',
    groupKeys: ['region', 'call_outcome'],
  });
  const card = await services.rateCards.create(ctx, {
    meterCode: 'AI_CALL',
    name: 'AI call rates',
    entries: REGIONS.flatMap((region, r) =>
      OUTCOMES.flatMap((call_outcome, o) => {
        const rate = new Decimal(`0.${r + 2}${o * 2 + 1}`);
        if (!BOUNDARY) return [{ dimensions: { region, call_outcome }, rate }];
        return [
          { dimensions: { region, call_outcome }, rate, effectiveTo: RATE_VERSION_FROM },
          {
            dimensions: { region, call_outcome },
            rate: rate.plus('0.001'),
            effectiveFrom: RATE_VERSION_FROM,
          },
        ];
      }),
    ),
  });
  const pricing = await services.pricings.createUsage(ctx, {
    name: 'AI calls',
    meterCode: 'AI_CALL',
    model: 'PER_UNIT',
    fallbackRate: new Decimal('0.4'),
    rateCardId: card.id,
  });
  const plan = await services.plans.create(ctx, {
    name: 'AI Call Center',
    currency: 'USD',
    items: [{ pricingId: pricing.id }],
  });
  const big = await services.customers.create(ctx, { name: 'Big customer', externalId: 'big' });
  const contract = await services.contracts.create(ctx, {
    customerId: big.id,
    planId: plan.id,
    startDate: new Date('2026-11-01'),
  });

  const conns = await Promise.all(
    Array.from({ length: INSERTERS }, () =>
      createConnection({
        host: target.host,
        port: target.port,
        user: target.user,
        password: target.password,
        database: target.database,
      }),
    ),
  );
  const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  };
  const DRAFT = `query($id: ID!) { draftInvoice(contractId: $id) {
    id status total subtotal amountDue lines { description quantity rate amount rateSource } } }`;

  const aggregate = async (label: string) => {
    const started = performance.now();
    await app.workers.aggregator.drain();
    const seconds = (performance.now() - started) / 1000;
    log(`  aggregator rolled up the ${label} in ${seconds.toFixed(1)} s`);
  };
  const measureDraft = async (label: string) => {
    // The first read after the roll-up: settled sums and the boundary hour's split are not cached yet.
    const coldStarted = performance.now();
    const draft = (await graphql(DRAFT, { id: contract.id })).draftInvoice as {
      total: string;
      lines: unknown[];
    };
    const cold = performance.now() - coldStarted;
    log(`  draft: ${draft.lines.length} lines, total $${draft.total}; first read ${fmt(cold)}`);
    const timing = await timeIt(SAMPLES, async () => {
      await graphql(DRAFT, { id: contract.id });
    });
    log(`  draftInvoice at ${label}: p50 ${fmt(timing.p50)}, p99 ${fmt(timing.p99)}`);
    return { ...timing, cold };
  };
  const reference = async () => {
    const trivial = await timeIt(SAMPLES, async () => {
      await graphql('{ currentEnvironment { id } }');
    });
    const select = await timeIt(SAMPLES, async () => {
      await app.db.query('SELECT 1');
    });
    return { trivial, select };
  };

  // 2. 1M events.
  log(`loading ${FIRST_EVENTS.toLocaleString()} events`);
  await insertEvents(conns, ctx.environmentId, big.id, 'e', 0, FIRST_EVENTS);
  await aggregate(`${FIRST_EVENTS.toLocaleString()} events`);
  const at1M = await measureDraft(`${FIRST_EVENTS.toLocaleString()} events`);
  const ref1 = await reference();

  // 3. 10M events.
  log(`loading ${(TOTAL_EVENTS - FIRST_EVENTS).toLocaleString()} more events`);
  await insertEvents(conns, ctx.environmentId, big.id, 'e', FIRST_EVENTS, TOTAL_EVENTS - FIRST_EVENTS);
  await aggregate(`${(TOTAL_EVENTS - FIRST_EVENTS).toLocaleString()} more events`);
  const at10M = await measureDraft(`${TOTAL_EVENTS.toLocaleString()} events`);
  const ref2 = await reference();
  const [{ n: aggregateRows }] = await app.db.query(
    'SELECT COUNT(*) AS n FROM usage_aggregates WHERE customer_id = ?',
    [big.id],
  );

  // 4. 10,000 small contracts with one finished October period each, then finalize them all.
  log(`creating ${SMALL_CONTRACTS.toLocaleString()} small contracts`);
  const smallPlan = plan;
  let created = 0;
  const createStarted = performance.now();
  const smallCustomers: string[] = [];
  const creator = async () => {
    while (created < SMALL_CONTRACTS) {
      const i = created++;
      const customer = await services.customers.create(ctx, { name: `Small ${i}`, externalId: `small-${i}` });
      smallCustomers.push(customer.id);
      await services.contracts.create(ctx, {
        customerId: customer.id,
        planId: smallPlan.id,
        startDate: new Date('2026-10-01'),
        endDate: new Date('2026-10-31'),
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, creator));
  log(`  created in ${((performance.now() - createStarted) / 1000).toFixed(1)} s`);
  // A little usage each (3 events over 3 combinations), through the same path: events then the aggregator.
  const smallValues: string[] = [];
  smallCustomers.forEach((customerId, i) => {
    for (let k = 0; k < 3; k++) {
      const at = `2026-10-${String(1 + ((i + k) % 28)).padStart(2, '0')} 10:00:00.000`;
      smallValues.push(
        `('${ctx.environmentId}', '${customerId}', 'ai_call', 's-${i}-${k}', '${at}', '${at}', 1, '{"region":"${REGIONS[k]}","call_outcome":"${OUTCOMES[(i + k) % 3]}","duration_minutes":${k + 1}}')`,
      );
    }
  });
  for (let i = 0; i < smallValues.length; i += INSERT_ROWS) {
    await conns[0].query(
      `INSERT INTO usage_events (environment_id, customer_id, event_name, idempotency_key, occurred_at,
         received_at, ingest_batch, properties) VALUES ${smallValues.slice(i, i + INSERT_ROWS).join(',')}`,
    );
  }
  await aggregate('small contracts’ events');

  const finalizer = new InvoiceFinalizerWorker(
    services.invoices,
    services.invoiceSchedule,
    () => system,
    (environmentId, organizationId) => system.forEnvironment(environmentId, organizationId),
    app.log,
  );
  const finalizeStarted = performance.now();
  await finalizer.drain();
  const finalizeSeconds = (performance.now() - finalizeStarted) / 1000;
  const [{ n: finalized }] = await app.db.query(
    "SELECT COUNT(*) AS n FROM invoices WHERE status = 'FINALIZED'",
  );
  const [{ n: maxNumber }] = await app.db.query('SELECT MAX(last_number) AS n FROM invoice_number_sequences');

  const ratio = at10M.p99 / at1M.p99;
  console.log(`
Invoice benchmark (${new Date().toISOString()}, scale ${SCALE})
  draftInvoice (GraphQL over HTTP, ${SAMPLES} sequential requests, ${BOUNDARY ? `18 lines: a rate version from ${RATE_VERSION_FROM.toISOString()}` : '9 lines: no boundary'}):
    at ${FIRST_EVENTS.toLocaleString().padStart(10)} events: p50 ${fmt(at1M.p50)}, p99 ${fmt(at1M.p99)}; first read after the roll-up ${fmt(at1M.cold)}
    at ${TOTAL_EVENTS.toLocaleString().padStart(10)} events: p50 ${fmt(at10M.p50)}, p99 ${fmt(at10M.p99)}   (target p99 < 50 ms); first read after the roll-up ${fmt(at10M.cold)}
    p99 ratio 10M / 1M: ${ratio.toFixed(2)}   (target < 1.5)
    usage_aggregates rows read for the customer's month: ${Number(aggregateRows).toLocaleString()}
  finalization: ${Number(finalized).toLocaleString()} invoices finalized in ${finalizeSeconds.toFixed(1)} s (${Math.round(Number(finalized) / finalizeSeconds)}/s; target < 60 s); last number INV-${String(maxNumber).padStart(6, '0')}
  reference on this machine (same run):
    trivial GraphQL query { currentEnvironment { id } }: p50 ${fmt(ref1.trivial.p50)}, p99 ${fmt(ref1.trivial.p99)} (after 1M); p50 ${fmt(ref2.trivial.p50)}, p99 ${fmt(ref2.trivial.p99)} (after 10M)
    SELECT 1 round trip:                                 p50 ${fmt(ref1.select.p50)}, p99 ${fmt(ref1.select.p99)} (after 1M); p50 ${fmt(ref2.select.p50)}, p99 ${fmt(ref2.select.p99)} (after 10M)
`);
  await Promise.all(conns.map((c) => c.end()));
  await app.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
