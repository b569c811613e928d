import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import type { Clock, RequestContext } from '../context';
import type { Logger } from '../logger';
import type { Services } from '../services';
import type { Worker } from './worker';

export interface WorkerDeps {
  db: DataSource;
  services: Services;
  config: AppConfig;
  log: Logger;
  clock: Clock;
  /** A context for background work in one environment. */
  systemContext: (environmentId: string, organizationId: string, name: string) => RequestContext;
}

/** Every background worker, created together so they start and stop together. */
export function createWorkers(_deps: WorkerDeps) {
  const all: Worker[] = [];
  return {
    all,
    startAll: () => all.forEach((worker) => worker.start()),
    stopAll: async () => {
      await Promise.all(all.map((worker) => worker.stop()));
    },
  };
}

export type Workers = ReturnType<typeof createWorkers>;
