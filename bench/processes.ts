/**
 * Processes benchmark: `npm run bench:processes`.
 *
 * The same server started with TALLY_PROCESSES=1 and then =2 (the real entry point, `src/main.ts`, in a
 * child process, production settings, Redis for the fan-out), each measured for BENCH_SECONDS (default 10):
 * - batched ingestion: 4 clients posting 500 events per request to /v1/events/batch → events/s;
 * - GraphQL reads: 32 clients asking `customers(first: 10)` → requests/s and p99.
 * Beside them, the machine's own ceiling for this client: a bare node:http server answering 200 to the
 * same GraphQL requests, measured in the same run. On a 2-core machine the server processes, MariaDB and
 * the load generator share the cores, so the second process helps only as far as the first left a core idle.
 */
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '../src/app';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logger';
import { benchOrganization, dropDatabase, percentile, recreateDatabase, startServerProcess } from './support';

const env = process.env;
const DATABASE_URL = env.BENCH_PROCESSES_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/tally_bench_processes';
const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DURATION_MS = Number(env.BENCH_SECONDS ?? 10) * 1000;
const CUSTOMERS = 20;
const READ_QUERY = JSON.stringify({ query: '{ customers(first: 10) { nodes { id name } } }' });

interface Load {
  requests: number;
  perSecond: number;
  p99: number;
}

/** Closed-loop clients over keep-alive connections for DURATION_MS; `body(i)` gives the i-th request body. */
async function load(
  url: string,
  apiKey: string,
  clients: number,
  body: (i: number) => string,
): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const target = new URL(url);
  const latencies: number[] = [];
  let sent = 0;
  const deadline = performance.now() + DURATION_MS;
  const post = (payload: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${apiKey}`,
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          res.resume();
          res.once('end', () =>
            res.statusCode! < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.once('error', reject);
      req.end(payload);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const at = performance.now();
        await post(body(sent++));
        latencies.push(performance.now() - at);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    requests: latencies.length,
    perSecond: latencies.length / seconds,
    p99: percentile(latencies, 99),
  };
}

function eventBatch(prefix: string, size: number): string {
  const now = Date.now();
  const events = Array.from({ length: size }, (_, i) => ({
    customer_id: `ext_${i % CUSTOMERS}`,
    event_name: 'api_call',
    idempotency_key: `${prefix}_${i}`,
    timestamp: new Date(now - (i % 3600) * 1000).toISOString(),
    properties: { region: ['US', 'EU', 'APAC'][i % 3], units: 1 },
  }));
  return JSON.stringify({ events });
}

async function startServer(processes: number): Promise<{ child: ChildProcess; url: string }> {
  const server = await startServerProcess(DATABASE_URL, {
    REDIS_URL,
    REDIS_PREFIX: `tally-bench-${randomBytes(4).toString('hex')}:`,
    TALLY_PROCESSES: String(processes),
  });
  // With several processes, each must be up: give the others a moment after the first answers.
  await new Promise((resolve) => setTimeout(resolve, processes > 1 ? 3_000 : 0));
  return server;
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** The client's own ceiling: a bare server answering 200 to every POST, measured like the others. */
async function bareServerReference(): Promise<Load> {
  const server = createServer((req, res) => {
    req.resume();
    req.once('end', () => res.end('{"data":{}}'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const result = await load(`http://127.0.0.1:${port}/graphql`, 'x', 32, () => READ_QUERY);
  server.close();
  return result;
}

async function main(): Promise<void> {
  await recreateDatabase(DATABASE_URL);
  const setup = await App.start(
    { ...loadConfig({}), databaseUrl: DATABASE_URL, port: 0, host: '127.0.0.1', logLevel: 'silent' },
    { log: createLogger('silent'), workers: false },
  );
  const { org, ctx } = await benchOrganization(setup);
  for (let i = 0; i < CUSTOMERS; i++) {
    await setup.services.customers.create(ctx, { name: `Customer ${i}`, externalId: `ext_${i}` });
  }
  await setup.stop();

  const rows: string[] = [];
  for (const processes of [1, 2]) {
    const server = await startServer(processes);
    const ingest = await load(`${server.url}/v1/events/batch`, org.apiKey, 4, (i) =>
      eventBatch(`p${processes}_${i}`, 500),
    );
    const reads = await load(`${server.url}/graphql`, org.apiKey, 32, () => READ_QUERY);
    await stopServer(server.child);
    rows.push(
      `  TALLY_PROCESSES=${processes}: ingest ${Math.round(ingest.perSecond * 500)} events/s ` +
        `(p99 ${ingest.p99.toFixed(0)} ms per 500-event request); GraphQL reads ` +
        `${Math.round(reads.perSecond)} req/s, p99 ${reads.p99.toFixed(1)} ms`,
    );
  }
  const bare = await bareServerReference();
  console.log(`Processes benchmark (${new Date().toISOString()}, ${DURATION_MS / 1000} s per measure)`);
  for (const row of rows) console.log(row);
  console.log(
    `  reference: bare node:http server, same client: ${Math.round(bare.perSecond)} req/s, ` +
      `p99 ${bare.p99.toFixed(1)} ms`,
  );
  await dropDatabase(DATABASE_URL);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
