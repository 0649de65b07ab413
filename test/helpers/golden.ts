import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

export type GoldenAction = 'compare' | 'write' | 'missing';

/**
 * What to do with a golden file. It is written only on an explicit
 * UPDATE_GOLDENS=1 (never under CI=true, where a write would hide the
 * difference it was meant to show); a missing golden fails, so a test cannot
 * pass by comparing its output with itself.
 */
export function goldenAction(env: Readonly<Record<string, string | undefined>>, exists: boolean): GoldenAction {
  if (env.UPDATE_GOLDENS === '1' && env.CI !== 'true') return 'write';
  return exists ? 'compare' : 'missing';
}

/** Compares `actual` with the golden file; UPDATE_GOLDENS=1 rewrites it after a deliberate change. */
export function expectGolden(file: string, actual: string, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const action = goldenAction(env, fs.existsSync(file));
  if (action === 'missing') {
    throw new Error(`golden file ${path.relative(process.cwd(), file)} is missing: run the test with UPDATE_GOLDENS=1 once, review the file and commit it`);
  }
  if (action === 'write') fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}
