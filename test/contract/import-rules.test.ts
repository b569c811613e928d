import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/**
 * Every module specifier a file imports: static imports (`import type` included), re-exports and require
 * calls. Dynamic `import()` is left out: it is how code defers loading on purpose.
 */
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

/** The file a relative specifier names (x.ts, x.tsx or x/index.ts), relative to ROOT; null if none. */
function resolveRelative(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = join(dirname(file), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  return candidates.find((c) => existsSync(join(ROOT, c)) && statSync(join(ROOT, c)).isFile()) ?? null;
}

/** The feature folder of src/services a file belongs to (`src/services/<feature>`), or null. */
function featureOf(file: string): string | null {
  const match = /^src\/services\/([^/]+)\//.exec(file);
  return match ? `src/services/${match[1]}` : null;
}

/** The relative-import graph of the files below `dirs`: each file to the files it imports. */
function importGraph(dirs: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of dirs.flatMap(sourceFiles)) {
    const targets = importsOf(file)
      .map((specifier) => resolveRelative(file, specifier))
      .filter((target): target is string => target !== null && /\.tsx?$/.test(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * The import circles of a graph, each as `a → b → … → a` starting at its smallest file: the elementary
 * cycles inside each strongly connected component (Tarjan), so a hub shows each of its circles once.
 */
function importCycles(graph: Map<string, string[]>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);

  const cycles: string[] = [];
  for (const component of components) {
    const members = new Set(component);
    // Each elementary cycle once: it is found from its smallest member, through larger members only.
    for (const start of component) {
      const walk = (node: string, path: string[]) => {
        for (const next of graph.get(node) ?? []) {
          if (next === start) cycles.push([...path, start].join(' → '));
          else if (members.has(next) && next > start && !path.includes(next)) walk(next, [...path, next]);
        }
      };
      walk(start, [start]);
    }
  }
  return cycles;
}

/** The layering rules (README, Architecture), checked by reading imports. */
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

  it('outside its folder, a services feature is imported only through its entry (src/services/<feature>/index.ts), from src, test, bench, scripts and connectors alike', () => {
    const reachesInside = (file: string) => (specifier: string) => {
      const target = resolveRelative(file, specifier);
      const feature = target && featureOf(target);
      return feature !== null && feature !== featureOf(file) && target !== `${feature}/index.ts`;
    };
    const found = ['src', 'test', 'bench', 'scripts', 'connectors'].flatMap((dir) =>
      sourceFiles(dir).flatMap((file) =>
        importsOf(file)
          .filter(reachesInside(file))
          .map((specifier) => `${file} imports ${specifier}`),
      ),
    );
    expect(found).toEqual([]);
  });

  it('there are no import circles among the files of src and connectors (import type included)', () => {
    expect(importCycles(importGraph(['src', 'connectors']))).toEqual([]);
  });
});
