import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './freePort.js';

const BIN_DIR = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

/** Whether this machine can start a private PostgreSQL, and if not, the one line that says what to install. */
export function postgresAvailability(): { ok: true } | { ok: false; reason: string } {
  if (!fs.existsSync(path.join(BIN_DIR, 'initdb')) || !fs.existsSync(path.join(BIN_DIR, 'pg_ctl'))) {
    return { ok: false, reason: `PostgreSQL 15 binaries not found in ${BIN_DIR}: install Debian's "postgresql" package (or set PG_BIN_DIR) to run the PostgreSQL tests` };
  }
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) {
    return { ok: false, reason: 'running as root without a "postgres" user to run PostgreSQL as: install Debian\'s "postgresql" package' };
  }
  return { ok: true };
}

/** A PostgreSQL server of one test file: its own data directory and port, gone after `stop()`. */
export interface PrivatePostgres {
  port: number;
  /** URL of the default `postgres` database. */
  url: string;
  /** Creates a fresh, empty database and returns its URL (one per test keeps tests apart). */
  createDatabase(): Promise<string>;
  /** The postmaster's process id (its children are the server's other processes), for CPU accounting. */
  pid(): number;
  /** Stops the server (`pg_ctl stop -m immediate` by default; `fast` ends sessions politely first); its files stay for `start()`. */
  halt(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Starts it again on the same port and files after `halt()`. */
  start(): Promise<void>;
  /** Stops the server at once and deletes its files. */
  stop(): Promise<void>;
}

/**
 * initdb into a temporary directory and start on a free port. As root, the
 * server runs as the `postgres` user (PostgreSQL refuses to run as root).
 * fsync stays on: durability tests must test durability.
 */
export async function startPostgres(): Promise<PrivatePostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (bin: string, args: string[]): void => {
    const cmd = path.join(BIN_DIR, bin);
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
    else execFileSync(cmd, args, { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    fs.chownSync(dir, uid, gid);
  }
  const dataDir = path.join(dir, 'data');
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = [`-p ${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${dir}`, '-c shared_buffers=16MB', '-c max_connections=60'].join(' ');
  const start = () => run('pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-o', options, '-w', '-t', '30', 'start']);
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    port,
    url,
    async createDatabase() {
      const name = `t_${crypto.randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    pid: () => Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]),
    async halt(mode: 'immediate' | 'fast' = 'immediate') {
      run('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
    },
    async start() {
      start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already halted.
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
