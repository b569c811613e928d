import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import type { AppConfig } from './config/config';
import { systemClock, type Clock, RequestContext } from './context';
import { createDataSource, ensureDatabaseExists } from './db/data-source';
import { applyMigrations } from './db/migrate';
import { buildTallySchema } from './graphql/schema';
import { registerRoutes } from './http/routes';
import { Router } from './http/router';
import { createLogger, type Logger } from './logger';
import { AppMetrics } from './observability/metrics';
import { registerScrapeGauges } from './observability/scrape-gauges';
import { createHttpServer } from './server';
import { createServices, type Services } from './services';
import { Authenticator } from './services/platform';
import { PubSub } from './services/common';
import { RedisTransport, guardDefaultAgents } from './services/common';
import { createWorkers, type Workers } from './workers';

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
  /** Override config.workersEnabled (tests drive workers by hand). */
  workers?: boolean;
}

/**
 * The composition root: configuration → database (created and migrated) → services → HTTP/WebSocket
 * server → workers. `stop()` shuts down in reverse order and lets in-flight work finish.
 */
export class App {
  private stopping: Promise<void> | null = null;

  private constructor(
    readonly config: AppConfig,
    readonly db: DataSource,
    readonly services: Services,
    readonly authenticator: Authenticator,
    readonly workers: Workers,
    readonly server: Server,
    readonly log: Logger,
    readonly clock: Clock,
    private readonly stopHttp: () => Promise<void>,
  ) {}

  static async start(config: AppConfig, options: StartOptions = {}): Promise<App> {
    const log = options.log ?? createLogger(config.logLevel);
    const clock = options.clock ?? systemClock;
    // Outbound calls to URLs users configure connect to public addresses only (checked at connect time).
    if (!config.salesforceAllowPrivateUrls) guardDefaultAgents();
    await ensureDatabaseExists(config.databaseUrl);
    const db = createDataSource(config.databaseUrl);
    await db.initialize();
    await applyMigrations(db, log);

    const pubsub = new PubSub(
      config.redisUrl ? await RedisTransport.connect(config.redisUrl, log, config.redisPrefix) : null,
    );
    const services = createServices(db, config, pubsub);
    const metrics = new AppMetrics();
    services.events.onAnswered((result) => metrics.countEvents(result));
    services.invoices.onFinalizeAttempt((outcome) => metrics.finalizations.inc({ outcome }));
    const authenticator = new Authenticator(db, services.apiKeys, clock);
    authenticator.addVerifier(services.portalTokens);
    const schema = await buildTallySchema();
    const router = new Router();
    const systemContext = (environmentId: string, organizationId: string, name: string) =>
      new RequestContext(
        db,
        environmentId,
        organizationId,
        { kind: 'SYSTEM', name },
        clock,
        log.child({ worker: name }),
        name,
      );
    const workers = createWorkers({ db, services, config, log, clock, systemContext });
    registerRoutes(router, { services, authenticator, log, workers, metrics });

    const { server, apollo, webSockets } = await createHttpServer({
      schema,
      services,
      authenticator,
      log,
      router,
      isReady: async () => db.isInitialized && !(await db.showMigrations()),
      metrics,
    });
    registerScrapeGauges(metrics, {
      db,
      systemContext: () => systemContext('', '', 'metrics'),
      aggregation: services.usageAggregation,
      webSockets,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    if (options.workers ?? config.workersEnabled) workers.startAll();
    const app = new App(config, db, services, authenticator, workers, server, log, clock, () =>
      apollo.stop(),
    );
    log.info({ url: app.url }, 'Tally is listening');
    return app;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Graceful: stop accepting, drain HTTP and WebSocket, stop workers, close the database. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.stopHttp();
      await this.workers.stopAll();
      await this.services.pubsub.close();
      await this.db.destroy();
    })();
    return this.stopping;
  }
}
