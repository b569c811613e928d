/**
 * Ingestion benchmark: `npm run bench:ingest`.
 *
 * Starts Tally (App.start, workers on) against a scratch database (BENCH_DATABASE_URL, default
 * mysql://root@127.0.0.1:3306/tally_bench, dropped and recreated), then measures in one run:
 *   1. POST /v1/events/batch, 1,000 events per request, BENCH_BATCH_CLIENTS concurrent clients;
 *      meanwhile the p99 aggregation lag (202 → the batch visible in usage_aggregates) is sampled;
 *   2. POST /v1/events one event per request, BENCH_SINGLE_CLIENTS concurrent clients;
 *   3. the same rows through a raw multi-row INSERT IGNORE (1,000 rows, same concurrency) into a copy of
 *      usage_events in the same database: the machine's limit; plus raw one-row inserts for reference.
 * Load is generated in a worker thread so the clients do not share the server's event loop.
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { createPool } from 'mysql2/promise';
import { App } from '../src/app';
import { loadConfig } from '../src/config/config';
import { RequestContext } from '../src/context';
import type { LiveProgress } from '../src/domain/aggregation-progress';
import { parseDatabaseUrl } from '../src/db/data-source';
import { createLogger } from '../src/logger';
import { percentile, recreateDatabase } from './support';

const env = process.env;
const BATCH_EVENTS = Number(env.BENCH_BATCH_EVENTS ?? 200_000);
const BATCH_SIZE = 1_000;
const BATCH_CLIENTS = Number(env.BENCH_BATCH_CLIENTS ?? 4);
const SINGLE_EVENTS = Number(env.BENCH_SINGLE_EVENTS ?? 20_000);
const SINGLE_CLIENTS = Number(env.BENCH_SINGLE_CLIENTS ?? 64);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 4);
const CUSTOMERS = 100;
const DATABASE_URL = env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/tally_bench';

interface WireEvent {
  customer_id: string;
  event_name: string;
  idempotency_key: string;
  timestamp: string;
  properties: Record<string, unknown>;
}

const REGIONS = ['US', 'EU', 'APAC'];
const OUTCOMES = ['resolved', 'transferred', 'escalated'];

function makeEvents(prefix: string, count: number, now: number): WireEvent[] {
  const events: WireEvent[] = [];
  for (let i = 0; i < count; i++) {
    events.push({
      customer_id: `ext_${i % CUSTOMERS}`,
      event_name: 'ai_call',
      idempotency_key: `${prefix}_${i}`,
      timestamp: new Date(now - (i % 3600) * 1000).toISOString(),
      properties: {
        region: REGIONS[i % 3],
        call_outcome: OUTCOMES[(i >> 2) % 3],
        duration_minutes: (i % 17) + 0.5,
        agent_id: `agent_${i % 50}`,
      },
    });
  }
  return events;
}

/**
 * The load generator, run in a worker thread: sends pre-serialized bodies with N concurrent clients over
 * keep-alive connections. It shares the machine's cores with the server and the database, so it must be
 * cheap: `http.request` with a keep-alive agent measured about 40-50 µs of CPU per request where `fetch`
 * (undici) took 220-280 µs, which alone would hold single-event ingestion near 4k requests/s on one core.
 */
