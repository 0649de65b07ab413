// The client (client/ and shared/) built by Vite into dist/client, on first
// start or when its sources changed; `npm start`'s launcher checks it before
// the server starts, so the server process never runs a build itself.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildIsStale } from './buildStaleness.mjs';

/** True when dist/client is missing or older than any client or shared source, or Vite's configuration. */
export function clientBuildIsStale(root) {
  return buildIsStale(path.join(root, 'dist', 'client', 'index.html'), {
    dirs: [path.join(root, 'client'), path.join(root, 'shared')],
    files: [path.join(root, 'vite.config.ts')],
  });
}

export function buildClient(root) {
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('client build failed');
}
