import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { PeerServer } from './peerChild.js';

/** Sends one message; a socket's messages of one commit leave in one write. */
export type Send = (to: WebSocket, data: Uint8Array) => void;

export interface DurableLog {
  /** Appends `bytes`; `deliver` runs once they are synced to disk, with the commit's `send`. */
  append(bytes: Uint8Array, deliver: (send: Send) => void): void;
  /** The log file (tests read it). */
  readonly file: string;
  /** Bytes written and syncs returned so far. */
  stats(): { bytes: number; syncs: number };
  close(): void;
}

export interface DurableLogOptions {
  /** Commits start at least this many ms apart (Roundtable's COMMIT_PACE_MS). */
  paceMs: number;
  /** Makes the file durable: fdatasync on libuv's pool; tests hold it back. */
  sync?: (fd: number) => Promise<void>;
}

const fdatasync = (fd: number) => new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));

/**
 * "Durable before anyone sees it" done the cheapest way, for the bench's
 * durable peers: an append-only file, one write and one fdatasync (on libuv's
 * pool) per group commit, commits paced as Roundtable's are (`paceMs` between
 * starts; a commit after a quiet spell starts at once), and what a commit
 * holds delivered only after its sync returned.
 */
export function createDurableLog(opts: DurableLogOptions): DurableLog {
  const { paceMs } = opts;
  const sync = opts.sync ?? fdatasync;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-durable-'));
  const file = path.join(dir, 'log');
  const fd = fs.openSync(file, 'a');
  let bytes = 0;
  let syncs = 0;
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
    bytes += fs.writeSync(fd, batch.length === 1 ? batch[0]!.bytes : Buffer.concat(batch.map((p) => p.bytes)));
    try {
      await sync(fd);
      syncs++;
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
    file,
    stats: () => ({ bytes, syncs }),
    close() {
      if (timer) clearTimeout(timer);
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A durable peer's server: its `durableLog` command answers the log's file and stats, and closing it closes the log after the sockets. */
export function withDurableLog(server: PeerServer, log: DurableLog): PeerServer {
  return {
    ...server,
    commands: { ...server.commands, durableLog: () => ({ file: log.file, ...log.stats() }) },
    async close() {
      await server.close();
      log.close();
    },
  };
}
