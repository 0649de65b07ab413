// The server (server/ and shared/) compiled to JavaScript in dist-server/, so
// `npm start` runs plain Node: no TypeScript loader resident in the process and
// in each worker thread. Plain JavaScript itself, since it runs before any build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsStale } from './buildStaleness.mjs';

export const SERVER_OUT = 'dist-server';
/** Where `npm start`'s bundle of the main thread goes, inside SERVER_OUT. */
export const BUNDLE_DIR = 'bundle';
/** Modules left to Node: native (better-sqlite3), or loaded only when configured (pg, ioredis) or in development (pino-pretty). */
const EXTERNAL = ['better-sqlite3', 'pg', 'pg-native', 'ioredis', 'pino-pretty'];
/** Worker threads run dist-server's per-file modules: each entry here names them from the bundle's folder (workerBoot looks there). */
const WORKERS = ['minutes/renderWorker', 'notesImport/prepareWorker', 'backup/backupWorker'];
/** Files the demo reads next to its module, which in the bundle is the bundle's folder. */
const DEMO_ASSETS = 'server/demo';

/**
 * esbuild's arguments for bundling `entries` into `outdir`: ES modules for Node,
 * the dynamic imports as chunks (the editor schema and the parsers still load on
 * first use), whitespace and syntax minified but names kept (stack traces stay
 * readable), CommonJS dependencies given a `require`.
 */
export function bundleArgs(entries, outdir) {
  return [
    ...entries,
    '--bundle',
    '--splitting',
    '--format=esm',
    '--platform=node',
    '--target=node20',
    '--minify-whitespace',
    '--minify-syntax',
    '--entry-names=[name]',
    '--chunk-names=chunk-[hash]',
    ...EXTERNAL.map((m) => `--external:${m}`),
    "--banner:js=import { createRequire as __roundtableRequire } from 'node:module'; const require = __roundtableRequire(import.meta.url);",
    `--outdir=${outdir}`,
    `--metafile=${path.join(outdir, 'meta.json')}`,
    '--log-level=warning',
  ];
}

/** Runs esbuild's command in its own process, so the server never loads it. */
export function runEsbuild(root, args) {
  const result = spawnSync(path.join(root, 'node_modules', 'esbuild', 'bin', 'esbuild'), args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('bundling failed');
}

/**
 * The main thread as one bundle (plus chunks), which `npm start` runs: less
 * memory than 700 module files, each with its own source text and module
 * record (README, Performance). Worker threads keep the per-file modules: they
 * are started rarely, and some of their dependencies read files next to their
 * own code (pdfkit's font metrics).
 */
function bundleMainThread(root, out) {
  const dir = path.join(out, BUNDLE_DIR);
  runEsbuild(root, bundleArgs([path.join(out, 'server', 'start.js')], dir));
  for (const worker of WORKERS) {
    const target = path.join(out, 'server', `${worker}.js`);
    const from = path.relative(dir, target).split(path.sep).join('/');
    fs.writeFileSync(path.join(dir, `${path.basename(worker)}.js`), `import ${JSON.stringify(from.startsWith('.') ? from : `./${from}`)};\n`);
  }
  copyAssets(path.join(root, DEMO_ASSETS), dir);
}
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
  bundleMainThread(root, out);
  fs.writeFileSync(path.join(out, STAMP), new Date().toISOString() + '\n');
}

// `node scripts/serverBuild.mjs`: the server half of `npm run build`.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildServer(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
}
