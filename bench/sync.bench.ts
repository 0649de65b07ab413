import fs from 'node:fs';
import path from 'node:path';
import { npmStartProcess } from './compiledServer.js';
import type { Bench, BenchTable } from './table.js';
import { profileBreakdown, type Breakdown, type CpuProfile } from './lib/profileBreakdown.js';
import { withSourcePaths } from './lib/profileSources.js';
import { connectBenchClient, connectMany, waitUntil, type BenchClient, type Protocol } from './lib/clients.js';
import { typeAll, Typist, watchLatency } from './lib/keystrokes.js';
import { envInt, envList, MiB, orDash, quantile } from './lib/numbers.js';
import { PeerProcesses } from './lib/peerProcess.js';

/**
 * Server CPU per delivered keystroke, keystroke-to-reader latency and memory,
 * with real clients (stock y-websocket providers; Hocuspocus' own provider)
 * against Roundtable, the y-websocket reference server, Hocuspocus and a bare
 * byte relay. Every server runs alone in a child process, so its CPU time is
 * its own; all clients share this process.
 *
 * Environment (defaults in brackets):
 *   BENCH_PEERS            servers to run [roundtable,y-websocket,hocuspocus,relay,relay-durable,yjs-durable]
 *                          (relay-durable: the relay appending every frame to a file and fdatasync-ing it
 *                          before it forwards, paced like Roundtable's commits: the floor with durability;
 *                          yjs-durable: the y-websocket protocol on in-memory Y.Docs, durable the same way:
 *                          the floor for a Yjs server that syncs before it broadcasts); roundtable-inline
 *                          is Roundtable with its document writes and their fsync blocking the event loop
 *                          (the design before the storage writer thread); roundtable-thread is Roundtable
 *                          with STORAGE_WRITER=thread (the default until 2026-12-06); roundtable-arena2
 *                          is Roundtable with glibc's MALLOC_ARENA_MAX=2 (tried, not kept: in the 26-session
 *                          scenario it cost 17% more CPU and 14 MiB more RSS); roundtable-paced
 *                          is Roundtable with COMMIT_PACE_MS=10 (the default since 2026-12-05: the same as
 *                          roundtable unless COMMIT_PACE_MS is set for the bench); roundtable-reader-relay is
 *                          Roundtable with READER_RELAY_MS=50 (readers get commits merged; default off);
 *                          roundtable-files is Roundtable on dist-server's per-file modules, as npm start ran
 *                          before its main thread was bundled; roundtable-no-features is Roundtable without
 *                          the room extensions that work on committed batches (history, tagger, search,
 *                          note-takers, notes today, metrics, live-count announcements: what they cost)
 *   BENCH_READERS          reader counts of the one-session scenarios, or none [300,1000]
 *   BENCH_WRITERS          note-takers in the one-session scenarios [20]
 *   BENCH_KEYSTROKES       keystrokes per note-taker [20]
 *   BENCH_WARMUP           keystrokes per note-taker typed (at 4× the rate) before the measured window,
 *                          so every server is measured warm: JIT-compiled, caches filled, as during an
 *                          event that runs for hours [40]; 0 measures from a cold start
 *   BENCH_RATE             keystrokes per second per note-taker [2.5]
 *   BENCH_MAX_DELIVERIES   cap on deliveries per second; the rate is lowered to stay
 *                          under it, so the clients (all in this process) keep up [25000]
 *   BENCH_EVENT_SESSIONS   sessions in the event scenario, 0 to skip [26]
 *   BENCH_EVENT_WRITERS    note-takers per session there [4]
 *   BENCH_EVENT_READERS    readers per session there [10]
 *   BENCH_REPEAT           runs of each server in each scenario; the table shows the median and range [3]
 *   BENCH_SCALING          session counts of the scaling table (sessions × (4 + 10)), or none [1,10,26,100]
 *   BENCH_SCALING_PEERS    servers in the scaling table [roundtable,relay,relay-durable]
 *   BENCH_CPU_PROF         folder: write a CPU profile of each server's measured window, and print
 *                          where Roundtable's event loop spent it (decode/validate, apply, storage, …)
 *   BENCH_HEAP_PROF=1      with BENCH_CPU_PROF: a sampling heap profile of the window (what it allocates, <name>-<pid>-<n>.heapprofile) instead
 *   BENCH_THREADS=1        print each server thread's user and system CPU over the window (main, writer, V8 helpers)
 *   BENCH_NODE_ARGS        extra node flags for the servers (e.g. --perf-basic-prof-only-functions, to read `perf record`)
 *   BENCH_UNSAFE_SYNC_NORMAL=1  Roundtable without fsync, to price durability (diagnostic only)
 */

