import type { RequestContext } from '../../context';
import { UsageRollup, type MeterDefinition, type StoredUsageEvent } from '../../domain/usage-rollup';
import { runQuery } from './usage-sql';
import { writeRollup, type RollupWriteStage } from './usage-rollup-writer';

/** One event and the meters it is rolled up for. */
export interface RollupItem {
  event: StoredUsageEvent;
  meters: readonly MeterDefinition[];
}

/** An event that could not be rolled up, and why. */
export interface SetAside<T extends RollupItem> {
  item: T;
  /** Short machine code, e.g. DATA_TOO_LONG (the database's error name) or UNREADABLE_EVENT. */
  code: string;
  reason: string;
}

/** What an isolating write did: the rolled-up part's effects, and the events set aside. */
export interface IsolatedWrite<T extends RollupItem> {
  affected: Array<{ environmentId: string; customerId: string }>;
  skipped: number;
  setAside: Array<SetAside<T>>;
}

const SAVEPOINT = 'usage_rollup_probe';
const MAX_REASON_LENGTH = 1000;

/**
 * Errors the data itself causes (SQLSTATE class 22 "data exception", and MariaDB's value errors without
 * it): the same rows fail again on every run, so retrying the chunk can never succeed. Deadlocks, lock
 * timeouts and lost connections are not: they abort the run and the chunk is retried whole.
 */
const DATA_ERRNOS = new Set([
  1048, // ER_BAD_NULL_ERROR
  1264, // ER_WARN_DATA_OUT_OF_RANGE
  1265, // WARN_DATA_TRUNCATED
  1292, // ER_TRUNCATED_WRONG_VALUE
  1366, // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
  1406, // ER_DATA_TOO_LONG
  1690, // ER_DATA_OUT_OF_RANGE
  4025, // ER_CONSTRAINT_FAILED
]);

interface DriverError {
  errno?: number;
  sqlState?: string;
  code?: string;
  sqlMessage?: string;
  message?: string;
  driverError?: DriverError;
}

function driverError(error: unknown): DriverError | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as DriverError;
  return e.errno !== undefined ? e : (e.driverError ?? null);
}

function isDataError(error: unknown): boolean {
  const e = driverError(error);
  if (!e) return false;
  return Boolean(e.sqlState?.startsWith('22')) || (e.errno !== undefined && DATA_ERRNOS.has(e.errno));
}

function describe(error: unknown): { code: string; reason: string } {
  const e = driverError(error);
  const code = (e?.code ?? 'UNREADABLE_EVENT').replace(/^ER_/, '').slice(0, 64);
  const reason = e?.sqlMessage ?? (error instanceof Error ? error.message : String(error));
  return { code, reason: reason.slice(0, MAX_REASON_LENGTH) };
}

/**
 * Rolls the items up; an event the rollup itself cannot read is set aside first. An event whose values the
 * aggregate tables reject poisons its whole chunk, so the chunk is written under a savepoint and, when the
 * write fails with a data error, rolled back to it and bisected until the failing events are alone: they
 * are set aside, every other event is written. One bad event costs about 2·log2(chunk) extra writes.
 * Runs in the caller's transaction (the caller moves its watermark and records the set-aside events in it).
 */
export async function writeIsolating<T extends RollupItem>(
  tx: RequestContext,
  items: readonly T[],
  reached: (stage: RollupWriteStage) => void,
): Promise<IsolatedWrite<T>> {
  const affected = new Map<string, { environmentId: string; customerId: string }>();
  const result: IsolatedWrite<T> = { affected: [], skipped: 0, setAside: [] };

  const probe = async (part: readonly T[]): Promise<void> => {
    const { rollup, usable, unreadable } = buildRollup(part);
    result.setAside.push(...unreadable);
    if (rollup.isEmpty) {
      result.skipped += rollup.skipped;
      return;
    }
    await runQuery(tx, `SAVEPOINT ${SAVEPOINT}`);
    try {
      await writeRollup(tx, rollup, reached);
    } catch (error) {
      if (!isDataError(error)) throw error;
      await runQuery(tx, `ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      if (usable.length === 1) {
        result.setAside.push({ item: usable[0], ...describe(error) });
        return;
      }
      const middle = Math.ceil(usable.length / 2);
      await probe(usable.slice(0, middle));
      await probe(usable.slice(middle));
      return;
    }
    await runQuery(tx, `RELEASE SAVEPOINT ${SAVEPOINT}`);
    result.skipped += rollup.skipped;
    for (const customer of rollup.affectedCustomers()) {
      affected.set(`${customer.environmentId}\u0000${customer.customerId}`, customer);
    }
  };

  await probe(items);
  result.affected = [...affected.values()];
  return result;
}

/**
 * The rollup of the items the domain rollup can read. An item that throws may have been added for some of
 * its meters already, so the rollup is then rebuilt without it.
 */
function buildRollup<T extends RollupItem>(
  items: readonly T[],
): { rollup: UsageRollup; usable: T[]; unreadable: Array<SetAside<T>> } {
  const unreadable: Array<SetAside<T>> = [];
  const add = (rollup: UsageRollup, item: T) => {
    for (const meter of item.meters) rollup.add(item.event, meter);
  };
  let rollup = new UsageRollup();
  for (const item of items) {
    try {
      add(rollup, item);
    } catch (error) {
      unreadable.push({ item, ...describe(error) });
    }
  }
  if (!unreadable.length) return { rollup, usable: [...items], unreadable };
  const bad = new Set(unreadable.map((u) => u.item));
  const usable = items.filter((item) => !bad.has(item));
  rollup = new UsageRollup();
  for (const item of usable) add(rollup, item);
  return { rollup, usable, unreadable };
}
