import net from 'node:net';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { NOTES_FRAGMENT } from '../shared/protocol.js';
import type { Bench, BenchTable } from './table.js';
import { connectBenchClient, connectMany, waitUntil, type BenchClient } from './lib/clients.js';
import { envInt, MiB } from './lib/numbers.js';
import { PeerProcesses, type PeerProcess } from './lib/peerProcess.js';
import type { RoomAccess } from './lib/peerChild.js';
import { createApiClient } from '../shared/api/client.js';

/**
 * Soak: the Ops Meetup shape (26 sessions × (4 note-takers + 10 readers))
 * typing for a long time, while hostile clients come and go in waves, with
 * the server's resident memory sampled throughout. It must stay flat: a
 * socket that never reads, an event stream nobody drains or a storm of
 * reconnects may cost memory while they last, never after.
 *
 * Environment (defaults in brackets):
 *   BENCH_SOAK_MINUTES        how long to run [30]
 *   BENCH_SOAK_SESSIONS       sessions [26]
 *   BENCH_SOAK_WRITERS        note-takers per session [4]
 *   BENCH_SOAK_READERS        readers per session [10]
 *   BENCH_SOAK_RATE           keystrokes per second per note-taker [2]
 *   BENCH_SOAK_SAMPLE_S       seconds between RSS samples [30]
 *   BENCH_SOAK_WAVE_S         seconds between waves of hostile clients [60]
 *   BENCH_SOAK_SLOW_READERS   WebSockets per wave that never read [20]
 *   BENCH_SOAK_SSE_HOARDERS   event streams per wave that never read [5]
 *   BENCH_SOAK_STORM          clients per wave that connect, sync and leave at once [60]
 */

/** A note-taker that keeps typing into its own paragraph and trims it, so the notes stay a steady size. */
class SoakWriter {
  private readonly text = new Y.XmlText();
  typed = 0;

  constructor(readonly client: BenchClient) {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [this.text]);
    client.doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
  }

  type(): void {
    this.text.insert(this.text.length, 'abcdefghij klmnopqrst '[this.typed++ % 22]!);
    // Trimming keeps a session's notes near 300 characters: memory growth must come from the server, not the notes.
    if (this.text.length > 300) this.text.delete(0, 100);
  }

  get clientId(): number {
    return this.client.doc.clientID;
  }
}