interface PeerDef {
  id: string;
  label: string;
  script: string;
  protocol: Protocol;
  path: string;
  /** A relay never answers SyncStep1: clients count as ready once open. */
  readyWhenOpen: boolean;
  storage: string;
  /** Extra environment for the peer's process. */
  env?: Record<string, string>;
}

/** The room extensions roundtable-no-features leaves out (their `name`s). */
const FEATURE_EXTENSIONS = ['history', 'action-item tagger', 'search indexer', 'note-takers', 'notes today', 'metrics', 'announce live counts'];

const PEERS: PeerDef[] = [
  { id: 'roundtable', label: 'Roundtable', script: 'roundtable', protocol: 'y-websocket', path: '/collab', readyWhenOpen: false, storage: 'SQLite, fsync per commit' },
  // The design before the writer thread, for before/after in one run (not in the default list).
  { id: 'roundtable-arena2', label: 'Roundtable, MALLOC_ARENA_MAX=2', script: 'roundtable', protocol: 'y-websocket', path: '/collab', readyWhenOpen: false, storage: 'SQLite, fsync per commit', env: { MALLOC_ARENA_MAX: '2' } },
  { id: 'roundtable-thread', label: 'Roundtable, STORAGE_WRITER=thread', script: 'roundtable', protocol: 'y-websocket', path: '/collab', readyWhenOpen: false, storage: 'SQLite, fsync per commit', env: { STORAGE_WRITER: 'thread' } },
  { id: 'roundtable-inline', label: 'Roundtable, writes on the event loop', script: 'roundtable', protocol: 'y-websocket', path: '/collab', readyWhenOpen: false, storage: 'SQLite, fsync per commit', env: { BENCH_DOC_WRITES: 'event-loop' } },
  { id: 'roundtable-paced', label: 'Roundtable, commits paced 10 ms', script: 'roundtable', protocol: 'y-websocket', path: '/collab', readyWhenOpen: false, storage: 'SQLite, fsync per commit', env: { COMMIT_PACE_MS: '10' } },
  // Readers get commits merged (READER_RELAY_MS, off by default), for a before/after in one run (not in the default list).
  { id: 'roundtable-reader-relay', label: 'Roundtable, reader relay 50 ms', script: 'roundtable', protocol: 'y-websocket', path: '/collab', readyWhenOpen: false, storage: 'SQLite, fsync per commit', env: { READER_RELAY_MS: '50' } },
  // Roundtable without the features that work on committed batches (history, tagger, search, note-takers, notes today, metrics, live-count announcements),
  // to price them in one run (not in the default list): what is left is validation, SQLite and the fan-out.
  { id: 'roundtable-no-features', label: 'Roundtable without its batch features', script: 'roundtable', protocol: 'y-websocket', path: '/collab', readyWhenOpen: false, storage: 'SQLite, fsync per commit', env: { BENCH_OMIT_EXTENSIONS: FEATURE_EXTENSIONS.join(',') } },
  // npm start's main thread before it was bundled (dist-server's per-file modules), for a before/after in one run (not in the default list).
  { id: 'roundtable-files', label: 'Roundtable, per-file modules (not bundled)', script: 'roundtable-files', protocol: 'y-websocket', path: '/collab', readyWhenOpen: false, storage: 'SQLite, fsync per commit' },
  { id: 'y-websocket', label: 'y-websocket server 0.1.1', script: 'yWebsocket', protocol: 'y-websocket', path: '', readyWhenOpen: false, storage: 'memory' },
  { id: 'hocuspocus', label: 'Hocuspocus 4', script: 'hocuspocus', protocol: 'hocuspocus', path: '', readyWhenOpen: false, storage: 'memory' },
  { id: 'relay', label: 'bare byte relay', script: 'relay', protocol: 'y-websocket', path: '', readyWhenOpen: true, storage: 'none' },
  // The relay made durable the cheapest way (append + fdatasync per paced group commit, then forward): the floor under "durable before anyone sees it".
  { id: 'relay-durable', label: 'durable byte relay', script: 'durableRelay', protocol: 'y-websocket', path: '', readyWhenOpen: true, storage: 'log file, fdatasync per commit' },
  // The y-websocket protocol on in-memory Y.Docs, durable the same way: the floor for a Yjs server that syncs before it broadcasts.
  { id: 'yjs-durable', label: 'durable Yjs server', script: 'durableYjs', protocol: 'y-websocket', path: '', readyWhenOpen: false, storage: 'log file, fdatasync per commit' },
];

