import { postgresAvailability, startPostgres, type PrivatePostgres } from './postgres.js';

let server: Promise<PrivatePostgres> | null = null;
/** One database per data directory: a test restarting a server on its data directory finds its data again. */
const databases = new Map<string, Promise<string>>();

/**
 * `TEST_BACKEND=postgres` runs the integration suite on PostgreSQL: every
 * test server gets a fresh database of one private PostgreSQL per test file
 * (worker), stopped when the worker exits. Unset, tests use SQLite as always.
 */
export async function testDatabaseUrl(dataDir: string): Promise<string | undefined> {
  if (process.env.TEST_BACKEND !== 'postgres') return undefined;
  const available = postgresAvailability();
  if (!available.ok) throw new Error(`TEST_BACKEND=postgres: ${available.reason}`);
  if (!server) {
    server = startPostgres();
    const started = await server;
    process.once('exit', () => void started.stop());
  }
  const pg = await server;
  let url = databases.get(dataDir);
  if (!url) databases.set(dataDir, (url = pg.createDatabase()));
  return url;
}
