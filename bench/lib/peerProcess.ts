import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { bundleArgs, runEsbuild } from '../../scripts/serverBuild.mjs';
import { ensureServerBuild } from '../compiledServer.js';
import type { ChildHello, RoomAccess, RpcResponse, ServerStats } from './peerChild.js';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(benchDir, '..');
/** Where the peers run from, compiled: next to the compiled server, so `../../server/…` names its JavaScript. */
const compiledBenchDir = path.join(root, 'dist-server', 'bench');

/**
 * `bench/peers/<script>.ts` and the child harness as plain JavaScript in
 * dist-server/bench/, after the server itself is built (as `npm start` builds
 * it). Every server under test then runs as `npm start` runs Roundtable, with
 * no TypeScript loader in its process: tsx's loader and its source maps were
 * 45–60 MiB of every peer's RSS, the relay's included, and some CPU at start.
 * Transpiled file by file (types are only stripped): the benches' imports of
 * the server resolve to dist-server/server. Roundtable's peer is then bundled
 * as `npm start`'s main thread is (scripts/serverBuild.mjs): one graph of the
 * same modules, with the same esbuild settings.
 */
function compiledPeer(script: string): string {
  // Roundtable's peer on the per-file modules, as npm start ran before the bundle (a comparison peer).
  if (script === 'roundtable-files') return transpiledPeer('roundtable');
  const file = transpiledPeer(script);
  if (script !== 'roundtable') return file;
  const dir = path.join(compiledBenchDir, 'bundled');
  fs.rmSync(dir, { recursive: true, force: true });
  // The source map only names each profiled frame's module for the bench's breakdown (profileSources.ts).
  runEsbuild(root, [...bundleArgs([file], dir), '--sourcemap=external']);
  return path.join(dir, `${script}.js`);
}

/** The peer and what peers import from bench/lib, transpiled file by file next to the compiled server. */
function transpiledPeer(script: string): string {
  ensureServerBuild();
  // The child harness, the peers' WebSocket server, and the durable peers' log.
  for (const rel of [path.join('peers', `${script}.ts`), path.join('lib', 'peerChild.ts'), path.join('lib', 'wsPeerServer.ts'), path.join('lib', 'durableLog.ts')]) {
    const source = fs.readFileSync(path.join(benchDir, rel), 'utf8');
    const out = ts.transpileModule(source, {
      fileName: rel,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    const file = path.join(compiledBenchDir, rel.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, out.outputText);
  }
  return path.join(compiledBenchDir, 'peers', `${script}.js`);
}

/** A server under test, running in its own process. */
export interface PeerProcess {
  readonly port: number;
  readonly pid: number;
  request<T = unknown>(cmd: string, arg?: unknown): Promise<T>;
  prepareRooms(count: number): Promise<RoomAccess[]>;
  /** Starts a new CPU measurement window. */
  mark(): Promise<void>;
  stats(): Promise<ServerStats>;
  /** Graceful stop (the server's own shutdown path runs); SIGKILL if it hangs. */
  stop(): Promise<void>;
  /** kill -9: no shutdown path at all. */
  kill9(): Promise<void>;
}

/**
 * Owns every child it starts and kills whatever is still running on dispose
 * and on exit of this process, so an interrupted bench leaves nothing behind.
 * (Children also exit on their own when the IPC channel to us closes.)
 */
export class PeerProcesses {
  private readonly live = new Set<ChildProcess>();
  /** Each peer script compiled once per bench process (a bench starts the same peer dozens of times). */
  private readonly compiled = new Map<string, string>();
  private readonly dirs = new Set<string>();
  private readonly onExit = () => {
    for (const c of this.live) c.kill('SIGKILL');
    this.removeDirs();
  };
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.onExit();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  /**
   * `fromSource`: run `bench/peers/<script>.ts` through tsx instead of
   * compiled (tests of the peers that import nothing of the server: they need
   * no server build, and no build races another test's).
   */
  constructor(private readonly opts: { fromSource?: boolean } = {}) {
    process.on('exit', this.onExit);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  /** A temporary directory (e.g. a DATA_DIR) removed on dispose, or when this process exits. */
  tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.add(dir);
    return dir;
  }

  private removeDirs(): void {
    for (const dir of this.dirs) fs.rmSync(dir, { recursive: true, force: true });
    this.dirs.clear();
  }

  /** Starts `bench/peers/<script>.ts`, compiled (see compiledPeer), with extra environment variables and node flags. */
  start(script: string, env: Record<string, string> = {}, nodeFlags: readonly string[] = []): Promise<PeerProcess> {
    let file = this.opts.fromSource ? path.join(benchDir, 'peers', `${script}.ts`) : this.compiled.get(script);
    if (!file) this.compiled.set(script, (file = compiledPeer(script)));
    const loader = this.opts.fromSource ? ['--import', 'tsx'] : [];
    // BENCH_NODE_ARGS: node flags NODE_OPTIONS refuses (--perf-basic-prof for `perf`, --trace-gc, …).
    const extraArgs = (env.BENCH_NODE_ARGS ?? process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    // Plain node, no wrapper process in between (its CPU time would be lost), and no loader unless from source.
    const child = spawn(process.execPath, ['--expose-gc', ...loader, ...nodeFlags, ...extraArgs, file], {
      cwd: path.resolve(benchDir, '..'),
      env: {
        ...process.env,
        ...(process.env.BENCH_CPU_PROF ? { BENCH_CPU_PROF: path.resolve(process.env.BENCH_CPU_PROF) } : {}),
        BENCH_PEER_NAME: script,
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.live.add(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    void exited.then(() => this.live.delete(child));

    let nextId = 1;
    const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    void exited.then(() => {
      for (const p of pending.values()) p.reject(new Error(`${script} exited`));
      pending.clear();
    });

    const request = <T>(cmd: string, arg?: unknown): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        if (!child.connected) return reject(new Error(`${script} is not running`));
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, arg });
      });

    child.on('message', (raw) => {
      const msg = raw as RpcResponse;
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(`${script}: ${msg.error}`));
    });

    const killAfter = (ms: number) => {
      const t = setTimeout(() => child.kill('SIGKILL'), ms);
      void exited.then(() => clearTimeout(t));
    };

    return new Promise<PeerProcess>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${script} did not start within 60 s`));
      }, 60_000);
      void exited.then(() => reject(new Error(`${script} exited during start-up`)));
      child.once('message', (raw) => {
        clearTimeout(timer);
        const hello = raw as ChildHello;
        if (!hello.ready) {
          child.kill('SIGKILL');
          return reject(new Error(`${script} failed to start: ${hello.error}`));
        }
        resolve({
          port: hello.port,
          pid: child.pid ?? -1,
          request,
          prepareRooms: (count) => request<RoomAccess[]>('prepareRooms', count),
          mark: () => request<void>('mark'),
          stats: () => request<ServerStats>('stats'),
          async stop() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            killAfter(15_000);
            await request('close').catch(() => undefined);
            await exited;
          },
          async kill9() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGKILL');
            await exited;
          },
        });
      });
    });
  }

  /** Kills every child still running and stops watching this process. */
  async dispose(): Promise<void> {
    const waits = [...this.live].map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    }));
    await Promise.all(waits);
    this.removeDirs();
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
