import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilds } from '../scripts/ensureBuilds.mjs';
import { npmStartCommand } from '../scripts/npmStart.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A server process the memory and cold-load benches measure from outside, through /proc (Linux). */
export interface MeasuredServer {
  readonly port: number;
  readonly pid: number;
  readonly url: string;
  readonly wsUrl: string;
  /** Resident set size now. */
  rssBytes(): number;
  /** CPU time (user + system, every thread) so far, in ms. */
  cpuMs(): number;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

const TICKS_PER_S = 100;

function procCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
}

function procRssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

/**
 * npm start's node flags and environment (package.json), for a bench that runs the server its own way (the sync
 * bench's peer child). The flags go on node's command line: NODE_OPTIONS refuses some of them (--initial-old-space-size).
 */
export function npmStartProcess(): { nodeFlags: string[]; env: Record<string, string> } {
  const { nodeFlags, env } = npmStartCommand(root);
  return { nodeFlags, env };
}

/** Builds dist/client and dist-server when missing or stale, as `npm start` does (ahead of time, so no build falls in a measurement). */
export function ensureServerBuild(): void {
  ensureBuilds(root, (what) => console.info(`bench: building ${what}…`));
}

/**
 * Starts Roundtable as `npm start` runs it (`compiled`: package.json's start
 * command, its node flags and launcher, which runs dist-server in the same
 * process), or as it ran before (`tsx`: the TypeScript sources through tsx's
 * loader, no flags), on port 0 with `dataDir`, no demo, errors only in the log.
 */
export function startMeasuredServer(dataDir: string, how: 'compiled' | 'tsx', env: Record<string, string> = {}, opts: { nodeFlags?: string[]; startEnv?: Record<string, string> } = {}): Promise<MeasuredServer> {
  const npmStart = npmStartCommand(root);
  // `opts.nodeFlags` and `opts.startEnv` replace npm start's node flags and environment (e.g. none, to price what they change).
  const args = how === 'compiled' ? [...(opts.nodeFlags ?? npmStart.nodeFlags), npmStart.launcher] : ['--import', 'tsx', path.join(root, 'server', 'start.ts')];
  const startEnv = how === 'compiled' ? (opts.startEnv ?? npmStart.env) : {};
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...startEnv, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ROUNDTABLE_DEMO: '0', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start\n${out}`)), 120_000);
    void exited.then(() => reject(new Error(`server exited\n${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /running on http:\/\/localhost:(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const port = Number(m[1]);
      const pid = child.pid!;
      const end = async (signal: NodeJS.Signals) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
        process.off('exit', onExit);
      };
      resolve({
        port,
        pid,
        url: `http://127.0.0.1:${port}`,
        wsUrl: `ws://127.0.0.1:${port}/collab`,
        rssBytes: () => procRssBytes(pid),
        cpuMs: () => procCpuMs(pid),
        kill9: () => end('SIGKILL'),
        stop: () => end('SIGTERM'),
      });
    });
  });
}
