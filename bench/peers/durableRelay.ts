// The floor for "durable before anyone sees it": the bare relay, except that
// every frame is appended to a log file and synced before it is forwarded.
// No Yjs, no validation, no SQLite: only the durable write itself, done the
// cheapest way Roundtable could do it (one append and one fdatasync on
// libuv's pool per group commit, paced as COMMIT_PACE_MS paces Roundtable's),
// so the bench shows what durability alone costs against the relay.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { runPeerChild } from '../lib/peerChild.js';
import { startRelayServer } from '../lib/relayServer.js';

interface Pending {
  from: WebSocket;
  peers: Set<WebSocket>;
  data: Buffer;
}

const fdatasync = (fd: number) => new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));

await runPeerChild(async () => {
  const paceMs = Number(process.env.COMMIT_PACE_MS ?? 10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-durable-'));
  const fd = fs.openSync(path.join(dir, 'log'), 'a');
  let pending: Pending[] = [];
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
    const bytes = batch.length === 1 ? batch[0]!.data : Buffer.concat(batch.map((p) => p.data));
    fs.writeSync(fd, bytes);
    try {
      await fdatasync(fd);
    } catch (err) {
      // Nothing of this batch was forwarded: a relay that cannot sync stops, and the bench reports the run as failed.
      console.error('durable relay: fdatasync failed', err);
      process.exit(1);
    }
    // Each socket gets all of its frames of the batch in one write, as Roundtable corks a batch.
    const corked = new Set<Socket>();
    for (const { from, peers, data } of batch) {
      for (const peer of peers) {
        if (peer === from || peer.readyState !== peer.OPEN) continue;
        const socket = (peer as unknown as { _socket: Socket })._socket;
        if (!corked.has(socket)) {
          socket.cork();
          corked.add(socket);
        }
        peer.send(data);
      }
    }
    for (const socket of corked) socket.uncork();
    running = false;
    if (pending.length > 0) schedule();
  };

  const relay = await startRelayServer((from, peers, data) => {
    pending.push({ from, peers, data });
    schedule();
  });
  return {
    ...relay,
    async close() {
      await relay.close();
      if (timer) clearTimeout(timer);
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
