import { postgresAvailability, startPostgres, type PrivatePostgres } from './postgres.js';

let server: Promise<PrivatePostgres> | null = null;
/** One database per data directory: a test restarting a server on its data directory finds its data again. */
const databases = new Map<string, Promise<string>>();

/**
 * `TEST_BACKEND=postgres` runs the integration suite on PostgreSQL: every
 * test server gets a fresh database of one private PostgreSQL per test file
 * (stopped after the file by postgresBackend.setup.ts, the integration-postgres
 * project's setup file). Unset, tests use SQLite as always.
 */
export async function testDatabaseUrl(dataDir: string): Promise<string | undefined> {
  if (process.env.TEST_BACKEND !== 'postgres') return undefined;
  const available = postgresAvailability();
  if (!available.ok) throw new Error(`TEST_BACKEND=postgres: ${available.reason}`);
  if (!server) server = startPostgres();
  const pg = await server;
  let url = databases.get(dataDir);
  if (!url) databases.set(dataDir, (url = pg.createDatabase()));
  return url;
}

/**
 * Stops this test file's PostgreSQL, if it started one (postgresBackend.setup.ts, after the file's tests).
 * Not on process exit: vitest ends its workers without running exit handlers, and every file left one behind.
 */
export async function stopTestPostgres(): Promise<void> {
  const started = server;
  server = null;
  databases.clear();
  if (started) await (await started).stop();
}
