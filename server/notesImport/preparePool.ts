import { Worker } from 'node:worker_threads';
import type { JSONContent } from '@tiptap/core';
import type { SchemaLoader } from '../notesSchemaLoader.js';
import type { ErrorCode } from '../../shared/errors.js';
import { DomainError, type ErrorDetail } from '../domainError.js';
import { workerBoot } from '../workerBoot.js';
import type { ConvertedNotes, NotesConverter } from './convertNotes.js';
import type { PrepareJob, PreparedImport } from './prepareImport.js';
import type { ImportSummary } from './summarizeNotes.js';

export type PrepareReply =
  | { ok: true; doc: JSONContent; meta: Omit<ConvertedNotes, 'doc'>; summary: ImportSummary }
  | { ok: false; refused: { code: ErrorCode; params: Record<string, string | number>; details?: ErrorDetail[] } }
  | { ok: false; error: string };

export interface ImportPreparation {
  prepare(job: PrepareJob): Promise<PreparedImport>;
  close(): Promise<void>;
}


/**
 * Converting and counting a large file (a 2,000-line Markdown file takes a
 * few hundred milliseconds, a 5 MB one seconds) would stall every live
 * note-taker's keystrokes on the server's event loop, so one worker thread
 * does it, one file after another. It starts on first use and stops after
 * `idleMs` without work; where no worker can start, files are prepared in
 * this thread. The worker checked the notes against the schema; they are
 * read into this thread's schema again, so nothing unchecked reaches a
 * document.
 */
export function createImportWorker(schema: SchemaLoader, opts: { idleMs?: number } = {}): ImportPreparation {
  const boot = workerBoot(import.meta.url, 'prepareWorker');
  let local: NotesConverter | null = null;
  let worker: Worker | null = null;
  let failedToStart = false;
  let everWorked = false;
  let nextId = 1;
  let idleTimer: NodeJS.Timeout | null = null;
  const pending = new Map<number, { job: PrepareJob; worker: Worker; resolve(r: PreparedImport): void; reject(e: Error): void }>();
  const jobsOf = (w: Worker) => [...pending.entries()].filter(([, p]) => p.worker === w);

  // The converters (linkedom, the Markdown parser: about 30 MiB) load here only when no worker can start.
  const inThread = async (job: PrepareJob) => {
    const [{ NotesConverter }, { prepareImport }] = await Promise.all([import('./convertNotes.js'), import('./prepareImport.js')]);
    return prepareImport((local ??= new NotesConverter(await schema())), job);
  };
  const fromReply = async (reply: PrepareReply): Promise<PreparedImport> => {
    if (reply.ok) {
      const doc = (await schema()).nodeFromJSON(reply.doc);
      doc.check();
      return { converted: { ...reply.meta, doc }, summary: reply.summary };
    }
    if ('refused' in reply) throw DomainError.of(reply.refused.code, reply.refused.params, reply.refused.details);
    throw new Error(reply.error);
  };
  const settleIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    if (pending.size > 0 || !worker) return;
    worker.unref();
    idleTimer = setTimeout(() => {
      if (pending.size > 0 || !worker) return;
      void worker.terminate();
      worker = null;
    }, opts.idleMs ?? 60_000);
    idleTimer.unref();
  };
  const spawn = (): Worker => {
    const w = new Worker(boot, { eval: true });
    w.on('message', ({ id, reply }: { id: number; reply: PrepareReply }) => {
      const p = pending.get(id);
      if (!p) return;
      pending.delete(id);
      everWorked = true;
      fromReply(reply).then(p.resolve, p.reject);
      settleIdle();
    });
    w.on('error', (err) => {
      if (worker === w) worker = null;
      const jobs = jobsOf(w);
      for (const [id] of jobs) pending.delete(id);
      if (everWorked) return jobs.forEach(([, p]) => p.reject(err));
      failedToStart = true;
      for (const [, p] of jobs) inThread(p.job).then(p.resolve, p.reject);
    });
    // Only this worker's jobs: an idle worker that was stopped exits after its successor took new work.
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      for (const [id, p] of jobsOf(w)) {
        pending.delete(id);
        p.reject(new Error(`import worker exited with code ${code}`));
      }
    });
    return w;
  };

  return {
    prepare(job) {
      if (failedToStart) return inThread(job);
      try {
        worker ??= spawn();
      } catch {
        failedToStart = true;
        return inThread(job);
      }
      if (idleTimer) clearTimeout(idleTimer);
      worker.ref();
      const id = nextId++;
      const w = worker;
      return new Promise((resolve, reject) => {
        pending.set(id, { job, worker: w, resolve, reject });
        w.postMessage({ id, job });
      });
    },
    async close() {
      if (idleTimer) clearTimeout(idleTimer);
      for (const p of pending.values()) p.reject(new Error('import worker closed'));
      pending.clear();
      const w = worker;
      worker = null;
      await w?.terminate();
    },
  };
}
