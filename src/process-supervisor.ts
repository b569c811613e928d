import cluster, { type Worker } from 'node:cluster';
import type { AppConfig } from './config/config';
import { createDataSource, ensureDatabaseExists } from './db/data-source';
import { applyMigrations } from './db/migrate';
import type { Logger } from './logger';

/** The environment variable that tells a forked server process its index (0 … processes − 1). */
export const PROCESS_INDEX_VARIABLE = 'TALLY_PROCESS_INDEX';

/** A process that keeps dying is not restarted forever: more than this many exits in a minute stop all. */
const MAX_RESTARTS_PER_MINUTE = 5;
const RESTART_DELAY_MS = 1_000;
/** After the processes' own shutdown deadline, how long the supervisor waits before killing stragglers. */
const SUPERVISOR_GRACE_MS = 5_000;

/**
 * Runs `config.processes` server processes sharing one port (node:cluster), from `main.ts` when more than
 * one is configured. The supervisor serves nothing itself:
 * - it applies migrations once, before forking, so processes never race to migrate;
 * - a process that dies is replaced after a second (at most five times a minute, then everything stops
 *   with exit 1: a crash loop is an operator's problem, not something to hide);
 * - SIGTERM/SIGINT: every process gets SIGTERM and drains as a single process would; the supervisor exits
 *   0 once all exited 0, 1 otherwise, and kills what is still running after the shutdown deadline.
 * Work needs no coordination here: workers claim it in the database (row locks, SKIP LOCKED, leases),
 * and live updates reach subscribers in every process through Redis.
 */
export async function superviseProcesses(config: AppConfig, log: Logger): Promise<void> {
  await migrateOnce(config, log);
  const indexes = new Map<number, number>(); // cluster worker id → process index
  const restarts: number[] = [];
  let stopping = false;
  let failed = false;

  const fork = (index: number): void => {
    const worker = cluster.fork({ [PROCESS_INDEX_VARIABLE]: String(index) });
    indexes.set(worker.id, index);
  };
  const stopAll = (reason: string, exitCode: number): void => {
    if (stopping) return;
    stopping = true;
    failed ||= exitCode !== 0;
    log.info({ reason, processes: indexes.size }, 'stopping every server process');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => {
      log.error('server processes still running after the shutdown deadline: killing them');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(1);
    }, config.shutdownTimeoutMs + SUPERVISOR_GRACE_MS).unref();
    if (indexes.size === 0) process.exit(failed ? 1 : 0);
  };

  cluster.on('exit', (worker: Worker, code: number | null, signal: string | null) => {
    const index = indexes.get(worker.id) ?? -1;
    indexes.delete(worker.id);
    if (stopping) {
      failed ||= code !== 0;
      if (indexes.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && restarts[0] < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      log.error({ pid: worker.process.pid, code, signal }, 'server processes keep exiting: giving up');
      stopAll('crash loop', 1);
      return;
    }
    log.error({ pid: worker.process.pid, index, code, signal }, 'server process exited: starting another');
    setTimeout(() => !stopping && fork(index), RESTART_DELAY_MS).unref();
  });

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    // Ctrl-C reaches the whole process group: processes ignore SIGINT and wait for the SIGTERM sent here.
    if (++signals > 1) {
      log.warn({ signal }, 'second signal: killing every server process now');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(1);
    }
    stopAll(signal, 0);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  for (let index = 0; index < config.processes; index++) fork(index);
  log.info({ processes: config.processes, port: config.port }, 'Tally supervisor started');
}

async function migrateOnce(config: AppConfig, log: Logger): Promise<void> {
  await ensureDatabaseExists(config.databaseUrl);
  const db = createDataSource(config.databaseUrl, 1);
  await db.initialize();
  try {
    await applyMigrations(db, log);
  } finally {
    await db.destroy();
  }
}
