import { createRequire } from 'node:module';
import pino, { type DestinationStream } from 'pino';
import type { Logger, LogLevel } from '../logger.js';
import { redactFields, redactText } from './redactSecrets.js';
import type { RequestScope } from './requestScope.js';

export type LogFormat = 'json' | 'pretty';

export interface PinoLoggerOptions {
  level: LogLevel;
  /** JSON lines (default) or pino-pretty's coloured lines for a person at a terminal. */
  format?: LogFormat;
  /** Where lines go (default: stderr). Tests pass a stream that collects them. */
  destination?: DestinationStream;
  /** Adds the request id, event and session to lines written while a request is answered. */
  requests?: RequestScope;
}

/**
 * The server's logger: JSON lines through pino behind the project's small
 * Logger interface, so call sites stay as they are. Every message and field
 * passes through the secret redaction first, whatever a call site hands in.
 *
 * A line: `{"level":"info","time":"2026-…Z","pid":1,"msg":"request","reqId":"…","route":"/api/sessions/:sessionId/minutes",…}`
 */
export function createPinoLogger(opts: PinoLoggerOptions): Logger {
  // pino-pretty (and its dependencies, ~10 MiB resident) only for LOG_FORMAT=pretty.
  const pretty = () => createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const destination =
    opts.destination ?? (opts.format === 'pretty' ? pretty()({ destination: 2, colorize: process.stderr.isTTY === true, translateTime: 'SYS:HH:MM:ss.l' }) : pino.destination({ fd: 2, sync: true }));
  const requests = opts.requests;
  const log = pino(
    {
      level: opts.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: requests ? () => ({ ...requests.current() }) : undefined,
    },
    destination,
  );
  const emit = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => {
    if (!log.isLevelEnabled(level)) return;
    log[level]((fields ? redactFields(fields) : {}) as object, redactText(msg));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
