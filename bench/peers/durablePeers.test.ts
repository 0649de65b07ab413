import fs from 'node:fs';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBenchClient, waitUntil, type BenchClient } from '../lib/clients.js';
import { PeerProcesses, type PeerProcess } from '../lib/peerProcess.js';

/**
 * The bench's durable floors, started as the bench starts them (their own
 * process, the IPC harness) but from source: what reaches a client was in the
 * peer's log file when it arrived.
 */
const peers = new PeerProcesses({ fromSource: true });
const sockets: WebSocket[] = [];
const clients: BenchClient[] = [];

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.terminate();
  await peers.dispose();
});

interface LogStats {
  file: string;
  bytes: number;
  syncs: number;
}

/** A raw socket into a room, with every binary message it receives. */
async function rawSocket(peer: PeerProcess, room: string, query = ''): Promise<{ ws: WebSocket; received: Buffer[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${peer.port}/${room}${query}`);
  sockets.push(ws);
  const received: Buffer[] = [];
  ws.on('message', (data: Buffer) => received.push(data));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, received };
}

/** Starts `script` before the suite's tests; the returned getter gives the running peer and its log file. */
function peerFor(script: string): () => { peer: PeerProcess; file: string } {
  let running: { peer: PeerProcess; file: string } | undefined;
  beforeAll(async () => {
    const peer = await peers.start(script);
    running = { peer, file: (await peer.request<LogStats>('durableLog')).file };
  }, 60_000);
  return () => running!;
}

describe('relay-durable', () => {
  const running = peerFor('durableRelay');

  it('forwards a frame to the others only once it is in its log, and not back to its sender', async () => {
    const { peer, file } = running();
    const sender = await rawSocket(peer, 'room-1');
    const listener = await rawSocket(peer, 'room-1', '?listen=1');
    const inLogOnArrival: boolean[] = [];
    const frames = [Buffer.from([0, 2, 3, 1, 2, 3]), Buffer.from([0, 2, 2, 9, 9])];
    listener.ws.on('message', (data: Buffer) => inLogOnArrival.push(fs.readFileSync(file).includes(data)));
    for (const f of frames) sender.ws.send(f);

    await waitUntil(() => listener.received.length === 2, 10_000, 'both frames');
    expect(listener.received).toEqual(frames);
    expect(inLogOnArrival).toEqual([true, true]);
    expect(sender.received).toEqual([]);
    const stats = await peer.request<LogStats>('durableLog');
    expect(stats.bytes).toBe(frames[0]!.length + frames[1]!.length);
    expect(stats.syncs).toBeGreaterThanOrEqual(1);
  });
});

describe('yjs-durable', () => {
  const running = peerFor('durableYjs');

  it('syncs stock y-websocket clients, and every update a client receives was in the log when it arrived', async () => {
    const { peer, file } = running();
    const [room] = await peer.prepareRooms(1);
    // A raw reader sees the server's update messages byte for byte: [sync, update, payload].
    const reader = await rawSocket(peer, room!.name);
    const updatesInLog: boolean[] = [];
    reader.ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 2) return;
      updatesInLog.push(fs.readFileSync(file).includes(Buffer.from(decoding.readVarUint8Array(decoder))));
    });
    const serverUrl = `ws://127.0.0.1:${peer.port}`;
    const a = connectBenchClient({ protocol: 'y-websocket', serverUrl, room: room!, role: 'write', userName: 'A' });
    const b = connectBenchClient({ protocol: 'y-websocket', serverUrl, room: room!, role: 'write', userName: 'B' });
    clients.push(a, b);
    await waitUntil(() => a.ready() && b.ready(), 10_000, 'both clients to sync');

    for (let i = 0; i < 5; i++) {
      a.doc.getText('t').insert(0, 'a');
      b.doc.getText('t').insert(0, 'b');
    }
    const text = (c: BenchClient) => c.doc.getText('t').toString();
    await waitUntil(() => text(a).length === 10 && text(a) === text(b), 10_000, 'the two writers to converge');

    // A late joiner gets everything from the server's document.
    const late = connectBenchClient({ protocol: 'y-websocket', serverUrl, room: room!, role: 'read' });
    clients.push(late);
    await waitUntil(() => late.ready() && text(late) === text(a), 10_000, 'a late joiner to sync');
    expect([...text(late)].sort().join('')).toBe('aaaaabbbbb');

    await waitUntil(() => updatesInLog.length >= 2, 10_000, 'the reader to receive updates');
    expect(updatesInLog.every(Boolean)).toBe(true);
    expect((await peer.request<LogStats>('durableLog')).syncs).toBeGreaterThanOrEqual(1);
  });

  it('relays presence once per change: a stock client re-sends every state it applies, which must not come back around', async () => {
    const { peer } = running();
    const [, room] = await peer.prepareRooms(2);
    const watcher = await rawSocket(peer, room!.name);
    let presenceFrames = 0;
    const seen = new Set<string>();
    watcher.ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== 1) return;
      presenceFrames++;
      const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
      for (let n = decoding.readVarUint(update); n > 0; n--) {
        decoding.readVarUint(update);
        decoding.readVarUint(update);
        const state = JSON.parse(decoding.readVarString(update)) as { user?: { name: string } } | null;
        if (state?.user) seen.add(state.user.name);
      }
    });
    const serverUrl = `ws://127.0.0.1:${peer.port}`;
    const names = Array.from({ length: 10 }, (_, i) => `writer ${i}`);
    for (const userName of names) {
      const c = connectBenchClient({ protocol: 'y-websocket', serverUrl, room: room!, role: 'write', userName });
      clients.push(c);
      await waitUntil(() => c.ready(), 10_000, `${userName} to sync`);
    }
    await waitUntil(() => seen.size === names.length, 10_000, 'every name to reach the watcher');
    await new Promise((r) => setTimeout(r, 300));
    // One frame per join, give or take; relayed as is, each state would come back from every other client (about 10 × 9).
    expect(presenceFrames).toBeGreaterThanOrEqual(names.length);
    expect(presenceFrames).toBeLessThan(names.length * 2);
  });
});
