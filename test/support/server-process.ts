import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** `src/main.ts` in a real child process, configured as in production. */
export function startServerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): {
  child: ChildProcessWithoutNullStreams;
  url: Promise<string>;
  output: () => string;
} {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      WORKERS_ENABLED: 'true',
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `tally-test-${randomBytes(4).toString('hex')}:`,
      PORTAL_TOKEN_SECRET: randomBytes(32).toString('hex'),
      SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      ...env,
    },
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
  });
  return { child, url, output: () => output };
}
