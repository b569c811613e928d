import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every module specifier a file imports (static imports, re-exports and require calls). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers;
}

function violations(dir: string, isForbidden: (specifier: string, file: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter((specifier) => isForbidden(specifier, file))
      .map((specifier) => `${relative(ROOT, join(ROOT, file))} imports ${specifier}`),
  );
}

/** The layering rules of DESIGN.md §2, checked by reading imports. */
describe('import rules', () => {
  it('src/domain is pure: it imports only itself, node:crypto and decimal.js', () => {
    expect(
      violations('src/domain', (s) => !(s.startsWith('./') || s === 'node:crypto' || s === 'decimal.js')),
    ).toEqual([]);
  });

  it('migrations never import application code', () => {
    expect(violations('migrations', (s) => s.includes('/src/') || s.startsWith('../src'))).toEqual([]);
  });

  it('services, workers and the domain never import the GraphQL layer', () => {
    const intoGraphQL = (s: string) => /(^|\/)graphql\//.test(s) && s.startsWith('.');
    expect([
      ...violations('src/services', intoGraphQL),
      ...violations('src/workers', intoGraphQL),
      ...violations('src/domain', intoGraphQL),
    ]).toEqual([]);
  });

  it('only connectors/salesforce imports jsforce', () => {
    const jsforce = (s: string) => s === 'jsforce' || s.startsWith('jsforce/');
    expect(['src', 'bench', 'scripts', 'test'].flatMap((dir) => violations(dir, jsforce))).toEqual([]);
    expect(violations('connectors/salesforce', jsforce).length).toBeGreaterThan(0);
  });

  it('the GraphQL layer reaches the database only through its per-request loaders', () => {
    expect(violations('src/graphql', (s, file) => s === 'typeorm' && !file.endsWith('loaders.ts'))).toEqual(
      [],
    );
  });
});
