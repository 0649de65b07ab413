import { englishErrorMessage } from '../../shared/errors.js';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SchemaLoader } from '../notesSchemaLoader.js';
import { jobInputBytes, runRenderJob, type RenderJob } from './renderJob.js';
import { workerBoot } from '../workerBoot.js';

export interface MinutesRenderer {
  /** The export's bytes; rejects with a RenderRefused for the limits below. */
  render(job: RenderJob): Promise<Uint8Array>;
  stats(): RenderStats;
  close(): Promise<void>;
}

export interface RenderStats {
  workers: number;
  running: number;
  queued: number;
  /** Jobs finished by worker threads (not in this thread). */
  renderedInWorkers: number;
}

/** Limits of the export pool; README "Limits" lists them. */
export interface RenderPoolOptions {
  /** Worker threads rendering at once. */
  size: number;
  /** Exports waiting for a worker; more are refused (503 export_busy). */
  maxQueued: number;
  /** Notes state one export may read, summed over its sessions (413 export_too_large). */
  maxInputBytes: number;
  /** Time one export may take once started; the worker is then stopped (503 export_timeout). */
  timeoutMs: number;
  /** Heap of each worker: an export that needs more fails alone (413), the server does not. */
  maxHeapMb: number;
  /** A worker with nothing to do stops after this long. */
  idleMs: number;
  /** Time a new worker may take to start (load its modules) before its first job counts as failed. */
  startMs: number;
}

export const DEFAULT_RENDER_POOL: RenderPoolOptions = {
  // One core stays for the event loop (live editing); two workers at most.
  size: Math.max(1, Math.min(2, os.availableParallelism() - 1)),
  maxQueued: 8,
  maxInputBytes: 64 * 1024 * 1024,
  timeoutMs: 120_000,
  maxHeapMb: 2048,
  idleMs: 10_000,
  startMs: 30_000,
};

type RefusalCode = 'export_busy' | 'export_too_large' | 'export_timeout' | 'export_failed';

/** An export refused or stopped by a limit: the HTTP layer answers with this registered code. */
export class RenderRefused extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly params: Record<string, number> = {},
    /** What happened, for the log; the answer to the client comes from the code and params. */
    detail?: string,
  ) {
    super(detail ? `${englishErrorMessage(code, params)} (${detail})` : englishErrorMessage(code, params));
  }
}

const MiB = 1024 * 1024;

/** Renders in this thread: the CLI, and the fallback where no worker can start. */
export function inProcessRenderer(schema: SchemaLoader): MinutesRenderer {
  return { render: async (job) => runRenderJob(job, await schema()), stats: () => ({ workers: 0, running: 0, queued: 0, renderedInWorkers: 0 }), close: async () => {} };
}

interface Job {
  job: RenderJob;
  resolve(bytes: Uint8Array): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker | null;
  running: (Job & { id: number; timer: NodeJS.Timeout }) | null;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * Every minutes export — reading the notes out of Yjs and rendering md, html,
 * txt, json, docx, pdf or zip — runs in a small pool of worker threads, so
 * the server's event loop (every live note-taker's keystrokes and
 * acknowledgements) only copies the notes' state in and the bytes out. Jobs
 * wait in a bounded queue; each has a time limit (its worker is stopped and
 * replaced) and a heap limit (an export that needs more fails alone). Workers
 * start on first use and stop when idle.
 */
