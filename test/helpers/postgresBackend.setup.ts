import { afterAll } from 'vitest';
import { stopTestPostgres } from './postgresBackend.js';

// integration-postgres: each test file's private PostgreSQL stops with the file (vite.config.ts setupFiles).
afterAll(async () => {
  await stopTestPostgres();
});
