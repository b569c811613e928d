import 'reflect-metadata';
import { App } from './app';
import { ConfigError, loadConfig } from './config/config';
import { loadDemo } from './demo';

/** Entry point: `node dist/src/main.js [--demo]`. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const app = await App.start(config);
  if (process.argv.includes('--demo')) {
    const demo = await loadDemo(app);
    console.log(
      [
        '',
        '  Tally is running with a demo catalog.',
        `  GraphQL:  http://localhost:${app.port}/graphql`,
        `  API key:  ${demo.apiKey}`,
        '',
        `  curl -s http://localhost:${app.port}/graphql -H 'content-type: application/json' \\`,
        `    -H 'authorization: Bearer ${demo.apiKey}' -d '{"query":"{ meters { nodes { code displayName } } }"}'`,
        '',
      ].join('\n'),
    );
  }
  handleTerminationSignals(app);
}

/**
 * The process's only SIGTERM/SIGINT handlers (Apollo's are turned off): drain HTTP and WebSocket, stop the
 * workers, close the database pool and Redis, exit 0. If that takes longer than SHUTDOWN_TIMEOUT_MS the
 * process exits 1 anyway; transactions still open are rolled back by the database when their connection
 * drops. A second signal exits at once.
 */
function handleTerminationSignals(app: App): void {
  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      app.log.warn({ signal }, 'second signal while shutting down: exiting now');
      process.exit(1);
    }
    shuttingDown = true;
    app.log.info({ signal, timeoutMs: app.config.shutdownTimeoutMs }, 'shutting down');
    setTimeout(() => {
      app.log.error({ timeoutMs: app.config.shutdownTimeoutMs }, 'shutdown timed out: exiting anyway');
      process.exit(1);
    }, app.config.shutdownTimeoutMs).unref();
    app
      .stop()
      .then(() => {
        app.log.info('shut down');
        process.exit(0);
      })
      .catch((error) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
