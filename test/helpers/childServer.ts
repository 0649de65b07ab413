import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { YClient } from './yClient.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ChildServer {
  child: ChildProcess;
  port: number;
  url: string;
  wsUrl: string;
  /** What the process wrote to stderr so far (its log lines). */
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill9(): Promise<void>;
  /** Sends SIGTERM (a graceful stop) and resolves with how the process ended. */
  terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ChildServerOptions {
  /** Extra environment (SHUTDOWN_TIMEOUT, STORAGE_CHECK_MS, …). */
  env?: Record<string, string>;
  /**
   * RLIMIT_FSIZE in 512-byte blocks (`ulimit -f`): writes beyond it fail with
   * EFBIG, a real I/O error at the OS boundary (Node ignores SIGXFSZ), the
   * closest thing to a full disk without root.
   */
  fileSizeLimitBlocks?: number;
  /** The built client, for browser tests against a child server. */
  clientDir?: string;
}

/** Starts the server in its own process (tsx), for crash, signal and storage-fault tests; `clientDir` makes it serve the built app too. */
export function startChildServer(dataDir: string, opts: ChildServerOptions = {}): Promise<ChildServer> {
  // `node --import tsx` keeps the server in this very process: the tsx CLI would
  // spawn a grandchild that a SIGKILL of the wrapper leaves running.
  const args = ['--import', 'tsx', path.join(root, 'test/helpers/serverProcess.ts')];
  const env = { ...process.env, DATA_DIR: dataDir, ...(opts.clientDir ? { CLIENT_DIR: opts.clientDir } : {}), ...opts.env };
  const child =
    opts.fileSizeLimitBlocks === undefined
      ? spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
      : // `exec` replaces the shell, so signals and the exit code are the server's own.
        spawn('/bin/sh', ['-c', `ulimit -f ${opts.fileSizeLimitBlocks} && exec "$0" "$@"`, process.execPath, ...args], {
          cwd: root,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    if (process.env.TEST_LOG === '1') process.stderr.write(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child server did not start\n${err}`)), 20_000);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`child server exited with ${code}\n${err}`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const port = Number(m[1]);
      resolve({
        child,
        port,
        url: `http://127.0.0.1:${port}`,
        wsUrl: `ws://127.0.0.1:${port}/collab`,
        stderr: () => err,
        exited,
        kill9: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
        terminate: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}

/** Runs the server process until it exits on its own (a refusal to start); resolves with its code and stderr. */
export function runChildServerToExit(dataDir: string, opts: ChildServerOptions = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/helpers/serverProcess.ts')], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

/** A child server per test and its clients, torn down after each test (kill -9: nothing is flushed on the way out). */
export interface ChildSuite {
  child: ChildServer | undefined;
  clients: YClient[];
  /** kill -9 of the running child; its clients are closed. */
  kill9(): Promise<void>;
  /** kill9(), then a new child on the same data directory. */
  restart(dataDir: string, opts?: ChildServerOptions): Promise<ChildServer>;
}

/** Registers the teardown in the calling describe block. */
export function childServerSuite(): ChildSuite {
  const suite: ChildSuite = {
    child: undefined,
    clients: [],
    async kill9() {
      await suite.child?.kill9();
      suite.child = undefined;
      for (const c of suite.clients.splice(0)) c.destroy();
    },
    async restart(dataDir, opts) {
      await suite.kill9();
      suite.child = await startChildServer(dataDir, opts);
      return suite.child;
    },
  };
  afterEach(() => suite.kill9());
  return suite;
}
