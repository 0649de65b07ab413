import fs from 'node:fs';
import { createApiClient } from '../shared/api/client.js';
import type { Bench, BenchTable } from './table.js';
import { connectBenchClient, connectMany, waitUntil, type BenchClient } from './lib/clients.js';
import { Typist, typeAll } from './lib/keystrokes.js';
import { envInt, MiB } from './lib/numbers.js';
import type { RoomAccess } from './lib/peerChild.js';
import { PeerProcesses } from './lib/peerProcess.js';
import { ensureServerBuild, startMeasuredServer } from './compiledServer.js';

/**
 * Memory of the server process (RSS from /proc, every thread included) at the
 * moments the issue names: at start, with the Ops Meetup load open (26
 * sessions × (4 note-takers + 10 readers)), while they type, and after an
 * event export (every format, rendered in worker threads); then 500 sessions
 * with 2 idle readers each, and the CPU the server spends while nobody does
 * anything. Roundtable runs as `npm start` runs it (compiled JavaScript, with
 * package.json's node flags and glibc's malloc setting), with glibc's default
 * malloc (what the setting saves), and without either (V8's and glibc's
 * defaults: what both save, and what they cost in CPU while typing), next to
 * the bare byte relay in the same run.
 *
 * Environment: BENCH_MEM_REPEAT (runs per server [3]), BENCH_IDLE_SESSIONS
 * [500], BENCH_IDLE_SECONDS [20].
 */

interface Target {
  label: string;
  port: number;
  wsUrl: string;
  readyWhenOpen: boolean;
  rssBytes(): number;
  cpuMs(): number;
  rooms(count: number): Promise<RoomAccess[]>;
  /** Renders one event's minutes in every format (Roundtable only). */
  exportAll?(): Promise<void>;
  stop(): Promise<void>;
}

