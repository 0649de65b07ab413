import { parentPort } from 'node:worker_threads';
import { renderBinary, type BinaryJob } from './renderBinary.js';

// Runs DOCX/PDF rendering off the server's event loop (see renderPool.ts).
const port = parentPort;
if (!port) throw new Error('renderWorker must run in a worker thread');

port.on('message', (msg: { id: number; job: BinaryJob }) => {
  // Through a promise, so a renderer that throws synchronously rejects this job instead of killing the thread.
  Promise.resolve(msg.job)
    .then(renderBinary)
    .then(
      (bytes) => {
        // Only a buffer the result owns alone may be transferred (a pooled Buffer's memory is shared).
        const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
        port.postMessage({ id: msg.id, bytes: own }, [own.buffer as ArrayBuffer]);
      },
      (err: unknown) => port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
    );
});
