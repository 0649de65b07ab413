// Runs the real server as a child process so tests can kill -9 it.
import { createRoundtableServer } from '../../server/createServer.js';
import { createLogger } from '../../server/logger.js';

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR is required');
const server = await createRoundtableServer({
  dataDir,
  port: Number(process.env.PORT ?? 0),
  log: createLogger('error'),
  unloadDelayMs: 0,
  clientDir: process.env.CLIENT_DIR ?? null,
});
process.stdout.write(`READY ${server.port}\n`);
