import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmStartCommand, parseStartScript } from './npmStart.mjs';

describe("npm start's command line, read the way the benches and tests run it", () => {
  it('splits environment assignments, node flags and the launcher', () => {
    expect(parseStartScript('MALLOC_ARENA_MAX=2 node --max-semi-space-size=1 scripts/start.mjs', '/r')).toEqual({
      env: { MALLOC_ARENA_MAX: '2' },
      nodeFlags: ['--max-semi-space-size=1'],
      launcher: path.join('/r', 'scripts/start.mjs'),
    });
    expect(parseStartScript('node scripts/start.mjs', '/r')).toEqual({ env: {}, nodeFlags: [], launcher: path.join('/r', 'scripts/start.mjs') });
  });

  it('refuses what it cannot run as npm start does', () => {
    expect(() => parseStartScript('tsx server/start.ts', '/r')).toThrow(/expected "start"/);
    expect(() => parseStartScript('node server.js extra', '/r')).toThrow(/expected "start"/);
    expect(() => parseStartScript('lower=1 node scripts/start.mjs', '/r')).toThrow(/expected "start"/);
  });

  it("reads this package's own start script", () => {
    const root = path.resolve(import.meta.dirname, '..');
    const cmd = npmStartCommand(root);
    expect(cmd.launcher).toBe(path.join(root, 'scripts', 'start.mjs'));
    expect(cmd.env).toEqual({ MALLOC_ARENA_MAX: '2' });
  });
});
