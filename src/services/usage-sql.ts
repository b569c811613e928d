import type { RequestContext } from '../context';

/**
 * Small SQL helpers for the usage pipeline's hot paths, which use raw parameterized SQL through the
 * context's entity manager instead of entity hydration (see DESIGN §5: one multi-row statement per batch).
 */

/** `?, ?, ?` for `count` parameters. */
export function placeholders(count: number): string {
  return count === 0 ? 'NULL' : new Array<string>(count).fill('?').join(', ');
}

/** `(?, ?), (?, ?)` for `rows` rows of `width` columns. */
export function rowPlaceholders(rows: number, width: number): string {
  const row = `(${placeholders(width)})`;
  return new Array<string>(rows).fill(row).join(', ');
}

/** DATETIME(3) literal in UTC (the connection's time zone is UTC), e.g. `2026-01-31 12:00:00.000`. */
export function sqlDateTime(at: Date): string {
  return at.toISOString().slice(0, 23).replace('T', ' ');
}

/** Reads a DATETIME column as UTC whether the driver returned a Date or a string. */
export function fromSqlDateTime(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(`${value.replace(' ', 'T')}Z`);
}

/** The ResultSetHeader mysql2 answers an INSERT/UPDATE with (what `manager.query` returns for them). */
export interface WriteResult {
  affectedRows: number;
  insertId: number | string;
}

type Callback = (error: Error | null, result: unknown) => void;
interface CallbackPool {
  query(sql: string, params: unknown[], callback: Callback): void;
}

/**
 * Runs one statement for the ingestion hot path. Outside a transaction it goes straight to the driver's
 * connection pool (autocommit), skipping TypeORM's per-query QueryRunner, which measured about twice the
 * cost of the query itself; inside a transaction it must use the transaction's connection.
 */
export function runQuery<T>(ctx: RequestContext, sql: string, params: unknown[] = []): Promise<T> {
  const pool = (ctx.db.driver as unknown as { pool?: CallbackPool }).pool;
  if (ctx.transaction || !pool) return ctx.manager.query(sql, params) as Promise<T>;
  return new Promise<T>((resolve, reject) =>
    pool.query(sql, params, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}
