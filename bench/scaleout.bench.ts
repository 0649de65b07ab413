import fs from 'node:fs';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { CreateEventResponse, SessionDto } from '../shared/schemas.js';
import { startChildServer, type ChildServer } from '../test/helpers/childServer.js';
import { postgresAvailability, startPostgres } from '../test/helpers/postgres.js';
import { redisAvailability, startRedis } from '../test/helpers/redis.js';
import { tempDataDir } from '../test/helpers/testServer.js';
import type { Bench, BenchTable } from './table.js';
import { waitUntil } from './lib/clients.js';
import { envInt, quantile } from './lib/numbers.js';

/**
 * Scale-out: 26 sessions, each with BENCH_SO_EDITORS note-takers [4] and
 * BENCH_SO_READERS readers [10], spread round-robin over 1, 2 and 3 server
 * processes (BENCH_SO_PROCESSES [1,2,3]) sharing one private PostgreSQL (and,
 * with more than one, one Redis); with 2 or more, every session is open on
 * every process (the round-robin starts at the session's index, so each
 * process gets the same share of note-takers). Each note-taker types BENCH_SO_RATE keystrokes
 * a second [2] for BENCH_SO_SECONDS [20]. Measures the delay from a keystroke
 * to a reader seeing it (each keystroke also stamps the time into a Y.Map),
 * split by whether the reader is on the writer's process, and the CPU of every
 * process: the servers, Redis and PostgreSQL (the postmaster and its children),
 * per delivered keystroke. Clients run in this process and are not counted.
 */

const SESSIONS = 26;

function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime + stime, and cutime + cstime: a backend that exits hands its time to its parent, so a tree's total never drops.
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

/** The process and every descendant (PostgreSQL's backends), read from /proc. */
function treeCpuSeconds(root: number): number {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.split(') ')[1]!.split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const walk = (pid: number) => {
    total += cpuSeconds(pid);
    for (const [child, parent] of parents) if (parent === pid) walk(child);
  };
  walk(root);
  return total;
}

async function json<T>(url: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
  const res = await fetch(url, { method: init.method ?? 'GET', body: init.body ? JSON.stringify(init.body) : undefined, headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) } });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  process: number;
}

function connect(server: ChildServer, process: number, sessionId: string, token: string): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.wsUrl, sessionId, doc, { params: { token }, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
  return { doc, provider, process };
}

