import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from './freePort.js';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

/** Whether this machine can start a private Redis, and if not, the one line that says what to install. */
export function redisAvailability(): { ok: true } | { ok: false; reason: string } {
  if (!fs.existsSync(REDIS_SERVER)) return { ok: false, reason: `redis-server not found at ${REDIS_SERVER}: install Debian's "redis-server" package to run the Redis tests` };
  return { ok: true };
}

/** A Redis of one test file: no persistence, its own port; restartable on that port. */
export interface PrivateRedis {
  port: number;
  url: string;
  /** The redis-server's process id, for CPU accounting. */
  pid(): number;
  /** Kills the server (SIGKILL: everything in it is gone) and starts an empty one on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start\n${out}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code})\n${out}`));
    });
  });
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export async function startRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child = await launch(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: () => child.pid ?? 0,
    async restart() {
      await kill(child, 'SIGKILL');
      child = await launch(port);
    },
    async stop() {
      await kill(child, 'SIGTERM');
    },
  };
}
