/**
 * Webhooks benchmark: `npm run bench:webhooks`.
 *
 * Starts Tally (only the webhook delivery worker runs) on a scratch database (BENCH_WEBHOOKS_DATABASE_URL,
 * default mysql://root@127.0.0.1:3306/tally_bench_webhooks, dropped and recreated), BENCH_OBJECTS contracts
 * (default 200) and BENCH_ENDPOINTS endpoints (default 1) pointing at a local receiver that runs in a worker
 * thread (so it does not share the server's event loop) and answers 200 at once. Then:
 *   1. throughput: BENCH_BACKLOG events (default 2000, `contract.created`, round robin over the contracts)
 *      are committed with the worker stopped; the worker starts and the clock runs until the receiver has
 *      every delivery: deliveries/s;
 *   2. latency: BENCH_RATE events/s (default 100) for BENCH_SECONDS (default 10), each in its own
 *      transaction, worker running: commit → received by the receiver, p50/p99/max.
 * Beside it, the machine's reference in the same run: a bare keep-alive HTTP POST loop to the same receiver
 * (one at a time, and as many at once as the worker's per-endpoint slots).
 */
import 'reflect-metadata';
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import { App } from '../src/app';
import { loadConfig } from '../src/config/config';
import { withTransaction } from '../src/db/transaction';
import { Decimal } from '../src/domain/money';
import { createLogger } from '../src/logger';
import { benchOrganization, dropDatabase, percentile, recreateDatabase } from './support';

const env = process.env;
const OBJECTS = Number(env.BENCH_OBJECTS ?? 200);
const ENDPOINTS = Number(env.BENCH_ENDPOINTS ?? 1);
const BACKLOG = Number(env.BENCH_BACKLOG ?? 2000);
const RATE = Number(env.BENCH_RATE ?? 100);
const SECONDS = Number(env.BENCH_SECONDS ?? 10);
const DATABASE_URL = env.BENCH_WEBHOOKS_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/tally_bench_webhooks';

const log = (...args: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...args);
const now = () => performance.timeOrigin + performance.now();
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** The receiver: answers 200 at once and reports (event id, arrival time) to the main thread. */
const RECEIVER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const now = () => performance.timeOrigin + performance.now();
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const id = req.headers['tally-event-id'];
    res.writeHead(200).end('ok');
    if (id) parentPort.postMessage({ id, at: now() });
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
`;

async function startReceiver(
  onDelivery: (id: string, at: number) => void,
): Promise<{ url: string; stop: () => Promise<number> }> {
  const worker = new Worker(RECEIVER_SOURCE, { eval: true });
  const port = await new Promise<number>((resolve) =>
    worker.on('message', (m: { port?: number; id?: string; at?: number }) => {
      if (m.port) resolve(m.port);
      else onDelivery(m.id!, m.at!);
    }),
  );
  return { url: `http://127.0.0.1:${port}/hook`, stop: () => worker.terminate() };
}

/** The machine reference: bare keep-alive POSTs of a body like the webhooks', `parallel` at a time. */
async function bareLoop(
  url: string,
  count: number,
  parallel: number,
): Promise<{ perSecond: number; p99: number }> {
  const agent = new http.Agent({ keepAlive: true });
  const body = JSON.stringify({
    id: 'evt_reference',
    type: 'contract.created',
    data: { pad: 'x'.repeat(600) },
  });
  const rtts: number[] = [];
  let next = 0;
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const started = now();
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => {
            rtts.push(now() - started);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const started = now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next++ < count) await post();
    }),
  );
  const elapsed = now() - started;
  agent.destroy();
  return { perSecond: (count / elapsed) * 1000, p99: percentile(rtts, 99) };
}

