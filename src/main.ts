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
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.log.info({ signal }, 'shutting down');
    app
      .stop()
      .then(() => process.exit(0))
      .catch((error) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
