import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ChildServer {
  child: ChildProcess;
  port: number;
  url: string;
  wsUrl: string;
  kill9(): Promise<void>;
}

/** Starts the server in its own process (tsx), for crash tests; `clientDir` makes it serve the built app too. */
export function startChildServer(dataDir: string, opts: { clientDir?: string } = {}): Promise<ChildServer> {
  // `node --import tsx` keeps the server in this very process: the tsx CLI would
  // spawn a grandchild that a SIGKILL of the wrapper leaves running.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/helpers/serverProcess.ts')], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, ...(opts.clientDir ? { CLIENT_DIR: opts.clientDir } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('child server did not start')), 20_000);
    child.once('exit', (code) => reject(new Error(`child server exited with ${code}`)));
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
        kill9: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      });
    });
  });
}
