// Runs the real server as a child process so tests can kill -9 it, or stop it with SIGTERM.
import { createRoundtableServer } from '../../server/createServer.js';
import { installLifecycle } from '../../server/lifecycle.js';
import { createLogger } from '../../server/logger.js';

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR is required');
const log = createLogger(process.env.TEST_LOG === '1' ? 'debug' : 'error');
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT ?? 10_000);
const server = await createRoundtableServer({
  dataDir,
  port: Number(process.env.PORT ?? 0),
  log,
  unloadDelayMs: 0,
  clientDir: process.env.CLIENT_DIR ?? null,
  shutdownTimeoutMs,
  databaseUrl: process.env.DATABASE_URL || null,
  redisUrl: process.env.REDIS_URL || null,
  leaseTtlMs: process.env.LEASE_TTL_MS ? Number(process.env.LEASE_TTL_MS) : undefined,
  storageCheckIntervalMs: process.env.STORAGE_CHECK_MS ? Number(process.env.STORAGE_CHECK_MS) : undefined,
  storageWriter: process.env.STORAGE_WRITER === 'thread' ? 'thread' : undefined,
  commitPaceMs: process.env.COMMIT_PACE_MS ? Number(process.env.COMMIT_PACE_MS) : undefined,
  compactEveryUpdates: process.env.COMPACT_EVERY_UPDATES ? Number(process.env.COMPACT_EVERY_UPDATES) : undefined,
  streamLimits: process.env.STREAM_MAX_PER_ADDRESS ? { maxStreamsPerAddress: Number(process.env.STREAM_MAX_PER_ADDRESS) } : undefined,
});
installLifecycle(server, { log, shutdownTimeoutMs });
// Tests of the process-level guards: a failure outside every room, on request.
if (process.env.TEST_FAULTS === '1') {
  process.on('SIGUSR2', () =>
    setImmediate(() => {
      throw new Error('test: an uncaught exception');
    }),
  );
  process.on('SIGHUP', () => void Promise.reject(new Error('test: an unhandled rejection')));
}

// Last: the parent may signal as soon as it reads this, and an unhandled signal would end the process.
process.stdout.write(`READY ${server.port}\n`);
