import path from 'node:path';
import { z } from 'zod';
import { parseDuration } from '../backup/duration.js';
import type { LogFormat } from '../logging/pinoLogger.js';

const duration = (name: string, minMs: number) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `${name} must be a duration like 15m, 1h or 1d (got "${text}")` });
      return z.NEVER;
    }
    if (ms < minMs) {
      ctx.addIssue({ code: 'custom', message: `${name} must be at least ${minMs / 60_000} minute(s)` });
      return z.NEVER;
    }
    return ms;
  });

const opsEnvSchema = z.object({
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  BACKUP_EVERY: duration('BACKUP_EVERY', 60_000).optional(),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(24),
});

/** The operability settings (README: Configuration): metrics, log format, scheduled backups. */
export interface OpsConfig {
  /** Bearer token /metrics requires; null: open to whoever reaches it. */
  metricsToken: string | null;
  /** Serve /metrics on this port only (not on the main one); null: on the main port. */
  metricsPort: number | null;
  logFormat: LogFormat;
  /** Scheduled backups, or null when BACKUP_EVERY is unset. */
  backup: { everyMs: number; dir: string; keep: number } | null;
}

/** Parses the operability variables; throws with every problem listed, like loadConfig. */
export function loadOpsConfig(env: NodeJS.ProcessEnv, dataDir: string): OpsConfig {
  const parsed = opsEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  return {
    metricsToken: e.METRICS_TOKEN ?? null,
    metricsPort: e.METRICS_PORT ?? null,
    logFormat: e.LOG_FORMAT,
    backup: e.BACKUP_EVERY ? { everyMs: e.BACKUP_EVERY, dir: path.resolve(e.BACKUP_DIR ?? path.join(dataDir, 'backups')), keep: e.BACKUP_KEEP } : null,
  };
}
