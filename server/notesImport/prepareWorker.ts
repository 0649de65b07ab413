import { parentPort } from 'node:worker_threads';
import { createNotesSchema } from '../notesSchema.js';
import { DomainError } from '../domainError.js';
import { NotesConverter } from './convertNotes.js';
import type { PrepareReply } from './preparePool.js';
import { prepareImport, type PrepareJob } from './prepareImport.js';

// Converts and counts imported files off the server's event loop (see preparePool.ts).
const port = parentPort;
if (!port) throw new Error('prepareWorker must run in a worker thread');
const converter = new NotesConverter(createNotesSchema());

port.on('message', ({ id, job }: { id: number; job: PrepareJob }) => {
  let reply: PrepareReply;
  try {
    const { converted, summary } = prepareImport(converter, job);
    const { doc, ...meta } = converted;
    reply = { ok: true, doc: doc.toJSON(), meta, summary };
  } catch (err) {
    reply = err instanceof DomainError ? { ok: false, refused: { code: err.code, params: err.params, details: err.details } } : { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage({ id, reply });
});
