// `npm start`: builds the client and the server on first start or when their
// sources changed, then runs the compiled JavaScript in this very process.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilds } from './ensureBuilds.mjs';
import { BUNDLE_DIR, SERVER_OUT } from './serverBuild.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureBuilds(root, (what) => console.info(`Building ${what} (first start or sources changed)…`));
await import(pathToFileURL(path.join(root, SERVER_OUT, BUNDLE_DIR, 'start.js')).href);
