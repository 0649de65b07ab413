// The server (server/ and shared/) compiled to JavaScript in dist-server/, so
// `npm start` runs plain Node: no TypeScript loader resident in the process and
// in each worker thread. Plain JavaScript itself, since it runs before any build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsStale } from './buildStaleness.mjs';

export const SERVER_OUT = 'dist-server';
const STAMP = '.built';
const SOURCES = ['server', 'shared'];
const CONFIGS = ['tsconfig.server.json', 'tsconfig.base.json', 'package.json'];

/** True when dist-server is missing, or older than any server or shared source or the build's configuration. */
export function serverBuildIsStale(root) {
  return buildIsStale(path.join(root, SERVER_OUT, STAMP), { dirs: SOURCES.map((d) => path.join(root, d)), files: CONFIGS.map((f) => path.join(root, f)) });
}

/** Files the server reads next to its modules at run time (the demo's sample notes and schedule). */
function copyAssets(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dest = path.join(to, entry.name);
    if (entry.isDirectory()) copyAssets(src, dest);
    else if (/\.(json|txt)$/.test(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dest);
    }
  }
}

/** A clean build: tsc into a fresh dist-server, then the assets, then the stamp (last, so a failed build stays stale). */
export function buildServer(root) {
  const out = path.join(root, SERVER_OUT);
  fs.rmSync(out, { recursive: true, force: true });
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.server.json')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('server build failed');
  for (const dir of SOURCES) copyAssets(path.join(root, dir), path.join(out, dir));
  fs.writeFileSync(path.join(out, STAMP), new Date().toISOString() + '\n');
}

// `node scripts/serverBuild.mjs`: the server half of `npm run build`.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildServer(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
}
