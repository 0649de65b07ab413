// When a build is stale: one check for both of npm start's builds (the client
// in dist/client, the server in dist-server). Plain JavaScript, since it runs
// before anything is built.
import fs from 'node:fs';
import path from 'node:path';

/** The newest modification time of any source under `dir` (0 when absent); tests, dot-files and node_modules do not count. */
export function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (!entry.name.includes('.test.')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * True when `builtFile` (written last by a build) is missing, or older than
 * any source under `dirs` or any of `files` (the build's configuration).
 */
export function buildIsStale(builtFile, { dirs = [], files = [] }) {
  if (!fs.existsSync(builtFile)) return true;
  const built = fs.statSync(builtFile).mtimeMs;
  const sources = Math.max(0, ...dirs.map(newestMtime), ...files.map((f) => fs.statSync(f).mtimeMs));
  return sources > built;
}
