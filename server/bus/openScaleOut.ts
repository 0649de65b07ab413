import crypto from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { DocStore } from '../storage/docStore.js';
import type { StoragePorts } from '../storage/ports.js';
import type { CheckResult } from '../storage/storageHealth.js';
import type { BroadcastBus } from './broadcastBus.js';
import { soleLeases, type SessionLeases } from './sessionLease.js';

export interface ScaleOutOptions {
  /** DATABASE_URL: documents in PostgreSQL. */
  databaseUrl?: string | null;
  /** REDIS_URL: fan-out to other processes through Redis. */
  redisUrl?: string | null;
  /** A bus given directly (several servers of one test process share a LocalBusHub). */
  bus?: BroadcastBus | null;
  log: Logger;
  /** How often PostgreSQL is probed for /readyz. */
  probeIntervalMs?: number;
  /** Lifetime of a session lease in Redis (LEASE_TTL_MS). */
  leaseTtlMs?: number;
}

/** The shared services of a server that is one of several: none of them by default. */
export interface ScaleOut {
  /** Null: this process is alone (no fan-out at all). */
  bus: BroadcastBus | null;
  /** The storage ports to use: PostgreSQL's when DATABASE_URL is set (the document store wrapped by `wrapDocs`), else the given SQLite ones. */
  ports(sqlite: StoragePorts, wrapDocs: (docs: DocStore) => DocStore): StoragePorts;
  /** Whether the ports are PostgreSQL's (search, backups and the SQLite file checks do not apply to them). */
  postgres: boolean;
  /** The PostgreSQL pool (DATABASE_URL), for what keeps its own tables there (history, search). */
  pool: pg.Pool | null;
  /** Named readiness checks (postgres, redis) for /readyz. */
  checks: Record<string, () => CheckResult>;
  /** Redis for commands (shared limits), or null without REDIS_URL. */
  redis: Redis | null;
  /** Who does each session's once-only work: with Redis a lease per session, else this process always. */
  leases: SessionLeases;
  close(): Promise<void>;
}

/**
 * Connects what DATABASE_URL and REDIS_URL name, failing start-up with the
 * reason when either is unreachable, and keeps a readiness probe of each.
 */
export async function openScaleOut(opts: ScaleOutOptions): Promise<ScaleOut> {
  let pool: pg.Pool | null = null;
  let bus: BroadcastBus | null = opts.bus ?? null;
  let redis: Redis | null = null;
  // Loaded only when configured: pg and ioredis stay out of a single SQLite server's memory.
  const pgModule = opts.databaseUrl ? await import('../storage/postgres/openPgPorts.js') : null;
  try {
    if (opts.databaseUrl) pool = await (await import('../storage/postgres/openPgPool.js')).openPgPool({ url: opts.databaseUrl, log: opts.log });
    if (opts.redisUrl) redis = await (await import('./redisCommands.js')).connectRedisCommands(opts.redisUrl, opts.log);
    if (!bus && opts.redisUrl) bus = await (await import('./redisBus.js')).RedisBus.connect({ url: opts.redisUrl, log: opts.log });
  } catch (err) {
    await pool?.end().catch(() => undefined);
    redis?.disconnect();
    throw err;
  }
  const leases = redis ? new (await import('./redisSessionLeases.js')).RedisSessionLeases({ redis, log: opts.log, ttlMs: opts.leaseTtlMs ?? 10_000, owner: leaseOwner() }) : soleLeases();
  const checks: Record<string, () => CheckResult> = {};
  let timer: ReturnType<typeof setInterval> | null = null;
  if (pool) {
    const db = pool;
    let postgres: CheckResult = { ok: true };
    const probe = () =>
      db.query('SELECT 1').then(
        () => (postgres = { ok: true }),
        (err: unknown) => (postgres = { ok: false, detail: `postgres: ${err instanceof Error ? err.message : String(err)}` }),
      );
    timer = setInterval(() => void probe(), opts.probeIntervalMs ?? 5000);
    timer.unref();
    checks.postgres = () => postgres;
  }
  if (bus && opts.redisUrl) {
    const redis = bus;
    checks.redis = () => redis.health();
  }
  return {
    bus,
    ports(sqlite, wrapDocs) {
      if (!pool || !pgModule) return sqlite;
      const pgPorts = pgModule.openPgPorts(pool);
      return { ...pgPorts, docs: wrapDocs(pgPorts.docs) };
    },
    postgres: pool !== null,
    pool,
    checks,
    redis,
    leases,
    async close() {
      if (timer) clearInterval(timer);
      await leases.close();
      await redis?.quit().catch(() => undefined);
      await bus?.close();
      await pool?.end();
    },
  };
}

/** Who holds a lease, as `redis-cli GET rt:lease:<session>` shows it: host and process id, unique per start. */
function leaseOwner(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
}