interface Kind {
  label: string;
  start(procs: PeerProcesses): Promise<Target>;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

function cpuOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

const LABELS = {
  compiled: "Roundtable (npm start: compiled, its node flags and malloc setting)",
  'default-malloc': "Roundtable, npm start's node flags with glibc's default malloc (no GLIBC_TUNABLES)",
  'compiled-no-flags': "Roundtable compiled, without npm start's node flags or malloc setting (V8's and glibc's defaults)",
};

/** What each kind leaves out of npm start: its environment (glibc's malloc setting), its node flags. */
const START_OPTIONS: Record<keyof typeof LABELS, { nodeFlags?: string[]; startEnv?: Record<string, string> }> = {
  compiled: {},
  'default-malloc': { startEnv: {} },
  'compiled-no-flags': { nodeFlags: [], startEnv: {} },
};

function roundtable(how: keyof typeof LABELS): Kind {
  return {
    label: LABELS[how],
    async start(procs) {
      const dataDir = procs.tempDir('rt-mem-');
      const server = await startMeasuredServer(dataDir, 'compiled', {}, START_OPTIONS[how]);
      const api = createApiClient({ baseUrl: server.url });
      const created = await api.createEvent({ title: 'Memory bench' });
      const moderator = api.as(created.tokens.moderate);
      return {
        label: this.label,
        port: server.port,
        wsUrl: server.wsUrl,
        readyWhenOpen: false,
        rssBytes: server.rssBytes,
        cpuMs: server.cpuMs,
        async rooms(count) {
          const out: RoomAccess[] = [];
          for (let i = 0; i < count; i++) {
            const session = await moderator.createSession(created.event.id, { title: `Session ${i + 1}` });
            out.push({ name: session.id, writeParams: { token: created.tokens.edit }, readParams: { token: created.tokens.view } });
          }
          return out;
        },
        async exportAll() {
          const res = await fetch(`${server.url}/api/events/${created.event.id}/minutes?format=zip`, { headers: { authorization: `Bearer ${created.tokens.view}` } });
          if (res.status !== 200) throw new Error(`export: HTTP ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
        },
        stop: () => server.stop(),
      };
    },
  };
}

const relay: Kind = {
  label: 'bare byte relay',
  async start(procs) {
    const peer = await procs.start('relay');
    return {
      label: this.label,
      port: peer.port,
      wsUrl: `ws://127.0.0.1:${peer.port}`,
      readyWhenOpen: true,
      rssBytes: () => rssOf(peer.pid),
      cpuMs: () => cpuOf(peer.pid),
      rooms: (count) => peer.prepareRooms(count),
      stop: () => peer.stop(),
    };
  },
};

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (b: number) => b / MiB;

/** The Ops Meetup load: RSS at start, open, typing (peak), after an export and once its workers went idle. */
async function meetup(kind: Kind, procs: PeerProcesses) {
  const t = await kind.start(procs);
  const clients: BenchClient[] = [];
  try {
    await settle(1000);
    const atStart = t.rssBytes();
    const rooms = await t.rooms(26);
    const typists: Typist[] = [];
    const groups: { members: BenchClient[]; typists: Typist[] }[] = [];
    for (const [r, room] of rooms.entries()) {
      const base = { protocol: 'y-websocket' as const, serverUrl: t.wsUrl, room, readyWhenOpen: t.readyWhenOpen };
      const readers = await connectMany(clients, 10, () => connectBenchClient({ ...base, role: 'read' }));
      const writers = await connectMany(clients, 4, (i) => connectBenchClient({ ...base, role: 'write', userName: `writer ${r}.${i}` }));
      const own = writers.map((w) => new Typist(w.doc));
      typists.push(...own);
      groups.push({ members: [...readers, ...writers], typists: own });
    }
    for (const typist of typists) typist.createParagraph();
    await waitUntil(() => groups.every((g) => g.typists.every((ty) => g.members.every((c) => ty.deliveredTo(c.doc, true)))), 30_000, 'every paragraph to reach its room');
    await settle(1000);
    const open = t.rssBytes();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, t.rssBytes())), 100);
    const cpu0 = t.cpuMs();
    // 104 note-takers, 4 keystrokes a second each, for 15 s.
    const perWriter = envInt('BENCH_MEM_KEYSTROKES', 60);
    await typeAll(typists, perWriter, 4);
    await waitUntil(() => groups.every((g) => g.typists.every((ty) => g.members.every((c) => ty.deliveredTo(c.doc)))), 30_000, 'every keystroke to reach its room');
    // The price of a smaller heap, if any, is CPU: server CPU (every thread) per keystroke typed, until all were delivered.
    const typingCpuUs = ((t.cpuMs() - cpu0) * 1000) / (typists.length * perWriter);
    await settle(500);
    clearInterval(sampler);
    peak = Math.max(peak, t.rssBytes());
    let afterExport = Number.NaN;
    let exportIdle = Number.NaN;
    if (t.exportAll) {
      await t.exportAll();
      afterExport = t.rssBytes();
      // The export workers stop after 10 s without work.
      await settle(12_000);
      exportIdle = t.rssBytes();
    }
    return { atStart: mib(atStart), open: mib(open), typing: mib(peak), typingCpuUs, afterExport: mib(afterExport), exportIdle: mib(exportIdle) };
  } finally {
    for (const c of clients) c.destroy();
    await t.stop();
  }
}

/** Idle CPU is also read in slices this long (/proc counts CPU in 10 ms ticks: 4 ms/s resolution). */
const IDLE_SLICE_MS = 2500;

/** 500 sessions with 2 idle readers each: RSS, and CPU over a quiet window. */
async function idleSessions(kind: Kind, procs: PeerProcesses, sessions: number, seconds: number) {
  const t = await kind.start(procs);
  const clients: BenchClient[] = [];
  try {
    const rooms = await t.rooms(sessions);
    for (const room of rooms) {
      const base = { protocol: 'y-websocket' as const, serverUrl: t.wsUrl, room, readyWhenOpen: t.readyWhenOpen, role: 'read' as const };
      clients.push(connectBenchClient(base), connectBenchClient(base));
      if (clients.length % 100 === 0) await waitUntil(() => clients.every((c) => c.ready()), 60_000, 'readers to sync');
    }
    await waitUntil(() => clients.every((c) => c.ready()), 60_000, 'readers to sync');
    await settle(2000);
    const cpu0 = t.cpuMs();
    const started = performance.now();
    let peak = 0;
    // CPU per slice as well as over the window: one collection landing in the window (V8 shrinking
    // the heap once allocation stops) is one slice, where a timer that keeps waking the server is all of them.
    const slices: number[] = [];
    let sliceStart = { at: started, cpu: cpu0 };
    while (performance.now() - started < seconds * 1000) {
      peak = Math.max(peak, t.rssBytes());
      await settle(250);
      const now = performance.now();
      if (now - sliceStart.at >= IDLE_SLICE_MS) {
        const cpu = t.cpuMs();
        slices.push((cpu - sliceStart.cpu) / ((now - sliceStart.at) / 1000));
        sliceStart = { at: now, cpu };
      }
    }
    const cpuMsPerS = (t.cpuMs() - cpu0) / ((performance.now() - started) / 1000);
    return { rss: mib(t.rssBytes()), peak: mib(peak), cpuMsPerS, sliceMedian: median(slices), sliceMax: Math.max(...slices), clients: clients.length };
  } finally {
    for (const c of clients) c.destroy();
    await t.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
function summary(xs: number[], digits = 0): string {
  if (xs.every((x) => Number.isNaN(x))) return '-';
  const f = (x: number) => x.toFixed(digits);
  return `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
}

const bench: Bench = {
  name: 'memory',
  async run(): Promise<BenchTable[]> {
    ensureServerBuild();
    const repeat = Math.max(1, envInt('BENCH_MEM_REPEAT', 3));
    const sessions = envInt('BENCH_IDLE_SESSIONS', 500);
    const seconds = envInt('BENCH_IDLE_SECONDS', 20);
    const kinds = [roundtable('compiled'), roundtable('default-malloc'), roundtable('compiled-no-flags'), relay];
    const procs = new PeerProcesses();
    const meetups = new Map<Kind, Awaited<ReturnType<typeof meetup>>[]>();
    const idles = new Map<Kind, Awaited<ReturnType<typeof idleSessions>>[]>();
    // Interleaved, so load from elsewhere on the machine falls on every server alike.
    for (let i = 0; i < repeat; i++) {
      for (const kind of kinds) meetups.set(kind, [...(meetups.get(kind) ?? []), await meetup(kind, procs)]);
      for (const kind of kinds) idles.set(kind, [...(idles.get(kind) ?? []), await idleSessions(kind, procs, sessions, seconds)]);
    }
    const relayTyping = median(meetups.get(relay)!.map((m) => m.typing));
    const relayCpu = median(meetups.get(relay)!.map((m) => m.typingCpuUs));
    return [
      {
        title: 'Server RSS (MiB), 26 sessions × (4 note-takers + 10 readers): median (range)',
        columns: ['server', 'at start', '26 sessions open', 'while typing (peak)', 'typing vs relay', 'CPU µs / keystroke typed', 'CPU vs relay', 'right after an event export (zip: every format)', '12 s later (export workers stopped)'],
        rows: kinds.map((k) => {
          const ms = meetups.get(k)!;
          return [
            k.label,
            summary(ms.map((m) => m.atStart)),
            summary(ms.map((m) => m.open)),
            summary(ms.map((m) => m.typing)),
            `${(median(ms.map((m) => m.typing)) / relayTyping).toFixed(2)}×`,
            summary(ms.map((m) => m.typingCpuUs)),
            `${(median(ms.map((m) => m.typingCpuUs)) / relayCpu).toFixed(2)}×`,
            summary(ms.map((m) => m.afterExport)),
            summary(ms.map((m) => m.exportIdle)),
          ];
        }),
        notes: [
          `${repeat} runs per server, interleaved. RSS of the server process from /proc (all its threads). Typing: 104 note-takers, 4 keystrokes/s each, ${envInt('BENCH_MEM_KEYSTROKES', 60)} each; peak sampled every 100 ms. CPU: the server's (utime + stime, every thread) from the first keystroke until every keystroke reached every client of its room, per keystroke typed.`,
          `The relay runs as plain JavaScript, as every peer of the benches does (compiled next to dist-server; before 2026-12-06 it ran under tsx, whose loader added 45–60 MiB to its RSS). npm start sets GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072: with glibc's default, freeing one large block (which happens while the server starts) raises the threshold for good, and memory freed later mostly stays with the process.`,
        ],
      },
      {
        title: `${sessions} sessions open, 2 idle readers each (${sessions * 2} sockets): median (range)`,
        columns: ['server', 'RSS MiB', 'peak RSS MiB over the quiet window', `CPU ms / s while idle (${seconds} s)`, `median ${IDLE_SLICE_MS / 1000} s slice`, 'busiest slice'],
        rows: kinds.map((k) => {
          const is = idles.get(k)!;
          return [
            k.label,
            summary(is.map((x) => x.rss)),
            summary(is.map((x) => x.peak)),
            summary(is.map((x) => x.cpuMsPerS), 1),
            summary(is.map((x) => x.sliceMedian), 1),
            summary(is.map((x) => x.sliceMax), 1),
          ];
        }),
        notes: [
          `CPU from /proc (utime + stime, every thread) over the window, after every reader synced and 2 s of quiet, and in ${IDLE_SLICE_MS / 1000} s slices of it (median and busiest slice: a collection that lands in the window once is one busy slice; a timer that keeps the server awake shows in the median). Readers publish no presence.`,
        ],
      },
    ];
  },
};

export default bench;
