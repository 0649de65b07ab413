// `npm start`: builds the client and the server on first start or when their
// sources changed, then runs the compiled JavaScript in this very process.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildClient, clientBuildIsStale } from './clientBuild.mjs';
import { buildServer, serverBuildIsStale, SERVER_OUT } from './serverBuild.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (clientBuildIsStale(root)) {
  console.info('Building the client (first start or sources changed)…');
  buildClient(root);
}
if (serverBuildIsStale(root)) {
  console.info('Building the server (first start or sources changed)…');
  buildServer(root);
}
await import(pathToFileURL(path.join(root, SERVER_OUT, 'server', 'start.js')).href);