/**
 * The warm-up runs faster than the window: what V8 needs before it stops compiling is calls, not time
 * (10 keystrokes per note-taker left a third of Roundtable's window CPU in TurboFan's threads; 40 about a tenth).
 */
const WARMUP_SPEED = 4;

interface Scenario {
  title: string;
  rooms: number;
  writersPerRoom: number;
  readersPerRoom: number;
  keystrokes: number;
  /** Keystrokes per note-taker typed before the measured window (BENCH_WARMUP). */
  warmup: number;
  rate: number;
}

interface Result {
  peer: PeerDef;
  clients: number;
  keystrokes: number;
  delivered: number;
  complete: boolean;
  seconds: number;
  cpuMs: number;
  /** Of which the event loop's own thread (NaN where the OS does not tell). */
  mainCpuMs: number;
  usPerDelivered: number;
  p50: number;
  p99: number;
  /** CPU of this (client) process during the window, in cores: near 1 means the clients were the bottleneck. */
  clientCores: number;
  framesPerReader: number;
  rssMiB: number;
  /** With repeats: the lowest and highest RSS while typing. */
  rssRange?: [number, number];
  peakRssMiB: number;
  /** The CPU profile of the window (BENCH_CPU_PROF), if one was written. */
  profile?: string;
  /** With repeats: the lowest and highest µs CPU / delivered, and how many runs. */
  range?: [number, number];
  runs?: number;
  error?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** One row from repeated runs: the run with the median CPU per delivery, latencies and RSS as medians, the ranges kept. */
function combine(runs: Result[]): Result {
  const us = runs.map((r) => r.usPerDelivered);
  const mid = runs.find((r) => r.usPerDelivered === median(us))!;
  return {
    ...mid,
    complete: runs.every((r) => r.complete),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    rssMiB: median(runs.map((r) => r.rssMiB)),
    rssRange: [Math.min(...runs.map((r) => r.rssMiB)), Math.max(...runs.map((r) => r.rssMiB))],
    peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
    range: [Math.min(...us), Math.max(...us)],
    runs: runs.length,
  };
}

function newestProfile(dir: string | undefined, name: string, pid: number): string | undefined {
  if (!dir || !fs.existsSync(dir)) return undefined;
  const files = fs.readdirSync(dir).filter((f) => f.startsWith(`${name}-${pid}-`) && f.endsWith('.cpuprofile'));
  const newest = files.map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  return newest;
}

async function runScenario(procs: PeerProcesses, peer: PeerDef, sc: Scenario): Promise<Result> {
  // Roundtable's SQLite file goes where the parent can always remove it, even after a kill.
  // Roundtable with npm start's node flags (V8's heap sizing) and environment (glibc's malloc setting), as it runs in production.
  const roundtable = peer.script.startsWith('roundtable');
  const npmStart = roundtable ? npmStartProcess() : { nodeFlags: [], env: {} };
  const server = await procs.start(peer.script, { ...npmStart.env, ...(roundtable ? { DATA_DIR: procs.tempDir('rt-bench-') } : {}), ...peer.env }, npmStart.nodeFlags);
  const clients: BenchClient[] = [];
  const rssProbe: number[] = [];
  try {
    const rooms = await server.prepareRooms(sc.rooms);
    const serverUrl = `ws://127.0.0.1:${server.port}${peer.path}`;
    const make = (room: (typeof rooms)[number], role: 'read' | 'write', i: number) =>
      connectBenchClient({
        protocol: peer.protocol,
        serverUrl,
        room,
        role,
        readyWhenOpen: peer.readyWhenOpen,
        userName: role === 'write' ? `Note-taker ${i + 1}` : undefined,
      });

    // Readers join first: a relay forwards only what happens after a socket joined.
    const readersByRoom: BenchClient[][] = [];
    for (const room of rooms) readersByRoom.push(await connectMany(clients, sc.readersPerRoom, (i) => make(room, 'read', i)));
    const typistsByRoom: Typist[][] = [];
    for (const room of rooms) {
      const writers = await connectMany(clients, sc.writersPerRoom, (i) => make(room, 'write', i));
      typistsByRoom.push(writers.map((w) => new Typist(w.doc)));
    }
    // On a relay nobody holds earlier state: writers must see each other before writing.
    for (const t of typistsByRoom.flat()) t.createParagraph();
    const everyone = rooms.map((_, r) => [...readersByRoom[r]!, ...typistsByRoom[r]!.map((t) => ({ doc: t.doc }))]);
    await waitUntil(
      () => everyone.every((docs, r) => typistsByRoom[r]!.every((t) => docs.every((c) => t.deliveredTo(c.doc, true)))),
      60_000,
      'every paragraph to reach every client',
    );

    const allTypists = typistsByRoom.flat();
    const everyKeystrokeArrived = () => everyone.every((docs, r) => typistsByRoom[r]!.every((t) => docs.every((c) => t.deliveredTo(c.doc))));
    if (sc.warmup > 0) {
      // The same load as the window, unmeasured: V8 compiles the hot paths while it runs, once per process.
      await typeAll(allTypists, sc.warmup, sc.rate * WARMUP_SPEED);
      await waitUntil(everyKeystrokeArrived, 120_000, 'every warm-up keystroke to reach every client');
    }

    const samples: number[] = [];
    const counters = readersByRoom.flatMap((readers, r) => readers.map((c) => watchLatency(c.doc, typistsByRoom[r]!, samples)));
    // Let set-up traffic (and Roundtable's debounced action-item pass) finish before measuring.
    await new Promise((r) => setTimeout(r, 1500));
    await server.mark();
    const started = performance.now();
    const clientCpu = process.cpuUsage();
    const rssTimer = setInterval(() => {
      server.request<number>('rss').then((rss) => rssProbe.push(rss), () => undefined);
    }, 1000);
    await typeAll(allTypists, sc.keystrokes, sc.rate);
    let complete = true;
    try {
      await waitUntil(everyKeystrokeArrived, 120_000, 'every keystroke to reach every client');
    } catch {
      complete = false;
    }
    const seconds = (performance.now() - started) / 1000;
    const clientUsage = process.cpuUsage(clientCpu);
    clearInterval(rssTimer);
    const stats = await server.stats();
    rssProbe.push(stats.rssBytes);

    const keystrokes = allTypists.length * sc.keystrokes;
    const perRoomClients = sc.readersPerRoom + sc.writersPerRoom;
    const delivered = keystrokes * (perRoomClients - 1);
    const readerCount = counters.length;
    return {
      peer,
      clients: clients.length,
      keystrokes,
      delivered,
      complete,
      seconds,
      cpuMs: stats.cpuUs / 1000,
      mainCpuMs: stats.mainThreadCpuUs / 1000,
      usPerDelivered: stats.cpuUs / delivered,
      p50: quantile(samples, 0.5),
      p99: quantile(samples, 0.99),
      clientCores: (clientUsage.user + clientUsage.system) / 1e6 / seconds,
      framesPerReader: readerCount ? counters.reduce((a, c) => a + c.updates(), 0) / readerCount : Number.NaN,
      rssMiB: Math.max(...rssProbe) / MiB,
      peakRssMiB: stats.maxRssBytes / MiB,
      profile: newestProfile(process.env.BENCH_CPU_PROF, peer.script, server.pid),
    };
  } finally {
    for (const c of clients) c.destroy();
    await server.stop();
  }
}

/** CPU per delivered keystroke of `r` as a multiple of `base`'s, when both ran. */
function ratio(r: Result | undefined, base: Result | undefined): string {
  return r && base ? `${(r.usPerDelivered / base.usPerDelivered).toFixed(2)}×` : '-';
}

function toTable(sc: Scenario, results: Result[], failures: string[]): BenchTable {
  const relay = results.find((r) => r.peer.id === 'relay');
  const durable = results.find((r) => r.peer.id === 'relay-durable');
  const durableYjs = results.find((r) => r.peer.id === 'yjs-durable');
  return {
    title: sc.title,
    columns: [
      'server',
      'storage',
      'clients',
      'keystrokes',
      'delivered',
      'server CPU ms',
      'of it event loop',
      'µs CPU / delivered',
      'range',
      'vs relay',
      'vs durable relay',
      'vs durable Yjs',
      'p50 ms',
      'p99 ms',
      'bench CPU',
      'updates / reader',
      'RSS MiB',
      'peak RSS MiB',
    ],
    rows: results.map((r) => [
      r.peer.label + (r.complete ? '' : ' (INCOMPLETE)'),
      r.peer.storage,
      r.clients,
      r.keystrokes,
      r.delivered,
      r.cpuMs,
      orDash(r.mainCpuMs),
      r.usPerDelivered,
      r.range ? `${r.range[0].toFixed(1)}–${r.range[1].toFixed(1)} (${r.runs})` : '-',
      ratio(r, relay),
      ratio(r, durable),
      ratio(r, durableYjs),
      orDash(r.p50),
      orDash(r.p99),
      `${Math.round(r.clientCores * 100)}%`,
      orDash(r.framesPerReader),
      r.rssRange ? `${r.rssMiB.toFixed(1)} (${r.rssRange[0].toFixed(1)}–${r.rssRange[1].toFixed(1)})` : r.rssMiB,
      r.peakRssMiB,
    ]),
    notes: [
      `${sc.rooms} session(s) × (${sc.writersPerRoom} note-takers + ${sc.readersPerRoom} readers); ${sc.keystrokes} keystrokes per note-taker at ${sc.rate.toFixed(2)}/s (${Math.round(sc.rate * sc.rooms * sc.writersPerRoom * (sc.writersPerRoom + sc.readersPerRoom - 1)).toLocaleString('en-US')} deliveries/s offered), measured after ${sc.warmup} warm-up keystrokes per note-taker at ${WARMUP_SPEED}× that rate (BENCH_WARMUP; 0 measures cold).`,
      'delivered = keystrokes × (clients in the session − 1). µs CPU / delivered = server process CPU (user+system, every thread, from the first keystroke until every client holds every keystroke) ÷ delivered: the median of the runs, with the lowest–highest (number of runs). "of it event loop" is the main thread alone (Linux); the rest is the storage writer thread, V8\'s GC and compiler threads.',
      'Latency is keystroke → applied in a reader\'s Y.Doc, over all readers. Every client runs in this one bench process: "bench CPU" is its CPU during the window (100% = one core); near 100% the clients, not the server, set the latency, and slow readers let merging servers merge more.',
      'updates / reader = document updates each reader applied (fewer than keystrokes when a server merges them). RSS is the highest sample while typing (MiB), the median of the runs (lowest–highest); peak RSS is the process\'s high-water mark over the whole run, set-up included — the highest of the runs.',
      'Clients: stock y-websocket WebsocketProvider (Roundtable: edit link for note-takers, view link for readers), @hocuspocus/provider for Hocuspocus, one socket each. Readers publish no presence. The relay\'s readers join as listeners whose frames it drops (a relay cannot answer SyncStep1, so otherwise every peer would answer every joiner): its best case. The durable relay does the same, but appends each frame to a log file and forwards a group commit\'s frames only once an fdatasync of the file has returned (paced as Roundtable\'s commits, COMMIT_PACE_MS [10]): what "durable before anyone sees it" costs with no other work. The durable Yjs server speaks the y-websocket protocol on an in-memory Y.Doc per room (as the y-websocket server) and makes every update durable the same way before it broadcasts it: no validation, no SQLite, no features.',
      ...failures,
    ],
  };
}

function breakdownTable(sc: Scenario, rt: Result, b: Breakdown): BenchTable {
  return {
    title: `Where Roundtable's event loop spends it: ${sc.title}`,
    columns: ['stage', 'ms', '% of busy', 'µs / keystroke'],
    rows: b.stages.map((s) => [s.name, s.ms, `${((100 * s.ms) / b.busyMs).toFixed(1)}%`, (s.ms * 1000) / rt.keystrokes]),
    notes: [
      `From the CPU profile of the median run's measured window (${path.basename(rt.profile!)}): ${b.busyMs.toFixed(0)} ms busy, ${b.idleMs.toFixed(0)} ms idle or profiler. Each sample counts for the innermost stage on its stack (bench/lib/profileBreakdown.ts).`,
      'The event loop only: the storage writer thread (the SQLite transaction and its fsync) and V8\'s helper threads are not in it. Profiling itself slows the server: compare stages, not totals.',
    ],
  };
}

function scalingTable(counts: number[], peers: PeerDef[], rows: Result[][], failures: string[]): BenchTable {
  return {
    title: 'Scaling: sessions × (4 note-takers + 10 readers)',
    columns: ['sessions', ...peers.map((p) => `${p.label} µs / delivered`), 'Roundtable vs relay', 'Roundtable vs durable relay', 'Roundtable p99 ms', 'Roundtable RSS MiB'],
    rows: counts.map((n, i) => {
      const byPeer = (id: string) => rows[i]!.find((r) => r.peer.id === id);
      const rt = byPeer('roundtable');
      const relay = byPeer('relay');
      const durable = byPeer('relay-durable');
      return [
        n,
        ...peers.map((p) => {
          const r = byPeer(p.id);
          return r ? r.usPerDelivered : '-';
        }),
        ratio(rt, relay),
        ratio(rt, durable),
        rt ? orDash(rt.p99) : '-',
        rt ? rt.rssMiB : '-',
      ];
    }),
    notes: ['Same method as above (median of the runs). CPU per delivered keystroke should stay flat as sessions grow.', ...failures],
  };
}

const bench: Bench = {
  name: 'sync',
  async run() {
    const wanted = envList('BENCH_PEERS', ['roundtable', 'y-websocket', 'hocuspocus', 'relay', 'relay-durable', 'yjs-durable']);
    const peers = PEERS.filter((p) => wanted.includes(p.id));
    const writers = envInt('BENCH_WRITERS', 20);
    const keystrokes = envInt('BENCH_KEYSTROKES', 20);
    const warmup = envInt('BENCH_WARMUP', 40);
    const rate = Number(process.env.BENCH_RATE ?? 2.5);
    const maxDeliveries = envInt('BENCH_MAX_DELIVERIES', 25_000);
    const paced = (rooms: number, w: number, r: number) => Math.min(rate, maxDeliveries / (rooms * w * (w + r - 1)));
    const scenarios: Scenario[] = envList('BENCH_READERS', ['300', '1000']).map((n) => ({
      title: `One session: ${writers} note-takers + ${Number(n).toLocaleString('en-US')} readers`,
      rooms: 1,
      writersPerRoom: writers,
      readersPerRoom: Number(n),
      keystrokes,
      warmup,
      rate: paced(1, writers, Number(n)),
    }));
    const sessions = envInt('BENCH_EVENT_SESSIONS', 26);
    if (sessions > 0) {
      const w = envInt('BENCH_EVENT_WRITERS', 4);
      const r = envInt('BENCH_EVENT_READERS', 10);
      scenarios.push({
        title: `Event: ${sessions} sessions × (${w} note-takers + ${r} readers)`,
        rooms: sessions,
        writersPerRoom: w,
        readersPerRoom: r,
        keystrokes,
        warmup,
        rate: paced(sessions, w, r),
      });
    }
    // y-websocket's provider adds a process 'exit' listener per client.
    process.setMaxListeners(0);

    const repeat = Math.max(1, envInt('BENCH_REPEAT', 3));
    const procs = new PeerProcesses();
    const tables: BenchTable[] = [];
    const runPeers = async (sc: Scenario, which: PeerDef[]) => {
      const results: Result[] = [];
      const failures: string[] = [];
      // Round by round, every server once per round: a machine that drifts (page cache, a neighbour's
      // load) then shifts every server alike instead of whichever ran last.
      const runs = new Map<PeerDef, Result[]>(which.map((p) => [p, []]));
      for (let i = 0; i < repeat; i++) {
        for (const peer of which) {
          try {
            runs.get(peer)!.push(await runScenario(procs, peer, sc));
          } catch (err) {
            failures.push(`${peer.label}: FAILED: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      }
      for (const peer of which) if (runs.get(peer)!.length > 0) results.push(combine(runs.get(peer)!));
      return { results, failures };
    };
    try {
      for (const sc of scenarios) {
        const { results, failures } = await runPeers(sc, peers);
        console.info(`(${sc.title}: done)`);
        tables.push(toTable(sc, results, failures));
        const rt = results.find((r) => r.peer.id === 'roundtable');
        if (rt?.profile) tables.push(breakdownTable(sc, rt, profileBreakdown(withSourcePaths(JSON.parse(fs.readFileSync(rt.profile, 'utf8')) as CpuProfile))));
      }
      const scaling = envList('BENCH_SCALING', ['1', '10', '26', '100']).map(Number);
      if (scaling.length > 0) {
        const scalingPeers = PEERS.filter((p) => envList('BENCH_SCALING_PEERS', ['roundtable', 'relay', 'relay-durable']).includes(p.id));
        const rows: Result[][] = [];
        const failures: string[] = [];
        for (const n of scaling) {
          const sc: Scenario = { title: `${n} sessions`, rooms: n, writersPerRoom: 4, readersPerRoom: 10, keystrokes, warmup, rate: paced(n, 4, 10) };
          const out = await runPeers(sc, scalingPeers);
          rows.push(out.results);
          failures.push(...out.failures.map((f) => `${n} sessions: ${f}`));
          console.info(`(scaling, ${n} sessions: done)`);
        }
        tables.push(scalingTable(scaling, scalingPeers, rows, failures));
      }
    } finally {
      await procs.dispose();
    }
    return tables;
  },
};

export default bench;
