import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { workerBoot } from '../workerBoot.js';
import type { BackupOptions, BackupResult } from './backupDatabase.js';

export interface BackupScheduleOptions {
  /** The live database file. */
  source: string;
  /** Where backups go (BACKUP_DIR; default DATA_DIR/backups). */
  dir: string;
  /** BACKUP_EVERY in milliseconds. */
  everyMs: number;
  /** BACKUP_KEEP: the newest this many scheduled backups are kept. */
  keep: number;
  log: Logger;
  registry: Registry;
  /** Runs one backup; by default in a worker thread. */
  run?: (job: Omit<BackupOptions, 'onProgress'>) => Promise<BackupResult>;
  now?: () => Date;
}

/** Scheduled backups are named by their UTC time, so names sort by age. */
const SCHEDULED = /^roundtable-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.sqlite$/;

export function scheduledBackupName(at: Date): string {
  return `roundtable-${at.toISOString().slice(0, 19).replace(/:/g, '-')}Z.sqlite`;
}


/**
 * One backup in a worker thread: the copy, the integrity check and the row
 * counts all run there, so the server's event loop (every live note-taker)
 * never waits for them.
 */
export function backupInWorker(job: Omit<BackupOptions, 'onProgress'>): Promise<BackupResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerBoot(import.meta.url, 'backupWorker'), { eval: true, workerData: job });
    let settled = false;
    worker.once('message', (reply: { ok: true; result: BackupResult } | { ok: false; error: string }) => {
      settled = true;
      if (reply.ok) resolve(reply.result);
      else reject(new Error(reply.error));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the backup worker stopped (exit code ${code})`));
      settled = true;
    });
  });
}

/**
 * BACKUP_EVERY: a backup of the live database every interval, into
 * BACKUP_DIR, keeping the newest BACKUP_KEEP, for small events with nobody
 * watching the server. Each backup is the same checked copy `npm run backup`
 * makes; a failure is logged and counted, and the next interval tries again.
 */
export class BackupSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<BackupResult | null> | null = null;
  private readonly run: (job: Omit<BackupOptions, 'onProgress'>) => Promise<BackupResult>;
  private readonly outcomes: Counter<'outcome'>;
  private readonly lastSuccess: Gauge;
  private readonly lastSeconds: Gauge;
  private readonly lastBytes: Gauge;

  constructor(private readonly opts: BackupScheduleOptions) {
    this.run = opts.run ?? backupInWorker;
    const registers = [opts.registry];
    this.outcomes = new Counter({ name: 'roundtable_backups_total', help: 'Scheduled backups (BACKUP_EVERY), by outcome.', labelNames: ['outcome'], registers });
    this.outcomes.inc({ outcome: 'ok' }, 0);
    this.outcomes.inc({ outcome: 'failed' }, 0);
    this.lastSuccess = new Gauge({ name: 'roundtable_backup_last_success_timestamp_seconds', help: 'When the last scheduled backup succeeded (Unix time; 0: none yet).', registers });
    this.lastSeconds = new Gauge({ name: 'roundtable_backup_seconds', help: 'How long the last successful scheduled backup took (copy and verification).', registers });
    this.lastBytes = new Gauge({ name: 'roundtable_backup_bytes', help: 'Size of the last successful scheduled backup.', registers });
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.opts.everyMs);
    this.timer.unref();
  }

  /** Runs one backup now (none if one is running); resolves with it, or null when it failed. */
  runOnce(): Promise<BackupResult | null> {
    this.running ??= this.backup().finally(() => (this.running = null));
    return this.running;
  }

  private async backup(): Promise<BackupResult | null> {
    const started = performance.now();
    const out = path.join(this.opts.dir, scheduledBackupName(this.opts.now?.() ?? new Date()));
    try {
      fs.mkdirSync(this.opts.dir, { recursive: true });
      const result = await this.run({ source: this.opts.source, out });
      const seconds = (performance.now() - started) / 1000;
      this.outcomes.inc({ outcome: 'ok' });
      this.lastSuccess.set(Date.now() / 1000);
      this.lastSeconds.set(seconds);
      this.lastBytes.set(result.bytes);
      const removed = this.prune();
      this.opts.log.info('scheduled backup written', { file: result.file, bytes: result.bytes, seconds: Math.round(seconds * 100) / 100, removed });
      return result;
    } catch (err) {
      this.outcomes.inc({ outcome: 'failed' });
      this.opts.log.error('scheduled backup failed; the next one is due in BACKUP_EVERY', { file: out, error: err instanceof Error ? err.message : String(err) });
      return null;
    }
  }

  /** Deletes scheduled backups beyond the newest `keep`; never touches other files in the directory. */
  private prune(): string[] {
    const names = fs
      .readdirSync(this.opts.dir)
      .filter((n) => SCHEDULED.test(n))
      .sort();
    const old = names.slice(0, Math.max(0, names.length - this.opts.keep));
    for (const n of old) fs.rmSync(path.join(this.opts.dir, n), { force: true });
    return old;
  }

  /** No more backups; waits for one that is running (the caller bounds the wait). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
