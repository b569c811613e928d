import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { App } from '../src/app';
import { RequestContext } from '../src/context';
import { ensureDatabaseExists, parseDatabaseUrl } from '../src/db/data-source';

/** Shared plumbing of the `npm run bench:*` scripts: a scratch database, percentiles, a bench organization. */

/** Drops the database named in `url` and creates it empty again. */
export async function recreateDatabase(url: string): Promise<void> {
  const target = parseDatabaseUrl(url);
  const conn = await createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
  });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
  } finally {
    await conn.end();
  }
  await ensureDatabaseExists(url);
}

/** Drops a scratch database once a benchmark is done with it. */
export async function dropDatabase(url: string): Promise<void> {
  const target = parseDatabaseUrl(url);
  const conn = await createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
  });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
  } finally {
    await conn.end();
  }
}

/** The p-th percentile (nearest rank) of `values`, which need not be sorted; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Creates an organization in the running app and returns its key and a system context in its live environment. */
export async function benchOrganization(app: App, name = 'Bench') {
  const system = new RequestContext(
    app.db,
    '',
    '',
    { kind: 'SYSTEM', name: 'bench' },
    app.clock,
    app.log,
    'bench',
  );
  const org = await app.services.organizations.bootstrap(system, name);
  return { org, ctx: system.forEnvironment(org.environment.id, org.organization.id) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

/**
 * The real entry point (`src/main.ts`) in a child process with production settings on `databaseUrl`,
 * resolved once `/readyz` answers 200. `env` adds or overrides variables (TALLY_PROCESSES, REDIS_URL…).
 */
export async function startServerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      PORTAL_TOKEN_SECRET: randomBytes(32).toString('hex'),
      SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { child, url };
    if (i > 600) throw new Error(`the server on ${url} was never ready`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
