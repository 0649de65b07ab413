import { parentPort } from 'node:worker_threads';
import { createNotesSchema } from '../notesSchema.js';
import { runRenderJob, type RenderJob } from './renderJob.js';

// Runs every minutes export off the server's event loop (see renderPool.ts).
const port = parentPort;
if (!port) throw new Error('renderWorker must run in a worker thread');
const schema = createNotesSchema();

port.on('message', (msg: { id: number; job: RenderJob }) => {
  // The job's time limit counts from here, not from the thread's start-up.
  port.postMessage({ id: msg.id, started: true });
  // Through a promise, so a renderer that throws synchronously rejects this job instead of killing the thread.
  Promise.resolve(msg.job)
    .then((job) => runRenderJob(job, schema))
    .then(
      (bytes) => {
        // Only a buffer the result owns alone may be transferred (a pooled Buffer's memory is shared).
        const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
        port.postMessage({ id: msg.id, bytes: own }, [own.buffer as ArrayBuffer]);
      },
      (err: unknown) => port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
    );
});
