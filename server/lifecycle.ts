import type { RoundtableServer } from './createServer.js';
import type { Logger } from './logger.js';

export interface LifecycleOptions {
  log: Logger;
  shutdownTimeoutMs: number;
  exit?: (code: number) => void;
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * Signals and the process-level last line of defence.
 *
 * SIGTERM/SIGINT stop gracefully within the timeout (a hard exit backs it up).
 *
 * Every room contains its own failures (RoomRegistry.fault), so these
 * handlers only catch what escapes everything else:
 * - an unhandled promise rejection is logged and the server goes on: the
 *   work that rejected is already abandoned, at an await, with no
 *   half-finished synchronous change behind it;
 * - an uncaught exception is logged and the server restarts gracefully
 *   (exit code 1, for the supervisor to start it again): it interrupted
 *   synchronous code halfway, so memory may be inconsistent, and carrying on
 *   could acknowledge edits over a corrupted state. Acknowledged edits are
 *   already on disk and clients reconnect after 1012, so a restart loses
 *   nothing.
 */
export function installLifecycle(server: RoundtableServer, opts: LifecycleOptions): void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const stop = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    opts.log.info('stopping: saving every open document', { why, timeoutMs: opts.shutdownTimeoutMs });
    const hard = setTimeout(() => {
      opts.log.error('graceful stop overran its deadline; exiting now', { why });
      exit(code || 1);
    }, opts.shutdownTimeoutMs + 2_000);
    hard.unref();
    server.shutdown(opts.shutdownTimeoutMs).then(
      () => exit(code),
      (err: unknown) => {
        opts.log.error('graceful stop failed', { error: describe(err) });
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('unhandledRejection', (reason) => {
    opts.log.error('unhandled promise rejection; the server goes on', { error: describe(reason) });
  });
  process.on('uncaughtException', (err, origin) => {
    opts.log.error('uncaught exception; restarting gracefully', { origin, error: describe(err) });
    stop('uncaughtException', 1);
  });
}
