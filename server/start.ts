import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.js';
import { createRoundtableServer } from './createServer.js';
import { installLifecycle } from './lifecycle.js';
import { createPinoLogger } from './logging/pinoLogger.js';
import { RequestScope } from './logging/requestScope.js';
import { loadOpsConfig } from './ops/opsConfig.js';

/** The project's root (where package.json is): two levels up when compiled into dist-server/server/, one from the sources. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

const root = projectRoot();

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const ops = loadOpsConfig(process.env, config.dataDir);
  const requests = new RequestScope();
  const log = createPinoLogger({ level: config.logLevel, format: ops.logFormat, requests });
  const server = await createRoundtableServer({
    dataDir: config.dataDir,
    port: config.port,
    host: config.host,
    publicUrl: config.publicUrl,
    adminToken: config.adminToken,
    clientDir: path.join(root, 'dist', 'client'),
    log,
    compactEveryUpdates: config.compactEveryUpdates,
    commitPaceMs: config.commitPaceMs,
    readerRelayMs: config.readerRelayMs,
    storageWriter: config.storageWriter,
    unloadDelayMs: config.unloadDelayMs,
    allowedOrigins: config.allowedOrigins,
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    leaseTtlMs: config.leaseTtlMs,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    demo: config.demo,
    operability: { requests, metricsToken: ops.metricsToken, metricsPort: ops.metricsPort, backup: ops.backup },
    onDemoCreated: (created) => {
      console.info(`\nCreated the demo event "${created.event.title}" (ROUNDTABLE_DEMO=0 turns this off):`);
      console.info(`  moderate (organisers, keep secret): ${created.links.moderate}`);
      console.info(`  edit (note-takers):                 ${created.links.edit}`);
      console.info(`  view (projectors, readers):         ${created.links.view}`);
      console.info(`  (also saved in ${path.join(config.dataDir, 'demo-links.txt')})\n`);
    },
  });
  const base = config.publicUrl ?? `http://localhost:${server.port}`;
  console.info(`Roundtable is running on ${base} (data in ${config.dataDir})`);

  installLifecycle(server, { log, shutdownTimeoutMs: config.shutdownTimeoutMs });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
