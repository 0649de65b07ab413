// Module hooks for editorModuleLog.mjs: runs on Node's loader thread.
import fs from 'node:fs';
import { BUNDLE_DIR, SERVER_OUT } from '../../scripts/serverBuild.mjs';

const EDITOR_MODULE = /node_modules\/(@tiptap\/[^/]+|prosemirror-[^/]+)\//;
const seen = new Set();

/**
 * npm start runs the main thread as a bundle (scripts/serverBuild.mjs): a file
 * of it holds many modules, which esbuild's metafile names. Per bundle file,
 * the editor packages it holds.
 */
let bundled = null;
function editorPackagesOf(url) {
  if (bundled === null) {
    bundled = new Map();
    const root = new URL('../../', import.meta.url);
    const metaUrl = new URL(`${SERVER_OUT}/${BUNDLE_DIR}/meta.json`, root);
    const outputs = fs.existsSync(metaUrl) ? JSON.parse(fs.readFileSync(metaUrl, 'utf8')).outputs : {};
    for (const [file, { inputs }] of Object.entries(outputs)) {
      const packages = new Set();
      for (const input of Object.keys(inputs)) {
        const m = EDITOR_MODULE.exec(input);
        if (m) packages.add(m[1]);
      }
      bundled.set(new URL(file, root).href, [...packages]);
    }
  }
  const m = EDITOR_MODULE.exec(url);
  return m ? [m[1]] : (bundled.get(url) ?? []);
}

let perFileLogged = false;

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  // The main thread runs the bundle; worker threads load dist-server's per-file modules.
  if (!perFileLogged && resolved.url.includes(`/${SERVER_OUT}/server/`)) {
    perFileLogged = true;
    process.stderr.write(`per-file server module loaded: ${resolved.url}\n`);
  }
  for (const name of editorPackagesOf(resolved.url)) {
    if (seen.has(name)) continue;
    seen.add(name);
    process.stderr.write(`editor module loaded: ${name}\n`);
  }
  return resolved;
}