async function scenario(processes: number): Promise<(string | number)[]> {
  const editors = envInt('BENCH_SO_EDITORS', 4);
  const readers = envInt('BENCH_SO_READERS', 10);
  const rate = envInt('BENCH_SO_RATE', 2);
  const seconds = envInt('BENCH_SO_SECONDS', 20);
  const pg = await startPostgres();
  const redis = processes > 1 ? await startRedis() : null;
  const env: Record<string, string> = { DATABASE_URL: await pg.createDatabase(), ...(redis ? { REDIS_URL: redis.url } : {}) };
  const servers: ChildServer[] = [];
  const clients: Client[] = [];
  try {
    for (let i = 0; i < processes; i++) servers.push(await startChildServer(tempDataDir(), { env }));
    const created = await json<CreateEventResponse>(`${servers[0]!.url}/api/events`, { method: 'POST', body: { title: 'Scale-out bench', timezone: 'UTC' } });
    const sessions: SessionDto[] = [];
    for (let s = 0; s < SESSIONS; s++) {
      sessions.push(await json<SessionDto>(`${servers[0]!.url}/api/events/${created.event.id}/sessions`, { method: 'POST', token: created.tokens.moderate, body: { title: `Session ${s}` } }));
    }
    const latencies = { same: [] as number[], cross: [] as number[] };
    const writers: Client[] = [];
    for (const [s, session] of sessions.entries()) {
      for (let e = 0; e < editors; e++) {
        const on = (s + e) % processes;
        const c = connect(servers[on]!, on, session.id, created.tokens.edit);
        writers.push(c);
        clients.push(c);
      }
      for (let r = 0; r < readers; r++) {
        const on = (s + r) % processes;
        const c = connect(servers[on]!, on, session.id, created.tokens.view);
        clients.push(c);
        // Each keystroke stamps its writer's process and time: a reader measures when it sees the stamp.
        c.doc.getMap('bench').observe((ev) => {
          const now = Date.now();
          for (const key of ev.keysChanged) {
            const stamp = c.doc.getMap('bench').get(key) as { p: number; t: number } | undefined;
            if (stamp) (stamp.p === c.process ? latencies.same : latencies.cross).push(now - stamp.t);
          }
        });
      }
    }
    await waitUntil(() => clients.every((c) => c.provider.synced), 60_000, 'every client to sync');
    const pids = [...servers.map((s) => s.child.pid ?? 0), ...(redis ? [redis.pid()] : [])];
    const cpuBefore = pids.map(cpuSeconds);
    const pgBefore = treeCpuSeconds(pg.pid());
    const clientsBefore = process.cpuUsage();
    let keystrokes = 0;
    const timer = setInterval(() => {
      for (const w of writers) {
        w.doc.transact(() => {
          const text = w.doc.getText('bench-text');
          text.insert(text.length, 'k');
          w.doc.getMap('bench').set(String(w.doc.clientID), { p: w.process, t: Date.now() });
        });
        keystrokes++;
      }
    }, 1000 / rate);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    clearInterval(timer);
    await new Promise((r) => setTimeout(r, 1000));
    const cpu = pids.map((pid, i) => cpuSeconds(pid) - cpuBefore[i]!);
    const pgCpu = treeCpuSeconds(pg.pid()) - pgBefore;
    const clientsUsage = process.cpuUsage(clientsBefore);
    const clientsCpu = (clientsUsage.user + clientsUsage.system) / 1e6;
    const delivered = latencies.same.length + latencies.cross.length;
    const serverCpu = cpu.slice(0, processes).reduce((a, b) => a + b, 0);
    const redisCpu = redis ? cpu[processes]! : 0;
    const total = serverCpu + redisCpu + pgCpu;
    return [
      processes,
      keystrokes,
      delivered,
      quantile(latencies.same, 0.5),
      quantile(latencies.same, 0.99),
      processes > 1 ? quantile(latencies.cross, 0.5) : '-',
      processes > 1 ? quantile(latencies.cross, 0.99) : '-',
      delivered / seconds,
      serverCpu,
      redis ? redisCpu : '-',
      pgCpu,
      (total / delivered) * 1e6,
      clientsCpu,
    ];
  } finally {
    for (const c of clients) {
      c.provider.destroy();
      c.doc.destroy();
    }
    await Promise.all(servers.map((s) => s.kill9()));
    await redis?.stop();
    await pg.stop();
  }
}

const bench: Bench = {
  name: 'scaleout',
  async run(): Promise<BenchTable[]> {
    for (const a of [postgresAvailability(), redisAvailability()]) if (!a.ok) throw new Error(a.reason);
    const counts = (process.env.BENCH_SO_PROCESSES ?? '1,2,3').split(',').map(Number).filter((n) => Number.isInteger(n) && n >= 1);
    const rows: (string | number)[][] = [];
    for (const n of counts) rows.push(await scenario(n));
    return [
      {
        title: `Scale-out: ${SESSIONS} sessions × (${envInt('BENCH_SO_EDITORS', 4)} note-takers + ${envInt('BENCH_SO_READERS', 10)} readers), PostgreSQL (+ Redis with 2 or more processes)`,
        columns: ['processes', 'keystrokes', 'delivered', 'same p50 ms', 'same p99 ms', 'cross p50 ms', 'cross p99 ms', 'delivered / s', 'servers CPU s', 'Redis CPU s', 'PostgreSQL CPU s', 'CPU µs / delivered', 'clients CPU s'],
        rows,
        notes: [
          'Delivered: keystroke stamps seen by readers. "same"/"cross": reader on the writer\'s process or on another one. CPU µs / delivered: all server processes, redis-server and every PostgreSQL process (from /proc/<pid>/stat) over the typing window. Clients CPU: the 364 clients in the bench process, on the same cores, not in the per-delivered figure.',
        ],
      },
    ];
  },
};

export default bench;
