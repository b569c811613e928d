import type { RequestContext } from '../../context';
import { RawSql } from './raw-pool';

/**
 * Small SQL helpers for the usage pipeline's hot paths, which use raw parameterized SQL through the
 * driver instead of entity hydration: one multi-row statement per batch.
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
  /** How many warnings the statement raised (all of them, however many SHOW WARNINGS would list). */
  warningStatus?: number;
}

/**
 * Runs one statement for the usage pipeline's hot paths straight on the driver (see RawSql): on the pool
 * outside a transaction, on the transaction's own connection inside one. Falls back to the entity manager
 * when the driver exposes no raw handle.
 */
export function runQuery<T>(ctx: RequestContext, sql: string, params: unknown[] = []): Promise<T> {
  const raw = RawSql.of(ctx);
  return raw ? raw.query<T>(sql, params) : (ctx.manager.query(sql, params) as Promise<T>);
}
