import { TransactionState, type RequestContext } from '../context';

/**
 * Runs `work` in a transaction that is ALWAYS rolled back, for previews: the very code that applies a change
 * runs, its writes are read back, and nothing stays. Nested `withTransaction` calls join this transaction,
 * so idempotency records, CRM outbox rows and invoice rows roll back with it; the after-commit hooks they
 * queue (live publishes, outbox wake-ups) are dropped with the transaction state, never run.
 */
export async function withRollback<T>(
  ctx: RequestContext,
  work: (tx: RequestContext) => Promise<T>,
): Promise<T> {
  if (ctx.transaction) throw new Error('withRollback must not run inside another transaction');
  const runner = ctx.db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    try {
      return await work(ctx.inTransaction(runner.manager, new TransactionState()));
    } finally {
      await runner.rollbackTransaction();
    }
  } finally {
    await runner.release();
  }
}

/**
 * Runs `work` inside `tx` behind a savepoint and rolls back to it: the state `work` saw is gone afterwards,
 * while the surrounding transaction goes on (a preview reads the state before and after a change this way).
 * `work` gets a context of its own on the same transaction, so what services memoize per context (loaded
 * catalogs) while the savepoint stands is not served to `tx` once it is undone.
 */
export async function undoAfter<T>(
  tx: RequestContext,
  name: string,
  work: (inner: RequestContext) => Promise<T>,
): Promise<T> {
  if (!tx.transaction) throw new Error('undoAfter must run inside a transaction');
  if (!/^[a-z_]+$/.test(name)) throw new Error(`bad savepoint name ${name}`);
  await tx.manager.query(`SAVEPOINT ${name}`);
  try {
    return await work(tx.inTransaction(tx.manager, tx.transaction));
  } finally {
    await tx.manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
  }
}
