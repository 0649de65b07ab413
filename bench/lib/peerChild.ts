/**
 * The child side of a benchmarked server: each server under test runs alone
 * in its own process, so `process.cpuUsage()` counts only its work and none
 * of the clients'. The parent talks to it over the IPC channel.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

/** What a peer script provides: a listening server and how to reach its rooms. */
export interface PeerServer {
  port: number;
  /** Creates `count` rooms and says how writers and readers join each. */
  prepareRooms(count: number): Promise<RoomAccess[]>;
  /** Extra commands specific to this peer (e.g. storage statistics). */
  commands?: Record<string, (arg: unknown) => unknown>;
  close(): Promise<void>;
}

export interface RoomAccess {
  /** Room name as the client passes it (y-websocket room, Hocuspocus document name). */
  name: string;
  /** Query parameters for a note-taker and for a reader. */
  writeParams: Record<string, string>;
  readParams: Record<string, string>;
}

export interface ServerStats {
  /** CPU time (user + system) since the last `mark`, in microseconds. */
  cpuUs: number;
  /** Of which the main thread (the event loop), where Linux tells (/proc); NaN elsewhere. */
  mainThreadCpuUs: number;
  rssBytes: number;
  /** Peak resident set size of the process so far. */
  maxRssBytes: number;
  heapUsedBytes: number;
}

export interface RpcRequest {
  id: number;
  cmd: string;
  arg?: unknown;
}

export type RpcResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export type ChildHello = { ready: true; port: number } | { ready: false; error: string };

/** CPU time of the main thread alone in µs (Linux: /proc/self/task/<pid>/stat), or NaN. */
function mainThreadCpuUs(): number {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1e6) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * The process's own RSS high-water mark (Linux: VmHWM, which starts afresh at exec).
 * Not getrusage's maxrss: Linux carries that over exec, so a child spawned by a
 * large parent reports the parent's peak (every peer showed the bench's 114 MiB).
 */
function peakRssBytes(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** User and system CPU ticks (1/100 s) of each thread of this process (Linux), by thread id. */
function threadCpuTicks(): Map<number, { user: number; system: number }> {
  const out = new Map<number, { user: number; system: number }>();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { user: Number(fields[11]), system: Number(fields[12]) });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/**
 * Each thread's CPU over the window, busiest first ("main u1250 s210, 15954
 * u160 s150, …" in ms): the storage writer thread shows as the one with system
 * time (its fsync), V8's compiler and GC helpers as user time only.
 */
function describeThreads(before: ReturnType<typeof threadCpuTicks>, after: ReturnType<typeof threadCpuTicks>): string {
  const rows = [...after]
    .map(([tid, t]) => ({ tid, user: (t.user - (before.get(tid)?.user ?? 0)) * 10, system: (t.system - (before.get(tid)?.system ?? 0)) * 10 }))
    .filter((r) => r.user + r.system > 0)
    .sort((a, b) => b.user + b.system - a.user - a.system);
  return rows.map((r) => `${r.tid === process.pid ? 'main' : r.tid} u${r.user} s${r.system}`).join(', ');
}

/**
 * With BENCH_CPU_PROF=<dir>, profiles exactly the measured window (from
 * `mark` to the next `stats`) and writes <dir>/<name>-<pid>-<n>.cpuprofile
 * (.heapprofile with BENCH_HEAP_PROF=1; Chrome's DevTools open both).
 */
function windowProfiler(dir: string | undefined, name: string) {
  if (!dir) return { start: async () => {}, stop: async () => {} };
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  let running = false;
  let n = 0;
  return {
    async start() {
      // BENCH_HEAP_PROF=1: what the window allocates (objects since collected included), by stack, instead of CPU.
      if (process.env.BENCH_HEAP_PROF) {
        await post('HeapProfiler.enable');
        await post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
        running = true;
        return;
      }
      if (running) await post('Profiler.stop');
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      await post('Profiler.start');
      running = true;
    },
    async stop() {
      if (!running) return;
      running = false;
      const { profile } = (await post(process.env.BENCH_HEAP_PROF ? 'HeapProfiler.stopSampling' : 'Profiler.stop')) as { profile: unknown };
      fs.mkdirSync(dir, { recursive: true });
      // A heap profile is not a CPU profile: its own extension keeps it out of the CPU breakdown.
      const ext = process.env.BENCH_HEAP_PROF ? 'heapprofile' : 'cpuprofile';
      fs.writeFileSync(path.join(dir, `${name}-${process.pid}-${++n}.${ext}`), JSON.stringify(profile));
    },
  };
}

/** Starts the peer and serves the parent's requests until told to close or the parent goes away. */
export async function runPeerChild(start: () => Promise<PeerServer>): Promise<void> {
  const send = (msg: unknown) => {
    if (process.send) process.send(msg);
  };
  // Without the parent there is nobody to measure for: never outlive it.
  process.on('disconnect', () => process.exit(0));
  let server: PeerServer;
  try {
    server = await start();
  } catch (err) {
    send({ ready: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies ChildHello);
    process.exit(1);
  }
  let base = process.cpuUsage();
  let mainBase = mainThreadCpuUs();
  let threadBase = threadCpuTicks();
  const profiler = windowProfiler(process.env.BENCH_CPU_PROF, process.env.BENCH_PEER_NAME ?? `peer-${process.pid}`);
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await server.close();
    // process.exit() (not a signal) lets --cpu-prof write its profile.
    process.exit(0);
  };
  process.on('SIGTERM', () => void close());

  const handlers: Record<string, (arg: unknown) => unknown> = {
    ...server.commands,
    prepareRooms: (arg) => server.prepareRooms(Number(arg)),
    mark: async () => {
      threadBase = threadCpuTicks();
      await profiler.start();
      base = process.cpuUsage();
      mainBase = mainThreadCpuUs();
      return null;
    },
    stats: async (): Promise<ServerStats> => {
      const cpu = process.cpuUsage(base);
      const mainCpu = mainThreadCpuUs() - mainBase;
      if (process.env.BENCH_THREADS) console.error(`threads ${process.env.BENCH_PEER_NAME}: ${describeThreads(threadBase, threadCpuTicks())}`);
      await profiler.stop();
      const mem = process.memoryUsage();
      return {
        cpuUs: cpu.user + cpu.system,
        mainThreadCpuUs: mainCpu,
        rssBytes: mem.rss,
        maxRssBytes: peakRssBytes(),
        heapUsedBytes: mem.heapUsed,
      };
    },
    /** Resident set size now, without ending the measured window. */
    rss: () => process.memoryUsage.rss(),
    gc: () => {
      (globalThis as { gc?: () => void }).gc?.();
      return null;
    },
  };
  process.on('message', (raw) => {
    const req = raw as RpcRequest;
    if (req.cmd === 'close') {
      send({ id: req.id, ok: true, result: null } satisfies RpcResponse);
      void close();
      return;
    }
    const handler = handlers[req.cmd];
    if (!handler) {
      send({ id: req.id, ok: false, error: `unknown command ${req.cmd}` } satisfies RpcResponse);
      return;
    }
    Promise.resolve()
      .then(() => handler(req.arg))
      .then(
        (result) => send({ id: req.id, ok: true, result } satisfies RpcResponse),
        (err: unknown) => send({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies RpcResponse),
      );
  });
  send({ ready: true, port: server.port } satisfies ChildHello);
}
