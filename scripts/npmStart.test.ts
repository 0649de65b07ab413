import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { npmStartCommand, parseStartScript } from './npmStart.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe("npm start's command line", () => {
  it('reads the variables set before node, the node flags and the launcher', () => {
    expect(parseStartScript('A=1 B_2=x=y node --one --two=2 scripts/start.mjs', '/r')).toEqual({
      env: { A: '1', B_2: 'x=y' },
      nodeFlags: ['--one', '--two=2'],
      launcher: path.join('/r', 'scripts/start.mjs'),
    });
    expect(parseStartScript('node scripts/start.mjs', '/r')).toEqual({ env: {}, nodeFlags: [], launcher: path.join('/r', 'scripts/start.mjs') });
  });

  it('refuses a script the benches and tests could not run the same way', () => {
    expect(() => parseStartScript('tsx server/start.ts', '/r')).toThrow(/expected "start"/);
    expect(() => parseStartScript('node --flag other scripts/start.mjs', '/r')).toThrow(/expected "start"/);
    expect(() => parseStartScript('A=1', '/r')).toThrow(/expected "start"/);
  });

  it("keeps glibc's mmap threshold fixed, so freed memory goes back to the system (README, Performance)", () => {
    const { env, nodeFlags } = npmStartCommand(root);
    expect(env.GLIBC_TUNABLES).toMatch(/(^|:)glibc\.malloc\.mmap_threshold=\d+(:|$)/);
    expect(nodeFlags).toContain('--max-semi-space-size=1');
  });
});
