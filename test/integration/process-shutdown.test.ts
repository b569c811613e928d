import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { TestApp } from '../support/test-app';
import { dropDatabase, testDatabaseName, testDatabaseUrl } from '../support/database';
import { startServerProcess } from '../support/server-process';

describe('process lifecycle: SIGTERM in production', () => {
  const databaseName = testDatabaseName(expect.getState().testPath ?? 'shutdown', '-process');
  let apiKey: string;
  let child: ChildProcessWithoutNullStreams | null = null;

  beforeAll(async () => {
    // The database, its migrations and an API key come from an in-process app; the child reuses them.
    const t = await TestApp.start({ databaseSuffix: '-process' });
    apiKey = t.apiKey;
    await t.stop({ keepDatabase: true });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await dropDatabase(databaseName);
  });

  it('drains, closes WebSockets with 1001 and exits 0 within seconds', async () => {
    const started = startServerProcess(testDatabaseUrl(databaseName), { TALLY_PROCESSES: '1' });
    child = started.child;
    const url = await started.url;
    for (let i = 0; ; i++) {
      const ready = await fetch(`${url}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) break;
      if (i > 100) throw new Error(`never ready:\n${started.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    let closeCode = 0;
    let dispose = () => undefined as unknown;
    const closed = new Promise<void>((resolve) => {
      const client = createClient({
        url: `${url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${apiKey}` },
        lazy: false,
        retryAttempts: 0,
        shouldRetry: () => false,
        onNonLazyError: () => undefined,
        on: {
          closed: (event) => {
            closeCode = (event as { code: number }).code;
            resolve();
          },
        },
      });
      dispose = () => client.dispose();
      client.subscribe(
        { query: 'subscription { draftInvoiceUpdated { id } }' },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    });
    // The subscription is registered before the signal.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const signalledAt = Date.now();
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.kill('SIGTERM');
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no exit 8 s after SIGTERM:\n${started.output()}`)), 8_000),
    );
    const [code, signal] = await Promise.race([exited, timeout]);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(8_000);
    await closed;
    dispose();
    expect(closeCode).toBe(1001);
    expect(started.output()).toContain('shutting down');
  }, 90_000);
});
