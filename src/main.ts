import 'reflect-metadata';
import cluster from 'node:cluster';
import { App } from './app';
import { ConfigError, loadConfig } from './config/config';
import { demoContext, DemoTrickle, loadDemo } from './demo';
import { createLogger } from './logger';
import { superviseProcesses } from './process-supervisor';

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
  if (config.processes > 1 && cluster.isPrimary) {
    await superviseProcesses(config, createLogger(config.logLevel).child({ role: 'supervisor' }));
    return;
  }
  const log = cluster.isWorker
    ? createLogger(config.logLevel).child({ pid: process.pid, process: config.processIndex })
    : undefined;
  const app = await App.start(config, { log });
  let trickle: DemoTrickle | null = null;
  // With several processes, the first one loads the demo and runs its trickle.
  if (process.argv.includes('--demo') && config.processIndex === 0) {
    const demo = await loadDemo(app);
    trickle = new DemoTrickle(app, demoContext(app, demo.environmentId, demo.organizationId), app.log);
    trickle.start();
    const base = `http://localhost:${app.port}`;
    console.log(
      [
        '',
        '  Tally is running with the AI call-center demo (seeds/002), alive:',
        '  Acme Support Co on the "AI Call Center" plan with $100 of prepaid credits; last month finalized',
        "  (credits drawn down), this month's draft priced live from the seed's six calls ($21.35) and a",
        '  demo call every 15 s; a Contract Extraction draft of a Salesforce deal waits for review.',
        '',
        `  Console:  ${base}/console   (sign in with the API key)`,
        `  GraphQL:  ${base}/graphql`,
        `  API key:  ${demo.apiKey}`,
        "  Last month's invoice, finalized, as a PDF:",
        `  curl -s -o invoice.pdf -H 'authorization: Bearer ${demo.apiKey}' ${base}/v1/invoices/${demo.pastInvoiceId}.pdf`,
        '',
        `  curl -s ${base}/graphql -H 'content-type: application/json' \\`,
        `    -H 'authorization: Bearer ${demo.apiKey}' \\`,
        `    -d '{"query":"{ draftInvoice(contractId: \\"${demo.contractId}\\") { subtotal creditsApplied amountDue lines { description amount } } }"}'`,
        '',
      ].join('\n'),
    );
  }
  handleTerminationSignals(app, () => trickle?.stop(), cluster.isWorker);
}

/**
 * The process's only SIGTERM/SIGINT handlers (Apollo's are turned off): drain HTTP and WebSocket, stop the
 * workers, close the database pool and Redis, exit 0. If that takes longer than SHUTDOWN_TIMEOUT_MS the
 * process exits 1 anyway; transactions still open are rolled back by the database when their connection
 * drops. A second signal exits at once.
 *
 * A process forked by the supervisor stops on the supervisor's SIGTERM only (Ctrl-C's SIGINT reaches the
 * whole process group and is left to the supervisor), and also when the supervisor itself is gone.
 */
function handleTerminationSignals(app: App, beforeStop: () => void, supervised: boolean): void {
  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      app.log.warn({ signal }, 'second signal while shutting down: exiting now');
      process.exit(1);
    }
    shuttingDown = true;
    beforeStop();
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
  if (supervised) {
    process.on('SIGINT', () => app.log.debug('SIGINT left to the supervisor'));
    process.on('disconnect', () => shutdown('SIGTERM'));
  } else {
    process.on('SIGINT', shutdown);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
