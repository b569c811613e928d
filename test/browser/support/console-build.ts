import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const SOURCE = join(ROOT, 'src/console');
const OUTPUT = join(ROOT, 'dist/console/index.html');
const LOCK = join(ROOT, 'dist/.console-build.lock');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(OUTPUT).mtimeMs;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds the console (`vite build src/console`) when dist/console is missing or older than its sources,
 * once even when several test files ask at the same time (a lock directory serializes them).
 */
export async function ensureConsoleBuilt(): Promise<void> {
  if (builtAt() > newestMtime(SOURCE)) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (waited > 120_000) throw new Error('Timed out waiting for another console build');
      await sleep(200);
    }
  }
  try {
    if (builtAt() > newestMtime(SOURCE)) return;
    execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', 'src/console'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } finally {
    rmdirSync(LOCK);
  }
}
