import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** Sends one message; a socket's messages of one commit leave in one write. */
export type Send = (to: WebSocket, data: Uint8Array) => void;

export interface DurableLog {
  /** Appends `bytes`; `deliver` runs once they are synced to disk, with the commit's `send`. */
  append(bytes: Uint8Array, deliver: (send: Send) => void): void;
  close(): void;
}

const fdatasync = (fd: number) => new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));

/**
 * "Durable before anyone sees it" done the cheapest way, for the bench's
 * durable peers: an append-only file, one write and one fdatasync (on libuv's
 * pool) per group commit, commits paced as Roundtable's are (`paceMs` between
 * starts; a commit after a quiet spell starts at once), and what a commit
 * holds delivered only after its sync returned.
 */
export function createDurableLog(paceMs: number): DurableLog {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-durable-'));
  const fd = fs.openSync(path.join(dir, 'log'), 'a');
  let pending: { bytes: Uint8Array; deliver: (send: Send) => void }[] = [];
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let lastStart = -Infinity;

  const schedule = () => {
    if (running || timer) return;
    const wait = lastStart + paceMs - performance.now();
    if (wait <= 0) setImmediate(commit);
    else timer = setTimeout(commit, wait);
  };

  const commit = async () => {
    timer = null;
    if (pending.length === 0) return;
    running = true;
    lastStart = performance.now();
    const batch = pending;
    pending = [];
    // The page cache takes the append at once; the wait for the disk is the pool's.
    fs.writeSync(fd, batch.length === 1 ? batch[0]!.bytes : Buffer.concat(batch.map((p) => p.bytes)));
    try {
      await fdatasync(fd);
    } catch (err) {
      // Nothing of this commit was delivered: a peer that cannot sync stops, and the bench reports the run as failed.
      console.error('durable log: fdatasync failed', err);
      process.exit(1);
    }
    const corked = new Set<Socket>();
    const send: Send = (to, data) => {
      if (to.readyState !== to.OPEN) return;
      const socket = (to as unknown as { _socket: Socket })._socket;
      if (!corked.has(socket)) {
        socket.cork();
        corked.add(socket);
      }
      to.send(data);
    };
    for (const p of batch) p.deliver(send);
    for (const socket of corked) socket.uncork();
    running = false;
    if (pending.length > 0) schedule();
  };

  return {
    append(bytes, deliver) {
      pending.push({ bytes, deliver });
      schedule();
    },
    close() {
      if (timer) clearTimeout(timer);
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
