import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The README's layers, checked on the source: shared ← storage ← collab ←
 * features ← http ← createServer. Feature folders hold their own routes, so a
 * feature may use http/'s helpers; the files at server/'s root are either the
 * wiring (layer 5) or small utilities anyone may use (logger, DomainError, ids).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WIRING = new Set(['server/config.ts', 'server/createServer.ts', 'server/apiRoutes.ts', 'server/serverOptions.ts', 'server/start.ts', 'server/httpFront.ts', 'server/shutdown.ts', 'server/lifecycle.ts']);
const LAYER_NAMES = ['shared', 'storage', 'collab', 'features', 'http', 'createServer'];

function layerOf(file: string): number | null {
  if (file.startsWith('shared/')) return 0;
  if (file.startsWith('server/storage/')) return 1;
  if (file.startsWith('server/collab/')) return 2;
  if (file.startsWith('server/http/')) return 4;
  if (WIRING.has(file)) return 5;
  if (/^server\/[^/]+\.ts$/.test(file)) return null;
  return 3;
}

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true }).flatMap((e) => {
    if (!e.isFile() || !e.name.endsWith('.ts') || e.name.endsWith('.test.ts')) return [];
    return [path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/')];
  });
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const from of [...sourceFiles('server'), ...sourceFiles('shared')]) {
    const src = fs.readFileSync(path.join(root, from), 'utf8');
    for (const m of src.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gm)) {
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(from), m[2]!)).replace(/\.js$/, '.ts');
      out.push({ from, to, typeOnly: m[1] !== undefined });
    }
  }
  return out;
}

describe('the import graph', () => {
  const graph = edges();

  it('has no arrow from a lower layer up to a higher one', () => {
    const upward = graph.filter(({ from, to }) => {
      const a = layerOf(from);
      const b = layerOf(to);
      if (a === null) return b !== null && b > 0;
      if (b === null) return a === 0;
      return b > a && !(a === 3 && b === 4);
    });
    expect(upward.map((e) => `${e.from} (${LAYER_NAMES[layerOf(e.from) ?? 3]}) → ${e.to}`)).toEqual([]);
    expect(graph.length).toBeGreaterThan(300);
  });

  it('has no cycle among the imports that run (type-only imports are erased)', () => {
    const next = new Map<string, string[]>();
    for (const e of graph) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const to of next.get(file) ?? []) visit(to, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of next.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
