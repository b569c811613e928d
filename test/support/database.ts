import { createHash } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

/** The server tests run against; each test file gets its own database on it. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306';

/** A database name unique to a test file (and worker), e.g. `tally_t_1_3f2a9c1b`. */
export function testDatabaseName(testPath: string, suffix = ''): string {
  const hash = createHash('sha1')
    .update(testPath + suffix)
    .digest('hex')
    .slice(0, 10);
  return `tally_t_${process.env.JEST_WORKER_ID ?? '0'}_${hash}`;
}

export function testDatabaseUrl(name: string): string {
  return `${TEST_SERVER_URL.replace(/\/$/, '')}/${name}`;
}

export async function withServerConnection<T>(
  work: (conn: Awaited<ReturnType<typeof createConnection>>) => Promise<T>,
): Promise<T> {
  const url = new URL(TEST_SERVER_URL);
  const conn = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password || ''),
  });
  try {
    return await work(conn);
  } finally {
    await conn.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  await withServerConnection((conn) => conn.query(`DROP DATABASE IF EXISTS \`${name}\``));
}
