import { parentPort, workerData } from 'node:worker_threads';
import { backupDatabase, type BackupOptions } from './backupDatabase.js';

// One scheduled backup, off the server's event loop (see backupSchedule.ts): copy, verify, reply, end.
const port = parentPort;
if (!port) throw new Error('backupWorker must run in a worker thread');
const job = workerData as Omit<BackupOptions, 'onProgress'>;
backupDatabase(job).then(
  (result) => port.postMessage({ ok: true, result }),
  (err: unknown) => port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
);
