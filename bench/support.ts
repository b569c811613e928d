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
