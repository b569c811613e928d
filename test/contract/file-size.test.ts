import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MAX_LINES = 500;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'dist' || name === 'node_modules') return [];
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Small modules with one job: a file that grows past this is doing several and should be split. */
describe('module size', () => {
  it(`no source file under src/ is longer than ${MAX_LINES} lines`, () => {
    const tooLong = files(join(ROOT, 'src'))
      .filter((path) => /\.(ts|tsx|css)$/.test(path))
      .map((path) => ({ path: relative(ROOT, path), lines: readFileSync(path, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(tooLong).toEqual([]);
  });
});
