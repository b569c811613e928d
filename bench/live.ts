/**
 * Live subscriptions benchmark: `npm run bench:live`.
 *
 * Starts Tally (App.start, workers on: the aggregator rolls events up as soon as they commit) on a scratch
 * database (BENCH_LIVE_DATABASE_URL, default mysql://root@127.0.0.1:3306/tally_bench_live, dropped and
 * recreated), creates BENCH_CUSTOMERS customers (default 100) with a contract each, then, from a worker
 * thread (so the clients do not share the server's event loop):
 *   1. opens BENCH_SUBSCRIBERS (default 10) `draftInvoiceUpdated(contractId)` subscriptions per customer,
 *      with graphql-ws clients over BENCH_CONNECTIONS WebSockets (default 20; 1000 = one per subscription);
 *   2. sends BENCH_RATE events per second (default 100) through REST `POST /v1/events` for BENCH_SECONDS
 *      (default 30), round robin over the customers, each adding 1 unit ($1) to the customer's invoice;
 *   3. measures, per event and per subscriber, event accepted (the 202 received) → the first message whose
 *      subtotal includes that event: p50/p90/p99/max.
 * Beside it, the machine's own reference in the same run: the round trip of a bare WebSocket echo server
 * (`ws`, in the server's process) measured idle and during the load.
 * REDIS_URL set: pub/sub goes through Redis, as with several instances.
 */
import 'reflect-metadata';
import { createConnection } from 'mysql2/promise';
import { Worker } from 'node:worker_threads';
import { WebSocketServer } from 'ws';
import { App } from '../src/app';
import { loadConfig } from '../src/config/config';
import { RequestContext } from '../src/context';
import { ensureDatabaseExists, parseDatabaseUrl } from '../src/db/data-source';
import { createLogger } from '../src/logger';

const env = process.env;
const CUSTOMERS = Number(env.BENCH_CUSTOMERS ?? 100);
const SUBSCRIBERS = Number(env.BENCH_SUBSCRIBERS ?? 10);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 20);
const RATE = Number(env.BENCH_RATE ?? 100);
const SECONDS = Number(env.BENCH_SECONDS ?? 30);
const DATABASE_URL = env.BENCH_LIVE_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/tally_bench_live';

const log = (...args: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...args);

/** The clients: graphql-ws subscriptions, the steady event sender and the echo pinger, in one thread. */
const CLIENT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');
const now = () => performance.timeOrigin + performance.now();
const { wsUrl, httpUrl, echoUrl, apiKey, contracts, subscribers, connections, rate, seconds } = workerData;
const QUERY = 'subscription($id: ID) { draftInvoiceUpdated(contractId: $id) { id subtotal amountDue lines { quantity amount } } }';

function percentiles(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p) => s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
  return { n: s.length, p50: at(50), p90: at(90), p99: at(99), max: s[s.length - 1] };
}

