import path from 'node:path';
import { z } from 'zod';
import { TIMINGS } from '../shared/limits.js';
import { normaliseOrigin } from './http/origin.js';
import type { StorageWriterKind } from './storage/openDocStore.js';

/** A service URL with one of these schemes; an empty value counts as unset. */
const serviceUrl = (schemes: RegExp, example: string) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .refine((u) => schemes.test(u) && URL.canParse(u), `must be a URL like ${example}`)
      .optional(),
  );

const envSchema = z.object({
  DATABASE_URL: serviceUrl(/^postgres(ql)?:\/\//, 'postgres://roundtable:secret@db.example.org:5432/roundtable'),
  REDIS_URL: serviceUrl(/^rediss?:\/\//, 'redis://redis.example.org:6379'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  PUBLIC_URL: z
    .url()
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  ROUNDTABLE_ADMIN_TOKEN: z.string().min(16, 'ROUNDTABLE_ADMIN_TOKEN must be at least 16 characters').optional(),
  ROUNDTABLE_DEMO: z.enum(['0', '1']).default('1'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  COMPACT_EVERY_UPDATES: z.coerce.number().int().min(10).max(1_000_000).default(500),
  COMMIT_PACE_MS: z.coerce.number().int().min(0).max(1_000).default(TIMINGS.commitPaceMs),
  READER_RELAY_MS: z.coerce.number().int().min(0).max(1_000).default(TIMINGS.readerRelayMs),
  STORAGE_WRITER: z.enum(['event-loop', 'thread']).default('event-loop'),
  UNLOAD_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).default(2_000),
  LEASE_TTL_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  SHUTDOWN_TIMEOUT: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .superRefine((text, ctx) => {
      for (const part of splitList(text)) {
        if (!normaliseOrigin(part)) ctx.addIssue({ code: 'custom', message: `"${part}" is not an origin like https://notes.example.org` });
      }
    }),
}).refine((e) => !e.REDIS_URL || e.DATABASE_URL, {
  path: ['REDIS_URL'],
  message: 'REDIS_URL (several processes) needs DATABASE_URL too: the processes must share one PostgreSQL',
});

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string | null;
  adminToken: string | null;
  demo: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  compactEveryUpdates: number;
  /** Minimum ms between the starts of two group commits under load; 0 = off. */
  commitPaceMs: number;
  readerRelayMs: number;
  /** Where SQLite's document transactions run: on the event loop with the fsync on libuv's pool, or in a writer thread. */
  storageWriter: StorageWriterKind;
  unloadDelayMs: number;
  /** Milliseconds a graceful stop (SIGTERM) may take before everything left is cut off. */
  shutdownTimeoutMs: number;
  /** Origins besides the app's own that may open WebSockets. */
  allowedOrigins: string[];
  /** DATABASE_URL: notes in PostgreSQL, or null for SQLite only. */
  databaseUrl: string | null;
  /** REDIS_URL: fan-out between processes, or null for one process. */
  redisUrl: string | null;
  /** How long a session lease outlives a dead holder (LEASE_TTL_MS). */
  leaseTtlMs: number;
}

/** Parses the environment once at start-up and fails fast with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    publicUrl: e.PUBLIC_URL ?? null,
    adminToken: e.ROUNDTABLE_ADMIN_TOKEN ?? null,
    demo: e.ROUNDTABLE_DEMO === '1',
    logLevel: e.LOG_LEVEL,
    compactEveryUpdates: e.COMPACT_EVERY_UPDATES,
    commitPaceMs: e.COMMIT_PACE_MS,
    readerRelayMs: e.READER_RELAY_MS,
    storageWriter: e.STORAGE_WRITER,
    unloadDelayMs: e.UNLOAD_DELAY_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT,
    allowedOrigins: splitList(e.ALLOWED_ORIGINS).map((o) => normaliseOrigin(o)!),
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    leaseTtlMs: e.LEASE_TTL_MS,
  };
}
