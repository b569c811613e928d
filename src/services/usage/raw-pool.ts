import type { RequestContext } from '../../context';

type Callback = (error: Error | null, result: unknown) => void;

/** What the mysql2 driver offers on both its pool and its connections: a callback-style `query`. */
interface CallbackConnection {
  query(sql: string, params: unknown[], callback: Callback): void;
}

/**
 * Statements sent straight to the mysql2 driver, for the usage pipeline's hot paths: TypeORM's per-query
 * work (a promise wrapper with a captured stack, query events, a copy of the rows) measured about twice
 * the cost of the query itself there.
 *
 * Outside a transaction statements go to the driver's pool (autocommit); inside one, to the connection
 * the transaction's BEGIN was sent on, so they belong to that transaction. Results are the driver's own
 * (rows for a SELECT, a ResultSetHeader for a write); errors are the driver's, with `errno` on the error
 * itself rather than under `driverError`.
 *
 * Both handles are TypeORM internals (`queryRunner.databaseConnection`, `driver.pool`), which is why they
 * are reached only here and checked by their own test against the real database.
 */
export class RawSql {
  private constructor(private readonly connection: CallbackConnection) {}

  /** The raw handle for this context, or null when the driver exposes none (callers then use TypeORM). */
  static of(ctx: RequestContext): RawSql | null {
    const connection = ctx.transaction ? transactionConnection(ctx) : driverPool(ctx);
    return connection ? new RawSql(connection) : null;
  }

  query<T>(sql: string, params: unknown[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.connection.query(sql, params, (error, result) => (error ? reject(error) : resolve(result as T))),
    );
  }
}

/** The driver connection behind a TypeORM transaction: its query runner holds the connection of its BEGIN. */
function transactionConnection(ctx: RequestContext): CallbackConnection | undefined {
  const runner = ctx.manager.queryRunner as { databaseConnection?: CallbackConnection } | undefined;
  return runner?.databaseConnection;
}

function driverPool(ctx: RequestContext): CallbackConnection | undefined {
  return (ctx.db.driver as unknown as { pool?: CallbackConnection }).pool;
}