async function main(): Promise<void> {
  await recreateDatabase(DATABASE_URL);
  const config = {
    ...loadConfig(env),
    databaseUrl: DATABASE_URL,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent' as const,
    workersEnabled: false,
    webhooksAllowPrivateUrls: true,
  };
  const app = await App.start(config, { log: createLogger('silent'), workers: false });
  const { ctx } = await benchOrganization(app);
  const { services } = app;

  // Objects the events report on: contracts (a contract.created payload is one row read).
  await services.meters.create(ctx, {
    code: 'CALLS',
    displayName: 'Calls',
    eventName: 'call',
    aggregation: 'COUNT',
  });
  const pricing = await services.pricings.createUsage(ctx, {
    name: 'Calls',
    meterCode: 'CALLS',
    model: 'PER_UNIT',
    fallbackRate: new Decimal('0.01'),
  });
  const plan = await services.plans.create(ctx, {
    name: 'Plan',
    currency: 'USD',
    items: [{ pricingId: pricing.id }],
  });
  const contracts: string[] = [];
  for (let i = 0; i < OBJECTS; i++) {
    const customer = await services.customers.create(ctx, { name: `C${i}`, externalId: `c${i}` });
    contracts.push(
      (
        await services.contracts.create(ctx, {
          customerId: customer.id,
          planId: plan.id,
          startDate: new Date('2026-11-01'),
        })
      ).id,
    );
  }

  const received = new Map<string, number>();
  let expected = 0;
  let allArrived: (() => void) | null = null;
  const arrivalWaiters = new Map<string, (at: number) => void>();
  const arrivalOf = (id: string) => new Promise<number>((resolve) => arrivalWaiters.set(id, resolve));
  const receiver = await startReceiver((id, at) => {
    if (!received.has(id)) received.set(id, at);
    else received.set(`${id}#${received.size}`, at);
    arrivalWaiters.get(id)?.(at);
    arrivalWaiters.delete(id);
    if (allArrived && received.size >= expected) allArrived();
  });
  for (let i = 0; i < ENDPOINTS; i++)
    await services.webhooks.endpoints.create(ctx, { url: receiver.url, eventTypes: ['contract.created'] });
  log(`${OBJECTS} contracts, ${ENDPOINTS} endpoint(s), receiver at ${receiver.url}`);

  // Reference, measured before the load.
  const slots = config.webhookConcurrencyPerEndpoint;
  const bareOne = await bareLoop(receiver.url, 2000, 1);
  const bareSlots = await bareLoop(receiver.url, 2000, slots * ENDPOINTS);
  log(
    `bare POST loop: 1 at a time ${bareOne.perSecond.toFixed(0)}/s (p99 ${fmt(bareOne.p99)}), ` +
      `${slots * ENDPOINTS} at a time ${bareSlots.perSecond.toFixed(0)}/s (p99 ${fmt(bareSlots.p99)})`,
  );

  // 1. Throughput: a backlog committed while no worker runs, then drained.
  const record = (i: number) =>
    withTransaction(ctx, (tx) =>
      services.webhooks.events.record(tx, 'contract.created', contracts[i % OBJECTS]),
    );
  for (let i = 0; i < BACKLOG; i += 20)
    await Promise.all(Array.from({ length: Math.min(20, BACKLOG - i) }, (_, k) => record(i + k)));
  expected = BACKLOG * ENDPOINTS;
  const arrived = new Promise<void>((resolve) => (allArrived = resolve));
  const drainStart = now();
  app.workers.webhooks.start();
  await arrived;
  const drainMs = now() - drainStart;
  const throughput = (expected / drainMs) * 1000;
  log(
    `throughput: ${expected} deliveries in ${(drainMs / 1000).toFixed(2)} s = ${throughput.toFixed(0)} deliveries/s`,
  );

  // 2. Latency at RATE events/s: commit → received.
  received.clear();
  allArrived = null;
  const latencies: number[] = [];
  const commits: Array<Promise<void>> = [];
  const total = RATE * SECONDS;
  const started = now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    commits.push(
      record(i).then(async (id) => {
        const committed = now();
        const at = received.get(id!) ?? (await arrivalOf(id!));
        latencies.push(at - committed);
      }),
    );
  }
  await Promise.all(commits);
  log(
    `latency at ${RATE} events/s for ${SECONDS} s: commit → received p50 ${fmt(percentile(latencies, 50))}, ` +
      `p99 ${fmt(percentile(latencies, 99))}, max ${fmt(Math.max(...latencies))}`,
  );
  console.log(
    JSON.stringify({
      deliveriesPerSecond: Math.round(throughput),
      latencyP50Ms: Math.round(percentile(latencies, 50)),
      latencyP99Ms: Math.round(percentile(latencies, 99)),
      bareSequentialPerSecond: Math.round(bareOne.perSecond),
      bareParallelPerSecond: Math.round(bareSlots.perSecond),
    }),
  );
  await app.stop();
  await receiver.stop();
  await dropDatabase(DATABASE_URL);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
