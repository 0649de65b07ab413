// `npm start`: builds the server on first start or when its sources changed
// (as server/start.ts does for the client), then runs the compiled JavaScript.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildServer, serverBuildIsStale, SERVER_OUT } from './serverBuild.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (serverBuildIsStale(root)) {
  console.info('Building the server (first start or sources changed)…');
  buildServer(root);
}
await import(pathToFileURL(path.join(root, SERVER_OUT, 'server', 'start.js')).href);
