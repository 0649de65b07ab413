import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { postgresAvailability } from './test/helpers/postgres.js';

const backend = process.env.ROUNDTABLE_DEV_BACKEND ?? 'http://localhost:3000';

/**
 * The integration suite a second time on PostgreSQL (TEST_BACKEND=postgres:
 * every test server gets a fresh database, test/helpers/postgresBackend.ts).
 * Only files whose servers come from testServer.ts; left out, on purpose:
 */
const NOT_ON_POSTGRES = [
  // SQLite by nature: the file itself is backed up, restored, damaged or replaced under the server.
  'backup-restore', 'storage-faults',
  // Child processes on SQLite (serverProcess.ts, childServer.ts), not testServer: a second run would test SQLite twice.
  'durability-kill9', 'durability-writer-thread', 'graceful-restart', 'history-kill9', 'process-guards', 'compact-after-load-kill9',
  // Builds and starts the compiled server on SQLite through npm start's launcher (one build of dist-server at a time).
  'compiled-server',
  // Start their own PostgreSQL (and Redis) already, whatever TEST_BACKEND says.
  'scale-out-processes', 'scale-out-rooms', 'scale-out-lease', 'scale-out-limits', 'database-outage', 'migrate-data',
  'scale-out-streams', 'scale-out-three', 'scale-out-reconnect',
  // Write damaged or too-deep documents straight into the SQLite file (openDatabase), as an old version would have.
  'damaged-document', 'minutes-hardening',
  // Starts its own second process on PostgreSQL already.
  'scale-out-history',
];
const pgAvailable = postgresAvailability();
// One clear line instead of a project whose every test fails (vitest's own process only: not on vite build or dev).
// The config is loaded again for each project: the environment remembers that the line was said.
if (!pgAvailable.ok && process.env.VITEST && !process.env.RT_PG_SKIP_SAID) {
  process.env.RT_PG_SKIP_SAID = '1';
  console.warn(`integration-postgres skipped: ${pgAvailable.reason}`);
}

export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      '/api': backend,
      '/healthz': backend,
      '/collab': { target: backend.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    root: '.',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          root: '.',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts', 'client/**/*.test.{ts,tsx}', 'test/helpers/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          root: '.',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      ...(pgAvailable.ok
        ? [{
          extends: true as const,
          test: {
            name: 'integration-postgres',
            root: '.',
            include: ['test/integration/**/*.test.ts'],
            exclude: NOT_ON_POSTGRES.map((f) => `test/integration/${f}.test.ts`),
            setupFiles: ['test/helpers/postgresBackend.setup.ts'],
            env: { TEST_BACKEND: 'postgres' },
            testTimeout: 30_000,
            hookTimeout: 60_000,
          },
        }]
        : []),
      {
        extends: true,
        test: {
          name: 'e2e',
          root: '.',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
