import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden, goldenAction } from './golden.js';

describe('golden files', () => {
  it('are written only with UPDATE_GOLDENS=1, and never under CI', () => {
    expect(goldenAction({}, true)).toBe('compare');
    expect(goldenAction({}, false)).toBe('missing');
    expect(goldenAction({ CI: 'true' }, false)).toBe('missing');
    expect(goldenAction({ UPDATE_GOLDENS: '1' }, false)).toBe('write');
    expect(goldenAction({ UPDATE_GOLDENS: '1' }, true)).toBe('write');
    expect(goldenAction({ UPDATE_GOLDENS: '1', CI: 'true' }, false)).toBe('missing');
  });

  it('a missing golden fails instead of being created from the output it should check', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rt-golden-')), 'out.md');
    expect(() => expectGolden(file, '# minutes\n', { CI: 'true' })).toThrow(/golden file .* is missing.*UPDATE_GOLDENS=1/);
    expect(() => expectGolden(file, '# minutes\n', {})).toThrow(/is missing/);
    expect(fs.existsSync(file)).toBe(false);

    expectGolden(file, '# minutes\n', { UPDATE_GOLDENS: '1' });
    expect(fs.readFileSync(file, 'utf8')).toBe('# minutes\n');
    expectGolden(file, '# minutes\n', {});
    expect(() => expectGolden(file, '# changed\n', {})).toThrow();
  });
});
