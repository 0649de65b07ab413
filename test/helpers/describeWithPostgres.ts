import { afterAll, beforeAll, describe } from 'vitest';
import { postgresAvailability, startPostgres, type PrivatePostgres } from './postgres.js';

/**
 * A describe block with one private PostgreSQL for its tests, started before
 * them and stopped after; skipped with one line saying what to install when
 * the binaries are absent. (Not in postgres.ts: vite.config.ts imports that
 * one, and must not load vitest's runner.)
 */
export function describeWithPostgres(name: string, body: (postgres: () => PrivatePostgres) => void): void {
  const available = postgresAvailability();
  if (!available.ok) console.warn(`skipped: ${available.reason}`);
  describe.skipIf(!available.ok)(name, () => {
    let server: PrivatePostgres | undefined;
    beforeAll(async () => {
      server = await startPostgres();
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });
    body(() => {
      if (!server) throw new Error('the private PostgreSQL has not started');
      return server;
    });
  });
}
