import type { RequestContext } from '../../context';

/**
 * Small SQL helpers for the usage pipeline's hot paths, which use raw parameterized SQL through the
 * context's entity manager instead of entity hydration: one multi-row statement per batch keeps ingestion cost flat.
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
interface CallbackConnection {
  query(sql: string, params: unknown[], callback: Callback): void;
}

/**
 * The driver connection behind a TypeORM transaction: its query runner holds the mysql2 connection the
 * transaction's BEGIN was sent on, so statements sent on it directly belong to that transaction.
 */
function transactionConnection(ctx: RequestContext): CallbackConnection | undefined {
  const runner = ctx.manager.queryRunner as { databaseConnection?: CallbackConnection } | undefined;
  return runner?.databaseConnection;
}

/**
 * Runs one statement for the usage pipeline's hot paths straight on the driver, skipping TypeORM's
 * per-query work (a promise wrapper with a captured stack, query events, a copy of the rows), which
 * measured about twice the cost of the query itself. Outside a transaction it goes to the driver's
 * pool (autocommit); inside one, to the transaction's own connection. Errors are the driver's
 * (`errno` on the error itself, not under `driverError`).
 */
export function runQuery<T>(ctx: RequestContext, sql: string, params: unknown[] = []): Promise<T> {
  const connection = ctx.transaction
    ? transactionConnection(ctx)
    : (ctx.db.driver as unknown as { pool?: CallbackConnection }).pool;
  if (!connection) return ctx.manager.query(sql, params) as Promise<T>;
  return new Promise<T>((resolve, reject) =>
    connection.query(sql, params, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}