export function createRenderPool(schema: SchemaLoader, options: Partial<RenderPoolOptions> = {}): MinutesRenderer {
  const opts: RenderPoolOptions = { ...DEFAULT_RENDER_POOL, ...options };
  const boot = workerBoot(import.meta.url, 'renderWorker');
  const slots: Slot[] = Array.from({ length: Math.max(1, opts.size) }, () => ({ worker: null, running: null, idleTimer: null }));
  const queue: Job[] = [];
  let nextId = 1;
  let everWorked = false;
  let failedToStart = false;
  let renderedInWorkers = 0;
  const fallback = inProcessRenderer(schema);

  const finish = (slot: Slot) => {
    const running = slot.running;
    if (running) clearTimeout(running.timer);
    slot.running = null;
    return running;
  };

  const stopWorker = (slot: Slot) => {
    const w = slot.worker;
    slot.worker = null;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    void w?.terminate();
  };

  const spawn = (slot: Slot): Worker => {
    const w = new Worker(boot, { eval: true, resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb } });
    w.on('message', (msg: { id: number; started?: boolean; bytes?: Uint8Array; error?: string }) => {
      if (slot.running?.id !== msg.id) return;
      if (msg.started) {
        clearTimeout(slot.running.timer);
        slot.running.timer = limit(slot, msg.id, opts.timeoutMs);
        return;
      }
      const job = finish(slot)!;
      everWorked = true;
      if (msg.bytes) {
        renderedInWorkers++;
        job.resolve(msg.bytes);
      } else job.reject(new RenderRefused('export_failed', {}, `rendering these minutes failed: ${msg.error ?? 'unknown error'}`));
      dispatch();
    });
    w.on('error', (err: Error & { code?: string }) => {
      if (slot.worker !== w) return;
      slot.worker = null;
      const job = finish(slot);
      if (!everWorked && err.code !== 'ERR_WORKER_OUT_OF_MEMORY') {
        // The worker cannot start here: render in this thread from now on rather than fail downloads.
        failedToStart = true;
        if (job) fallback.render(job.job).then(job.resolve, job.reject);
        for (const queued of queue.splice(0)) fallback.render(queued.job).then(queued.resolve, queued.reject);
        return;
      }
      job?.reject(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new RenderRefused('export_too_large', { maxMiB: Math.round(opts.maxInputBytes / MiB) }, `these minutes need more than the ${opts.maxHeapMb} MiB of heap an export may use`)
          : new RenderRefused('export_failed', {}, `rendering these minutes failed: ${err.message}`),
      );
      dispatch();
    });
    w.on('exit', () => {
      if (slot.worker !== w) return;
      slot.worker = null;
      finish(slot)?.reject(new RenderRefused('export_failed', {}, 'the export worker stopped unexpectedly'));
      dispatch();
    });
    return w;
  };

  const dispatch = () => {
    for (const slot of slots) {
      if (slot.running) continue;
      const next = queue.shift();
      if (!next) {
        armIdle(slot);
        continue;
      }
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      let w = slot.worker;
      if (!w) {
        try {
          w = slot.worker = spawn(slot);
        } catch {
          failedToStart = true;
          fallback.render(next.job).then(next.resolve, next.reject);
          continue;
        }
      }
      // Held while a job runs (a caller may have nothing else keeping the process alive); released when idle.
      w.ref();
      const id = nextId++;
      // Until the worker says it started the job, the limit is the start-up allowance.
      slot.running = { ...next, id, timer: limit(slot, id, opts.startMs + opts.timeoutMs) };
      w.postMessage({ id, job: next.job });
    }
  };

  const limit = (slot: Slot, id: number, ms: number): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      if (slot.running?.id !== id) return;
      finish(slot)!.reject(new RenderRefused('export_timeout', { seconds: Math.round(opts.timeoutMs / 1000) }));
      stopWorker(slot);
      dispatch();
    }, ms);
    timer.unref();
    return timer;
  };

  const armIdle = (slot: Slot) => {
    if (!slot.worker || slot.idleTimer) return;
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = null;
      if (!slot.running) stopWorker(slot);
    }, opts.idleMs);
    slot.idleTimer.unref();
  };

  return {
    render(job) {
      const bytes = jobInputBytes(job);
      if (bytes > opts.maxInputBytes) {
        return Promise.reject(new RenderRefused('export_too_large', { maxMiB: Math.round(opts.maxInputBytes / MiB) }, `${(bytes / MiB).toFixed(1)} MiB of notes`));
      }
      if (failedToStart) return fallback.render(job);
      const free = slots.some((s) => !s.running);
      if (!free && queue.length >= opts.maxQueued) {
        return Promise.reject(new RenderRefused('export_busy', {}, `${queue.length} exports are already waiting`));
      }
      return new Promise<Uint8Array>((resolve, reject) => {
        queue.push({ job, resolve, reject });
        dispatch();
      });
    },
    stats() {
      return { workers: slots.filter((s) => s.worker).length, running: slots.filter((s) => s.running).length, queued: queue.length, renderedInWorkers };
    },
    async close() {
      const closed = new RenderRefused('export_busy', {}, 'the server is shutting down');
      for (const job of queue.splice(0)) job.reject(closed);
      await Promise.all(
        slots.map(async (slot) => {
          finish(slot)?.reject(closed);
          const w = slot.worker;
          stopWorker(slot);
          await w?.terminate();
        }),
      );
    },
  };
}