const CLIENT_SOURCE = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { url, apiKey, bodies, clients, reportAcks } = workerData;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const target = new URL(url);
  const options = (body) => ({
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    agent,
    headers: {
      'content-type': 'application/json',
      'content-length': body.length,
      authorization: 'Bearer ' + apiKey,
    },
  });
  const post = (body) =>
    new Promise((resolve, reject) => {
      const req = http.request(options(body), (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const buffers = bodies.map((body) => Buffer.from(body));
  let next = 0;
  const acks = new Array(bodies.length);
  const started = performance.now();
  async function client() {
    for (;;) {
      const i = next++;
      if (i >= buffers.length) return;
      const response = await post(buffers[i]);
      if (response.status !== 202) throw new Error('HTTP ' + response.status + ': ' + response.text.slice(0, 300));
      acks[i] = Date.now();
      if (reportAcks) parentPort.postMessage({ kind: 'ack', index: i, at: acks[i] });
    }
  }
  try {
    await Promise.all(Array.from({ length: clients }, client));
    parentPort.postMessage({ kind: 'done', ms: performance.now() - started });
    agent.destroy();
  } catch (error) {
    parentPort.postMessage({ kind: 'error', message: String(error && error.stack || error) });
  }
})();
`;

function runClients(
  url: string,
  apiKey: string,
  bodies: string[],
  clients: number,
  onAck?: (index: number, at: number) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    // Acknowledgements cross to this thread (the server's) only when someone listens: each costs it a message.
    const workerData = { url, apiKey, bodies, clients, reportAcks: Boolean(onAck) };
    const worker = new Worker(CLIENT_SOURCE, { eval: true, workerData });
    worker.on(
      'message',
      (message: { kind: string; index: number; at: number; ms: number; message: string }) => {
        if (message.kind === 'ack') onAck?.(message.index, message.at);
        else if (message.kind === 'done') void worker.terminate().then(() => resolve(message.ms));
        else if (message.kind === 'error')
          void worker.terminate().then(() => reject(new Error(message.message)));
      },
    );
    worker.on('error', reject);
  });
}

/** CPU seconds used so far by the database server process (Linux /proc), or NaN when not visible. */
function databaseCpuSeconds(): number {
  try {
    const pids = execSync('pidof mariadbd mysqld || true').toString().trim().split(/\s+/).filter(Boolean);
    const ticks = pids.reduce((sum, pid) => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return sum + Number(fields[11]) + Number(fields[12]);
    }, 0);
    return pids.length ? ticks / 100 : NaN;
  } catch {
    return NaN;
  }
}

/** Runs a phase and reports the server's event-loop busy time and the database's CPU per 1,000 events. */
async function measured<T>(
  events: number,
  work: () => Promise<T>,
): Promise<{ result: T; cost: Record<string, number> }> {
  const elu = performance.eventLoopUtilization();
  const dbCpu = databaseCpuSeconds();
  const started = performance.now();
  const result = await work();
  const wall = performance.now() - started;
  const loop = performance.eventLoopUtilization(elu);
  const perK = (ms: number) => Math.round((ms / events) * 1000 * 10) / 10;
  return {
    result,
    cost: {
      serverLoopMsPer1kEvents: perK(loop.utilization * wall),
      databaseCpuMsPer1kEvents: perK((databaseCpuSeconds() - dbCpu) * 1000),
    },
  };
}

/** Averages the per-phase costs of several rounds. */
class CostTotals {
  private readonly sums: Record<string, number> = {};
  private count = 0;
  add(cost: Record<string, number>): void {
    for (const [key, value] of Object.entries(cost)) this.sums[key] = (this.sums[key] ?? 0) + value;
    this.count++;
  }
  average(): Record<string, number> {
    return Object.fromEntries(
      Object.entries(this.sums).map(([key, sum]) => [key, Math.round((sum / this.count) * 10) / 10]),
    );
  }
}

async function main(): Promise<void> {
  await recreateDatabase(DATABASE_URL);
  const config = {
    ...loadConfig(env),
    databaseUrl: DATABASE_URL,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'warn' as const,
  };
  const log = createLogger('warn');
  const app = await App.start(config, { log, workers: true });
  const system = new RequestContext(
    app.db,
    '',
    '',
    { kind: 'SYSTEM', name: 'bench' },
    app.clock,
    log,
    'bench',
  );
  const org = await app.services.organizations.bootstrap(system, 'Bench Org');
  const ctx = system.forEnvironment(org.environment.id, org.organization.id);
  for (let i = 0; i < CUSTOMERS; i++) {
    await app.services.customers.create(ctx, { name: `Customer ${i}`, externalId: `ext_${i}` });
  }
  await app.services.meters.create(ctx, {
    code: 'AI_MINUTES',
    displayName: 'AI minutes',
    eventName: 'ai_call',
    aggregation: 'SUM',
    aggregationKey: 'duration_minutes',
    groupKeys: ['region', 'call_outcome'],
  });
  const customerIds = new Map<string, string>(
    (
      (await app.db.query('SELECT id, external_id FROM customers WHERE environment_id = ?', [
        org.environment.id,
      ])) as Array<{ id: string; external_id: string }>
    ).map((r) => [r.external_id, r.id]),
  );
  const now = Date.now();
  const target = parseDatabaseUrl(DATABASE_URL);
  const pool = createPool({ ...target, connectionLimit: Math.max(BATCH_CLIENTS, 8), timezone: 'Z' });

  // Warm-up: JIT, connection pools, buffer pool.
  const warm = makeEvents('warm', 5 * BATCH_SIZE, now);
  await runClients(
    `${app.url}/v1/events/batch`,
    org.apiKey,
    chunk(warm, BATCH_SIZE).map((events) => JSON.stringify({ events })),
    2,
  );
  await app.workers.aggregator.drain();

  // The load of a shared machine drifts, so API and raw phases alternate in rounds and their totals compare.
  await pool.query('CREATE TABLE usage_events_raw LIKE usage_events');
  const toRawRow = (e: WireEvent) => [
    org.environment.id,
    customerIds.get(e.customer_id)!,
    e.event_name,
    e.idempotency_key,
    e.timestamp.slice(0, 23).replace('T', ' '),
    new Date(now).toISOString().slice(0, 23).replace('T', ' '),
    '1',
    JSON.stringify(e.properties),
  ];
  const lags: number[] = [];
  const batchCost = new CostTotals();
  const rawCost = new CostTotals();
  let batchMs = 0;
  let rawBatchMs = 0;
  const perRound = Math.ceil(BATCH_EVENTS / ROUNDS / BATCH_SIZE) * BATCH_SIZE;
  for (let round = 0; round < ROUNDS; round++) {
    // 1. Batched ingestion, with the aggregation lag sampled for every request.
    const batches = chunk(makeEvents(`batch${round}`, perRound, now), BATCH_SIZE);
    const bodies = batches.map((events) => JSON.stringify({ events }));
    // The lag probe must not load the database during the measured phase: meanwhile only the live watermark
    // is sampled (one tiny query every 10 ms); each batch's ids are looked up once the phase is over, and
    // its lag is read off the samples (first sample covering it, minus its acknowledgement).
    const acks: Array<{ index: number; at: number }> = [];
    const watermark = new WatermarkSampler(() => app.services.usageAggregation.liveProgress(system));
    watermark.start();
    const api = await measured(perRound, () =>
      runClients(`${app.url}/v1/events/batch`, org.apiKey, bodies, BATCH_CLIENTS, (index, at) =>
        acks.push({ index, at }),
      ),
    );
    const ranges = await Promise.all(
      acks.map(({ index }) => idRange(pool, org.environment.id, customerIds, batches[index])),
    );
    await watermark.until(Math.max(...ranges.map((r) => r.maxId)));
    acks.forEach(({ at }, i) => lags.push(watermark.coveredAt(ranges[i], at) - at));
    batchMs += api.result;
    batchCost.add(api.cost);
    // 3. The same rows straight into a copy of the table: the database's own limit.
    const rawRows = makeEvents(`raw${round}`, perRound, now).map(toRawRow);
    const raw = await measured(perRound, () => rawInsert(pool, chunk(rawRows, BATCH_SIZE), BATCH_CLIENTS));
    rawBatchMs += raw.result;
    rawCost.add(raw.cost);
  }
  const batchEventsSent = perRound * ROUNDS;

  // 2. Single events, then the same rows one INSERT each.
  const singleEvents = makeEvents('single', SINGLE_EVENTS, now);
  const singleBodies = singleEvents.map((event) => JSON.stringify(event));
  const singleRun = await measured(SINGLE_EVENTS, () =>
    runClients(`${app.url}/v1/events`, org.apiKey, singleBodies, SINGLE_CLIENTS),
  );
  const singleMs = singleRun.result;
  await app.workers.aggregator.drain();
  const rawSingleRows = makeEvents('rawsingle', SINGLE_EVENTS, now).map((e) => [toRawRow(e)]);
  const rawSingleRun = await measured(SINGLE_EVENTS, () => rawInsert(pool, rawSingleRows, SINGLE_CLIENTS));
  const rawSingleMs = rawSingleRun.result;

  const [{ n }] = (await app.db.query('SELECT COUNT(*) AS n FROM usage_events')) as Array<{ n: string }>;
  const [{ total }] = (await app.db.query(
    'SELECT SUM(event_count) AS total FROM usage_aggregates',
  )) as Array<{ total: string }>;

  const rate = (events: number, ms: number) => Math.round(events / (ms / 1000));
  const batchRate = rate(batchEventsSent, batchMs);
  const singleRate = rate(SINGLE_EVENTS, singleMs);
  const rawRate = rate(batchEventsSent, rawBatchMs);
  const rawSingleRate = rate(SINGLE_EVENTS, rawSingleMs);
  const pct = (x: number) => `${Math.round((100 * x) / rawRate)}%`;
  const report = {
    batched: {
      events: batchEventsSent,
      clients: BATCH_CLIENTS,
      eventsPerSecond: batchRate,
      ofRaw: pct(batchRate),
      ...batchCost.average(),
    },
    single: {
      events: SINGLE_EVENTS,
      clients: SINGLE_CLIENTS,
      eventsPerSecond: singleRate,
      ofRaw: pct(singleRate),
      ofRawSingleRow: `${Math.round((100 * singleRate) / rawSingleRate)}%`,
      ...singleRun.cost,
    },
    rawInsertIgnore: {
      rowsPerStatement: BATCH_SIZE,
      clients: BATCH_CLIENTS,
      rowsPerSecond: rawRate,
      ...rawCost.average(),
    },
    rawSingleRowInsert: { clients: SINGLE_CLIENTS, rowsPerSecond: rawSingleRate, ...rawSingleRun.cost },
    machineLoadAverage: execSync('cat /proc/loadavg').toString().trim(),
    aggregationLagMs: {
      p50: percentile(lags, 50),
      p99: percentile(lags, 99),
      max: Math.max(...lags),
      samples: lags.length,
    },
    check: { storedEvents: Number(n), aggregatedEvents: Number(total) },
  };
  console.log(JSON.stringify(report, null, 2));
  console.log(
    [
      `batched  ${batchRate.toLocaleString('en-US')} events/s (${pct(batchRate)} of raw)   target ≥ 25,000 and ≥ 60%`,
      `single   ${singleRate.toLocaleString('en-US')} events/s (${pct(singleRate)} of raw)   target ≥ 2,500`,
      `raw      ${rawRate.toLocaleString('en-US')} rows/s multi-row INSERT IGNORE; ${rawSingleRate.toLocaleString('en-US')} rows/s one row per INSERT`,
      `lag      p50 ${report.aggregationLagMs.p50} ms, p99 ${report.aggregationLagMs.p99} ms   target p99 < 1,000 ms`,
    ].join('\n'),
  );
  await pool.end();
  await app.stop();
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function rawInsert(
  pool: ReturnType<typeof createPool>,
  batches: unknown[][][],
  clients: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  const sql = (rows: number) =>
    `INSERT IGNORE INTO usage_events_raw (environment_id, customer_id, event_name, idempotency_key, occurred_at, received_at, ingest_batch, properties) VALUES ${new Array(rows).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const i = next++;
        if (i >= batches.length) return;
        await pool.query(sql(batches[i].length), batches[i].flat());
      }
    }),
  );
  return performance.now() - started;
}

