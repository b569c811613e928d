import { DataSource, type DataSourceOptions } from 'typeorm';
import { createConnection } from 'mysql2/promise';
import { ENTITIES } from '../entities';
import { MIGRATIONS } from '../../migrations';

export interface DatabaseTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  const parsed = new URL(url);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password || ''),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '') || 'tally'),
  };
}

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = parseDatabaseUrl(url);
  if (!/^[A-Za-z0-9_]+$/.test(target.database)) {
    throw new Error(`DATABASE_URL names an invalid database "${target.database}" (letters, digits, _ only)`);
  }
  const conn = await createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
  });
  try {
    // utf8mb4_bin: idempotency keys and dimension values compare exactly ("US" is not "us").
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
  } finally {
    await conn.end();
  }
}

export function dataSourceOptions(url: string, poolSize = 20): DataSourceOptions {
  const target = parseDatabaseUrl(url);
  return {
    type: 'mysql',
    host: target.host,
    port: target.port,
    username: target.user,
    password: target.password,
    database: target.database,
    charset: 'utf8mb4_bin',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    logging: false,
    poolSize,
    extra: { connectionLimit: poolSize, decimalNumbers: false },
  };
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}
