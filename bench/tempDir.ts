import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A temporary data directory, removed when this process exits. */
export function tempDataDir(prefix = 'rt-bench-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
