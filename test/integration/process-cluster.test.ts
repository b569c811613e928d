import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { TestApp } from '../support/test-app';
import { dropDatabase, testDatabaseName, testDatabaseUrl } from '../support/database';
import { startServerProcess } from '../support/server-process';

/** The pids of the server processes that logged "Tally is listening", in order of appearance. */
function listeningPids(output: string): number[] {
  const pids: number[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('Tally is listening')) continue;
    const pid = (JSON.parse(line) as { pid?: number }).pid;
    if (pid !== undefined) pids.push(pid);
  }
  return pids;
}

async function until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('TALLY_PROCESSES=2: one command, two server processes on one port', () => {
  const databaseName = testDatabaseName(expect.getState().testPath ?? 'cluster', '-cluster');
  let apiKey: string;
  let child: ChildProcessWithoutNullStreams | null = null;

  beforeAll(async () => {
    const t = await TestApp.start({ databaseSuffix: '-cluster' });
    apiKey = t.apiKey;
    await t.stop({ keepDatabase: true });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await dropDatabase(databaseName);
  });

  it('serves from both, replaces a process that dies, and stops them all on SIGTERM', async () => {
    const started = startServerProcess(testDatabaseUrl(databaseName), { TALLY_PROCESSES: '2' });
    child = started.child;
    const url = await started.url;
    await until(() => listeningPids(started.output()).length === 2, 120_000, started.output);
    const [first, second] = listeningPids(started.output());
    expect(first).not.toBe(second);
    expect([first, second]).not.toContain(child.pid);

    const customers = async () => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query: '{ customers(first: 1) { nodes { id } } }' }),
      });
      return response.status;
    };
    // Connections are spread over both processes; every request is answered.
    const statuses = await Promise.all(Array.from({ length: 20 }, customers));
    expect(new Set(statuses)).toEqual(new Set([200]));

    // A process killed outright is replaced; the port keeps answering meanwhile.
    process.kill(first, 'SIGKILL');
    await until(() => listeningPids(started.output()).length === 3, 120_000, started.output);
    const replacement = listeningPids(started.output())[2];
    expect([first, second]).not.toContain(replacement);
    expect(await customers()).toBe(200);

    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.kill('SIGTERM');
    const [code, signal] = await Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no exit 15 s after SIGTERM:\n${started.output()}`)), 15_000),
      ),
    ]);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(alive(second)).toBe(false);
    expect(alive(replacement)).toBe(false);
    expect(started.output()).toContain('stopping every server process');
  }, 300_000);
});
