import type { RequestContext } from '../context';
import { TransactionState } from '../context';

const RETRYABLE_ERRNO = new Set([1213 /* ER_LOCK_DEADLOCK */, 1205 /* ER_LOCK_WAIT_TIMEOUT */]);
const MAX_ATTEMPTS = 4;

function isRetryable(error: unknown): boolean {
  const errno =
    (error as { errno?: number; driverError?: { errno?: number } })?.errno ??
    (error as { driverError?: { errno?: number } })?.driverError?.errno;
  return errno !== undefined && RETRYABLE_ERRNO.has(errno);
}

/**
 * Runs `work` in one database transaction. Nested calls join the outer transaction.
 * Deadlocks are retried with a short jittered backoff (the whole unit of work runs again),
 * and after-commit hooks run only once the outermost transaction has committed.
 */
export async function withTransaction<T>(
  ctx: RequestContext,
  work: (tx: RequestContext) => Promise<T>,
): Promise<T> {
  if (ctx.transaction) return work(ctx);
  for (let attempt = 1; ; attempt++) {
    const state = new TransactionState();
    try {
      const result = await ctx.db.transaction((manager) => work(ctx.inTransaction(manager, state)));
      for (const hook of state.drain()) {
        try {
          await hook();
        } catch (error) {
          ctx.log.error({ err: error }, 'after-commit hook failed');
        }
      }
      return result;
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
      ctx.log.warn({ attempt }, 'transaction deadlocked; retrying');
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}