/** The ids a batch got: looked up by its keys (after the measured phase: it reads 1,000 index entries). */
async function idRange(
  pool: ReturnType<typeof createPool>,
  environmentId: string,
  customerIds: Map<string, string>,
  events: WireEvent[],
): Promise<{ minId: number; maxId: number }> {
  const byCustomer = new Map<string, string[]>();
  for (const e of events) {
    const id = customerIds.get(e.customer_id)!;
    byCustomer.set(id, [...(byCustomer.get(id) ?? []), e.idempotency_key]);
  }
  const clauses = [...byCustomer.keys()]
    .map(() => '(customer_id = ? AND idempotency_key IN (?))')
    .join(' OR ');
  const [[range]] = (await pool.query(
    `SELECT MIN(id) AS min_id, MAX(id) AS max_id FROM usage_events WHERE environment_id = ? AND (${clauses})`,
    [environmentId, ...[...byCustomer].flatMap(([id, keys]) => [id, keys])],
  )) as unknown as [[{ min_id: string; max_id: string }]];
  return { minId: Number(range.min_id), maxId: Number(range.max_id) };
}

interface ProgressSample extends LiveProgress {
  at: number;
}

/**
 * Samples the aggregator's live watermark every 10 ms. A batch is aggregated at the first sample whose
 * watermark passed its ids with no pending gap still holding one of them.
 */
class WatermarkSampler {
  private readonly samples: ProgressSample[] = [];
  private stopped = false;

  constructor(private readonly readProgress: () => Promise<LiveProgress | null>) {}

  start(): void {
    const tick = async () => {
      const progress = await this.readProgress();
      if (progress) this.samples.push({ at: Date.now(), ...progress });
      if (!this.stopped) setTimeout(() => void tick(), 10);
    };
    void tick();
  }

  /** Keeps sampling until the watermark passed `maxId` with no gap left at or below it, then stops. */
  async until(maxId: number): Promise<void> {
    while (!this.samples.some((s) => s.lastEventId >= maxId && !s.gaps.some(([a]) => a <= maxId))) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    this.stopped = true;
  }

  /** When the batch with these ids was first seen aggregated (ms epoch), at or after `ackAt`. */
  coveredAt({ minId, maxId }: { minId: number; maxId: number }, ackAt: number): number {
    const sample = this.samples.find(
      (s) => s.at >= ackAt && s.lastEventId >= maxId && !s.gaps.some(([a, b]) => a <= maxId && b >= minId),
    );
    return sample?.at ?? NaN;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
