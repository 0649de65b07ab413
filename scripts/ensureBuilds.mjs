// Builds the client (dist/client) and the server (dist-server) when missing or
// stale: `npm start` before it runs, and the benches ahead of a measurement.
import { buildClient, clientBuildIsStale } from './clientBuild.mjs';
import { buildServer, serverBuildIsStale } from './serverBuild.mjs';

/** `say` tells what is being built (the console, or a bench's prefix). */
export function ensureBuilds(root, say) {
  if (clientBuildIsStale(root)) {
    say('the client (dist/client)');
    buildClient(root);
  }
  if (serverBuildIsStale(root)) {
    say('the server (dist-server)');
    buildServer(root);
  }
}
