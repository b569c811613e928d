/**
 * Hardening benchmark: `npm run bench:hardening`.
 *
 * The real entry point (`src/main.ts`, production settings, one process) on a scratch database:
 * - the fragment bomb (24 levels of doubled spreads, ~1 KB; 35 s of CPU before the limits were made
 *   linear) sent BENCH_SAMPLES times: time to the 400, beside a trivial query in the same run;
 * - SIGTERM with BENCH_SUBSCRIPTIONS live subscriptions open (default 1,000: 10 sockets × 100): time
 *   from the signal to the process's exit and the close codes the sockets saw, beside SIGTERM with
 *   no subscription in the same run.
 */
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { App } from '../src/app';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logger';
import { benchOrganization, dropDatabase, percentile, recreateDatabase, startServerProcess } from './support';

const env = process.env;
const DATABASE_URL = env.BENCH_HARDENING_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/tally_bench_hardening';
const SAMPLES = Number(env.BENCH_SAMPLES ?? 20);
const SUBSCRIPTIONS = Number(env.BENCH_SUBSCRIPTIONS ?? 1000);
const PER_SOCKET = 100;

function fragmentBomb(levels: number): string {
  let query = `query Bomb { ...F${levels} }\nfragment F0 on Query { __typename }\n`;
  for (let i = 1; i <= levels; i++) query += `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }\n`;
  return query;
}

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  return startServerProcess(DATABASE_URL, { TALLY_PROCESSES: '1' });
}

async function timed(work: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function post(url: string, apiKey: string, query: string): Promise<number> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Opens `count` subscriptions over sockets of PER_SOCKET each; resolves with the sockets' close codes. */
async function openSubscriptions(url: string, apiKey: string, count: number) {
  const closes: Array<Promise<number>> = [];
  for (let opened = 0; opened < count; opened += PER_SOCKET) {
    let acked!: () => void;
    const connected = new Promise<void>((resolve) => (acked = resolve));
    closes.push(
      new Promise<number>((resolve) => {
        const client = createClient({
          url: `${url.replace(/^http/, 'ws')}/graphql`,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${apiKey}` },
          lazy: false,
          retryAttempts: 0,
          shouldRetry: () => false,
          onNonLazyError: () => undefined,
          on: { connected: () => acked(), closed: (event) => resolve((event as { code: number }).code) },
        });
        for (let i = 0; i < Math.min(PER_SOCKET, count - opened); i++) {
          client.subscribe(
            { query: 'subscription { draftInvoiceUpdated { id } }' },
            { next: () => undefined, error: () => undefined, complete: () => undefined },
          );
        }
      }),
    );
    await connected;
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // let every subscribe message arrive
  return closes;
}

async function shutdownMs(child: ChildProcess): Promise<{ ms: number; code: number | null }> {
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const started = performance.now();
  child.kill('SIGTERM');
  const [code] = await exited;
  return { ms: performance.now() - started, code };
}

async function main(): Promise<void> {
  await recreateDatabase(DATABASE_URL);
  const setup = await App.start(
    { ...loadConfig({}), databaseUrl: DATABASE_URL, port: 0, host: '127.0.0.1', logLevel: 'silent' },
    { log: createLogger('silent'), workers: false },
  );
  const { org } = await benchOrganization(setup);
  await setup.stop();
  const apiKey = org.apiKey;

  const first = await startServer();
  await post(first.url, apiKey, '{ __typename }');
  const bomb = fragmentBomb(24);
  if ((await post(first.url, apiKey, bomb)) !== 400) throw new Error('the fragment bomb was not refused');
  const bombTimes = await timed(async () => void (await post(first.url, apiKey, bomb)));
  const trivialTimes = await timed(async () => void (await post(first.url, apiKey, '{ __typename }')));
  const idle = await shutdownMs(first.child);

  const second = await startServer();
  const closes = await openSubscriptions(second.url, apiKey, SUBSCRIPTIONS);
  const busy = await shutdownMs(second.child);
  const codes = await Promise.all(closes);
  const byCode = new Map<number, number>();
  for (const code of codes) byCode.set(code, (byCode.get(code) ?? 0) + 1);

  console.log(`Hardening benchmark (${new Date().toISOString()})`);
  console.log(
    `  fragment bomb (${Buffer.byteLength(bomb)} bytes, 2^24 expanded fields) refused: ` +
      `p50 ${bombTimes.p50.toFixed(1)} ms, p99 ${bombTimes.p99.toFixed(1)} ms (n=${SAMPLES})`,
  );
  console.log(
    `  reference: trivial query p50 ${trivialTimes.p50.toFixed(1)} ms, p99 ${trivialTimes.p99.toFixed(1)} ms`,
  );
  console.log(
    `  SIGTERM with ${SUBSCRIPTIONS} subscriptions on ${codes.length} sockets: exit ${busy.code} after ` +
      `${busy.ms.toFixed(0)} ms; socket close codes ${JSON.stringify(Object.fromEntries(byCode))}`,
  );
  console.log(`  reference: SIGTERM with nothing open: exit ${idle.code} after ${idle.ms.toFixed(0)} ms`);
  await dropDatabase(DATABASE_URL);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