async function echo(durationMs, intervalMs) {
  const socket = new WebSocket(echoUrl);
  await new Promise((r) => socket.once('open', r));
  const rtts = [];
  const pending = new Map();
  socket.on('message', (data) => {
    const sent = pending.get(String(data));
    if (sent !== undefined) { rtts.push(now() - sent); pending.delete(String(data)); }
  });
  const end = now() + durationMs;
  let i = 0;
  while (now() < end) {
    const id = 'e' + i++;
    pending.set(id, now());
    socket.send(id);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  await new Promise((r) => setTimeout(r, 200));
  socket.close();
  return percentiles(rtts);
}

(async () => {
  const idleEcho = await echo(3000, 10);

  // 1. Subscriptions: customers × subscribers, spread over the connections.
  const clients = Array.from({ length: connections }, () => createClient({
    url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer ' + apiKey },
    lazy: false, retryAttempts: 0, keepAlive: 0,
  }));
  const perCustomer = contracts.map(() => ({ accepted: [], seen: [] })); // seen[s] = units already seen by subscriber s
  let firstMessages = 0, messages = 0, errors = 0;
  const latencies = [];
  const opened = now();
  let allReady;
  const ready = new Promise((r) => (allReady = r));
  let k = 0;
  contracts.forEach((contractId, c) => {
    for (let s = 0; s < subscribers; s++) {
      const client = clients[k++ % clients.length];
      perCustomer[c].seen[s] = -1;
      client.subscribe({ query: QUERY, variables: { id: contractId } }, {
        next: (result) => {
          const at = now();
          if (result.errors) { errors++; return; }
          const units = Math.round(Number(result.data.draftInvoiceUpdated.subtotal));
          const state = perCustomer[c];
          if (state.seen[s] < 0) { firstMessages++; if (firstMessages === contracts.length * subscribers) allReady(); }
          else {
            messages++;
            // Every event this message is the first to include: one latency sample each.
            for (let e = state.seen[s]; e < units; e++) {
              const acceptedAt = state.accepted[e];
              if (acceptedAt !== undefined) latencies.push(at - acceptedAt);
            }
          }
          state.seen[s] = Math.max(state.seen[s], units);
        },
        error: () => { errors++; },
        complete: () => {},
      });
    }
  });
  await ready;
  const subscribeMs = now() - opened;

  // 2. Steady load: one event every 1000/rate ms, round robin over the customers (fire and forget).
  const total = Math.round(rate * seconds);
  const sent = contracts.map(() => 0);
  let acceptedCount = 0, rejected = 0;
  const ackTimes = [];
  const loadEcho = echo(seconds * 1000, 10);
  const started = now();
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const c = i % contracts.length;
    const seq = sent[c]++;
    const t0 = now();
    inflight.push(fetch(httpUrl + '/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + apiKey },
      body: JSON.stringify({ customer_id: 'bench_' + c, event_name: 'bench_call', idempotency_key: 'b' + i,
        timestamp: new Date().toISOString(), properties: { units: 1 } }),
    }).then(async (res) => {
      await res.arrayBuffer();
      const t1 = now();
      if (res.status === 202) {
        // Events of one customer are acked in order of sending in practice; index by the sequence number.
        perCustomer[c].accepted[seq] = t1; acceptedCount++; ackTimes.push(t1 - t0);
      } else rejected++;
    }));
  }
  await Promise.all(inflight);
  const sendSeconds = (now() - started) / 1000;
  // Wait for the last messages (everyone has seen every event), at most 10 s.
  const deadline = now() + 10_000;
  const done = () => perCustomer.every((p, c) => p.seen.every((u) => u >= sent[c]));
  while (!done() && now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const missing = perCustomer.reduce((n, p, c) => n + p.seen.filter((u) => u < sent[c]).length, 0);
  const echoUnderLoad = await loadEcho;
  await Promise.all(clients.map((cl) => cl.dispose()));
  parentPort.postMessage({
    subscribeMs, firstMessages, messages, errors, acceptedCount, rejected, sendSeconds, missing,
    latency: percentiles(latencies), ack: percentiles(ackTimes), idleEcho, echoUnderLoad,
  });
})().catch((e) => { console.error(e); process.exit(1); });
`;

async function gql(url: string, apiKey: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

async function main(): Promise<void> {
  const target = parseDatabaseUrl(DATABASE_URL);
  const admin = await createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
  });
  await admin.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
  await admin.end();
  await ensureDatabaseExists(DATABASE_URL);

  const config = {
    ...loadConfig({}),
    databaseUrl: DATABASE_URL,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'warn' as const,
    aggregatorIntervalMs: 200,
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.REDIS_PREFIX || 'tally-bench:',
  };
  const app = await App.start(config, { log: createLogger('warn'), workers: true });
  const echoServer = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  echoServer.on('connection', (socket) => socket.on('message', (data) => socket.send(String(data))));
  await new Promise((resolve) => echoServer.once('listening', resolve));
  const echoPort = (echoServer.address() as { port: number }).port;
  try {
    const org = await app.services.organizations.bootstrap(
      new RequestContext(app.db, '', '', { kind: 'SYSTEM', name: 'bench' }, app.clock, app.log, 'bench'),
      'Bench Org',
    );
    const apiKey = org.apiKey;
    const url = app.url;
    log(
      `Tally on ${url}${config.redisUrl ? ' (pub/sub through Redis)' : ''}; creating ${CUSTOMERS} customers`,
    );
    await gql(url, apiKey, 'mutation($i: CreateMeterInput!) { createMeter(input: $i) { id } }', {
      i: {
        code: 'BENCH',
        displayName: 'Bench calls',
        eventName: 'bench_call',
        aggregation: 'SUM',
        aggregationKey: 'units',
        groupKeys: [],
      },
    });
    const pricing = await gql(
      url,
      apiKey,
      'mutation($i: CreatePricingInput!) { createPricing(input: $i) { id } }',
      {
        i: { name: 'Bench', meterCode: 'BENCH', model: 'PER_UNIT', fallbackRate: '1' },
      },
    );
    const plan = await gql(url, apiKey, 'mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', {
      i: {
        name: 'Bench plan',
        currency: 'USD',
        billingCycle: 'MONTHLY',
        items: [{ pricingId: pricing.createPricing.id }],
      },
    });
    const startDate = new Date().toISOString().slice(0, 8) + '01';
    const contracts: string[] = [];
    for (let c = 0; c < CUSTOMERS; c++) {
      const customer = await gql(
        url,
        apiKey,
        'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }',
        {
          i: { name: `Bench ${c}`, externalId: `bench_${c}` },
        },
      );
      const contract = await gql(
        url,
        apiKey,
        'mutation($i: CreateContractInput!) { createContract(input: $i) { id } }',
        {
          i: { customerId: customer.createCustomer.id, planId: plan.createPlan.id, startDate },
        },
      );
      contracts.push(contract.createContract.id);
    }
    log(
      `opening ${CUSTOMERS * SUBSCRIBERS} subscriptions over ${CONNECTIONS} WebSockets; then ${RATE} events/s for ${SECONDS} s`,
    );
    const result = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const worker = new Worker(CLIENT_SOURCE, {
        eval: true,
        workerData: {
          wsUrl: url.replace(/^http/, 'ws') + '/graphql',
          httpUrl: url,
          echoUrl: `ws://127.0.0.1:${echoPort}`,
          apiKey,
          contracts,
          subscribers: SUBSCRIBERS,
          connections: CONNECTIONS,
          rate: RATE,
          seconds: SECONDS,
        },
      });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    type P = { n: number; p50: number; p90: number; p99: number; max: number };
    const f = (p: P) =>
      `p50 ${p.p50.toFixed(1)} ms · p90 ${p.p90.toFixed(1)} ms · p99 ${p.p99.toFixed(1)} ms · max ${p.max.toFixed(1)} ms (n=${p.n})`;
    const r = result as {
      subscribeMs: number;
      messages: number;
      errors: number;
      acceptedCount: number;
      rejected: number;
      sendSeconds: number;
      missing: number;
      latency: P;
      ack: P;
      idleEcho: P;
      echoUnderLoad: P;
    };
    // The clients disconnected: every feed must go (no leaks).
    const closing = Date.now();
    while (app.services.live.feeds.stats().feeds > 0 && Date.now() - closing < 3_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stats = app.services.live.feeds.stats();
    console.log('');
    console.log(
      `Live draft invoices — ${CUSTOMERS * SUBSCRIBERS} subscriptions (${CUSTOMERS} customers × ${SUBSCRIBERS}), ${CONNECTIONS} WebSockets`,
    );
    console.log(`  all first messages received in      ${r.subscribeMs.toFixed(0)} ms`);
    console.log(
      `  events accepted                     ${r.acceptedCount} in ${r.sendSeconds.toFixed(1)} s (${(r.acceptedCount / r.sendSeconds).toFixed(0)}/s), rejected ${r.rejected}`,
    );
    console.log(
      `  update messages received            ${r.messages} (${(r.messages / (CUSTOMERS * SUBSCRIBERS)).toFixed(1)} per subscription; errors ${r.errors}; behind at the end ${r.missing})`,
    );
    console.log(`  event accepted → message received   ${f(r.latency)}`);
    console.log(`  POST /v1/events round trip          ${f(r.ack)}`);
    console.log(`Reference (same run): bare WebSocket echo round trip`);
    console.log(`  idle                                ${f(r.idleEcho)}`);
    console.log(`  during the load                     ${f(r.echoUnderLoad)}`);
    console.log(`  feeds open once clients left        ${stats.feeds} (subscribers ${stats.subscribers})`);
    console.log(`Target: p99 < 1500 ms → ${r.latency.p99 < 1500 ? 'met' : 'NOT met'}`);
  } finally {
    echoServer.close();
    await app.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