/** A raw event-stream request whose response is never read (the socket is paused at once). */
function sseHoarder(port: number, eventId: string, token: string): net.Socket {
  const s = net.connect(port, '127.0.0.1', () => {
    s.write(`GET /api/events/${eventId}/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    s.pause();
  });
  s.on('error', () => {});
  return s;
}

/** A WebSocket that joins a session and never reads again. */
function slowReader(port: number, room: RoomAccess): WebSocket {
  const params = new URLSearchParams(room.readParams).toString();
  const ws = new WebSocket(`ws://127.0.0.1:${port}/collab/${room.name}?${params}`);
  ws.on('open', () => ws.pause());
  ws.on('error', () => {});
  return ws;
}

interface Sample {
  minute: number;
  rssMiB: number;
  hostileOpen: number;
  waves: number;
}

async function sessionEvent(port: number, room: RoomAccess): Promise<string> {
  return (await createApiClient({ baseUrl: `http://127.0.0.1:${port}`, token: room.readParams.token }).getSession(room.name)).eventId;
}

async function soak(): Promise<BenchTable[]> {
  const minutes = envInt('BENCH_SOAK_MINUTES', 30);
  const sessions = envInt('BENCH_SOAK_SESSIONS', 26);
  const writersPer = envInt('BENCH_SOAK_WRITERS', 4);
  const readersPer = envInt('BENCH_SOAK_READERS', 10);
  const rate = envInt('BENCH_SOAK_RATE', 2);
  const sampleMs = envInt('BENCH_SOAK_SAMPLE_S', 30) * 1000;
  const waveMs = envInt('BENCH_SOAK_WAVE_S', 60) * 1000;
  const slowPerWave = envInt('BENCH_SOAK_SLOW_READERS', 20);
  const ssePerWave = envInt('BENCH_SOAK_SSE_HOARDERS', 5);
  const stormPerWave = envInt('BENCH_SOAK_STORM', 60);

  const procs = new PeerProcesses();
  const clients: BenchClient[] = [];
  const hostile = { sockets: new Set<WebSocket>(), streams: new Set<net.Socket>() };
  const timers: NodeJS.Timeout[] = [];
  let server: PeerProcess | undefined;
  try {
    server = await procs.start('roundtable', { DATA_DIR: procs.tempDir('rt-soak-') });
    const port = server.port;
    const rooms = await server.prepareRooms(sessions);
    const eventId = await sessionEvent(port, rooms[0]!);
    const serverUrl = `ws://127.0.0.1:${port}/collab`;
    const make = (room: RoomAccess, role: 'read' | 'write', i: number) =>
      connectBenchClient({ protocol: 'y-websocket', serverUrl, room, role, userName: role === 'write' ? `Note-taker ${i + 1}` : undefined });
    const readers: BenchClient[][] = [];
    const writers: SoakWriter[][] = [];
    for (const room of rooms) {
      readers.push(await connectMany(clients, readersPer, (i) => make(room, 'read', i)));
      writers.push((await connectMany(clients, writersPer, (i) => make(room, 'write', i))).map((c) => new SoakWriter(c)));
    }

    // Typing: every note-taker at `rate` keystrokes a second, spread over time.
    const allWriters = writers.flat();
    let turn = 0;
    const perTick = Math.max(1, Math.round((allWriters.length * rate) / 20));
    timers.push(
      setInterval(() => {
        for (let k = 0; k < perTick; k++) allWriters[turn++ % allWriters.length]!.type();
      }, 50),
    );

    // Waves of hostile clients: sockets and streams that never read (left for the server to deal with,
    // then dropped by us a wave later), and a storm of clients that connect, sync and leave.
    let waves = 0;
    const wave = () => {
      waves++;
      for (const ws of [...hostile.sockets]) {
        ws.terminate();
        hostile.sockets.delete(ws);
      }
      for (const s of [...hostile.streams]) {
        s.destroy();
        hostile.streams.delete(s);
      }
      for (let i = 0; i < slowPerWave; i++) hostile.sockets.add(slowReader(port, rooms[(waves + i) % rooms.length]!));
      for (let i = 0; i < ssePerWave; i++) hostile.streams.add(sseHoarder(port, eventId, rooms[0]!.readParams.token!));
      const storm: BenchClient[] = [];
      for (let i = 0; i < stormPerWave; i++) storm.push(make(rooms[i % rooms.length]!, i % 3 === 0 ? 'write' : 'read', i));
      void waitUntil(() => storm.every((c) => c.ready()), 30_000, 'storm clients')
        .catch(() => undefined)
        .finally(() => storm.forEach((c) => c.destroy()));
    };
    timers.push(setInterval(wave, waveMs));

    const samples: Sample[] = [];
    const started = performance.now();
    const sample = async () => {
      const rss = await server!.request<number>('rss');
      samples.push({ minute: (performance.now() - started) / 60_000, rssMiB: rss / MiB, hostileOpen: hostile.sockets.size + hostile.streams.size, waves });
      console.info(`  soak ${samples.at(-1)!.minute.toFixed(1)} min: RSS ${(rss / MiB).toFixed(0)} MiB, ${waves} waves`);
    };
    await sample();
    timers.push(setInterval(() => void sample().catch(() => undefined), sampleMs));
    await new Promise((r) => setTimeout(r, minutes * 60_000));
    for (const t of timers.splice(0)) clearInterval(t);
    await sample();

    // Everyone must still hold every note-taker's paragraph, as the note-taker has it.
    let behind = 0;
    await waitUntil(
      () => {
        behind = 0;
        for (let r = 0; r < rooms.length; r++) {
          for (const w of writers[r]!) {
            const want = Y.getState(w.client.doc.store, w.clientId);
            for (const c of readers[r]!) if (Y.getState(c.doc.store, w.clientId) < want) behind++;
          }
        }
        return behind === 0;
      },
      60_000,
      'readers to catch up',
    ).catch(() => undefined);

    const first = samples[0]!.rssMiB;
    const half = samples.filter((s) => s.minute >= minutes / 2);
    const secondHalfGrowth = half.length > 1 ? half.at(-1)!.rssMiB - half[0]!.rssMiB : Number.NaN;
    const peak = Math.max(...samples.map((s) => s.rssMiB));
    return [
      {
        title: `Soak: ${minutes} min of ${sessions} sessions × (${writersPer} writers + ${readersPer} readers), hostile waves every ${waveMs / 1000} s`,
        columns: ['minute', 'server RSS (MiB)', 'vs. start (MiB)', 'hostile sockets open', 'waves so far'],
        rows: samples.map((s) => [Number(s.minute.toFixed(1)), Math.round(s.rssMiB), Math.round(s.rssMiB - first), s.hostileOpen, s.waves]),
        notes: [
          `Each wave: ${slowPerWave} WebSockets and ${ssePerWave} event streams that never read (dropped by the client a wave later), and ${stormPerWave} clients that connect, sync and leave.`,
          `Peak RSS ${peak.toFixed(0)} MiB; growth over the second half ${secondHalfGrowth.toFixed(1)} MiB; ${behind} reader×writer pairs behind at the end (0 means every reader converged).`,
        ],
      },
    ];
  } finally {
    for (const t of timers) clearInterval(t);
    for (const ws of hostile.sockets) ws.terminate();
    for (const s of hostile.streams) s.destroy();
    for (const c of clients) c.destroy();
    await server?.stop().catch(() => undefined);
    await procs.dispose();
  }
}

const bench: Bench = {
  name: 'soak',
  onlyWhenNamed: true,
  run: soak,
};
export default bench;
