import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIsStale, newestMtime } from './buildStaleness.mjs';
import { clientBuildIsStale } from './clientBuild.mjs';
import { serverBuildIsStale, SERVER_OUT } from './serverBuild.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A project tree whose every file has modification time `at` (seconds), so the checks never depend on the clock. */
function tree(files: string[], at = 1_000): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-stale-'));
  dirs.push(root);
  for (const f of files) write(root, f, at);
  return root;
}

function write(root: string, file: string, at: number): void {
  const full = path.join(root, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, file);
  fs.utimesSync(full, at, at);
}

const PROJECT = [
  'client/main.tsx',
  'shared/limits.ts',
  'server/start.ts',
  'vite.config.ts',
  'tsconfig.server.json',
  'tsconfig.base.json',
  'package.json',
];

/** Both builds done at t=2000, after every source (t=1000). */
function built(): string {
  const root = tree(PROJECT);
  write(root, 'dist/client/index.html', 2_000);
  write(root, `${SERVER_OUT}/.built`, 2_000);
  return root;
}

describe('buildIsStale', () => {
  it('is stale while the built file is missing', () => {
    const root = tree(['src/a.ts']);
    expect(buildIsStale(path.join(root, 'out/stamp'), { dirs: [path.join(root, 'src')] })).toBe(true);
  });

  it('is stale once any source or configuration file is newer than the build, and not before', () => {
    const root = tree(['src/a.ts', 'src/deep/b.ts', 'config.json']);
    write(root, 'out/stamp', 2_000);
    const sources = { dirs: [path.join(root, 'src')], files: [path.join(root, 'config.json')] };
    expect(buildIsStale(path.join(root, 'out/stamp'), sources)).toBe(false);
    write(root, 'src/deep/b.ts', 3_000);
    expect(buildIsStale(path.join(root, 'out/stamp'), sources)).toBe(true);
    write(root, 'out/stamp', 4_000);
    write(root, 'config.json', 5_000);
    expect(buildIsStale(path.join(root, 'out/stamp'), sources)).toBe(true);
  });

  it('ignores tests, dot-files and node_modules, which no build reads', () => {
    const root = tree(['src/a.ts']);
    for (const f of ['src/a.test.ts', 'src/.cache', 'src/node_modules/x/index.js']) write(root, f, 9_000);
    expect(newestMtime(path.join(root, 'src'))).toBe(1_000_000);
    expect(newestMtime(path.join(root, 'absent'))).toBe(0);
  });
});

describe("npm start's two builds share the check", () => {
  it('are both fresh right after building', () => {
    const root = built();
    expect([clientBuildIsStale(root), serverBuildIsStale(root)]).toEqual([false, false]);
  });

  it('a change in shared/ makes both stale; in client/ or vite.config.ts only the client; in server/ or its tsconfig only the server', () => {
    const cases: [string, [boolean, boolean]][] = [
      ['shared/limits.ts', [true, true]],
      ['client/main.tsx', [true, false]],
      ['vite.config.ts', [true, false]],
      ['server/start.ts', [false, true]],
      ['tsconfig.server.json', [false, true]],
      ['package.json', [false, true]],
    ];
    for (const [file, expected] of cases) {
      const root = built();
      write(root, file, 3_000);
      expect([clientBuildIsStale(root), serverBuildIsStale(root)], file).toEqual(expected);
    }
  });
});
