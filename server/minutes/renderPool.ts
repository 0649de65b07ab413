import { Worker } from 'node:worker_threads';
import { renderBinary, type BinaryJob } from './renderBinary.js';

export interface BinaryRenderer {
  render(job: BinaryJob): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Renders in this thread: for the CLI and as the fallback when no worker can start. */
export const inProcessRenderer: BinaryRenderer = { render: (job) => Promise.resolve(job).then(renderBinary), close: async () => {} };

interface Pending {
  job: BinaryJob;
  resolve(bytes: Uint8Array): void;
  reject(err: Error): void;
}

// The sources are TypeScript run through tsx (npm start, the tests); a worker
// thread starts without the parent's loader, so it registers tsx itself first.
const BOOT = (entry: string) =>
  `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;

/**
 * DOCX and PDF of a whole event take around a second of pure CPU; done on the
 * server's event loop, that second would stall every live note-taker's
 * keystrokes and acknowledgements. One worker thread renders them instead,
 * one job after another; it starts on first use, never keeps an idle process
 * alive, and stops after `idleMs` without work.
 */
export function createWorkerRenderer(opts: { idleMs?: number } = {}): BinaryRenderer {
  const idleMs = opts.idleMs ?? 10_000;
  const entry = new URL('./renderWorker.ts', import.meta.url).href;
  let everWorked = false;
  let worker: Worker | null = null;
  let failedToStart = false;
  let nextId = 1;
  let idleTimer: NodeJS.Timeout | null = null;
  const pending = new Map<number, Pending>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const spawn = (): Worker => {
    const w = new Worker(BOOT(entry), { eval: true });
    w.unref();
    w.on('message', (msg: { id: number; bytes?: Uint8Array; error?: string }) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      everWorked = true;
      if (msg.bytes) p.resolve(msg.bytes);
      else p.reject(new Error(msg.error ?? 'render failed'));
      armIdle();
    });
    w.on('error', (err) => {
      if (worker === w) worker = null;
      if (everWorked) return failAll(err);
      // The worker cannot start here: render in this thread from now on rather than fail downloads.
      failedToStart = true;
      for (const p of pending.values()) inProcessRenderer.render(p.job).then(p.resolve, p.reject);
      pending.clear();
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (pending.size) failAll(new Error(`render worker exited with code ${code}`));
    });
    return w;
  };

  const armIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    if (pending.size > 0 || !worker) return;
    worker.unref();
    idleTimer = setTimeout(() => {
      if (pending.size === 0 && worker) {
        void worker.terminate();
        worker = null;
      }
    }, idleMs);
    idleTimer.unref();
  };

  return {
    render(job) {
      if (failedToStart) return inProcessRenderer.render(job);
      if (!worker) {
        try {
          worker = spawn();
        } catch {
          failedToStart = true;
          return inProcessRenderer.render(job);
        }
      }
      if (idleTimer) clearTimeout(idleTimer);
      const id = nextId++;
      const w = worker;
      // Held while a job runs (a caller may have nothing else keeping the process alive); released when idle.
      w.ref();
      return new Promise<Uint8Array>((resolve, reject) => {
        pending.set(id, { job, resolve, reject });
        w.postMessage({ id, job });
      });
    },
    async close() {
      if (idleTimer) clearTimeout(idleTimer);
      failAll(new Error('renderer closed'));
      const w = worker;
      worker = null;
      await w?.terminate();
    },
  };
}
