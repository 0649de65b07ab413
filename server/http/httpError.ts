import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../logger.js';

export interface ErrorDetail {
  line?: number;
  path?: string;
  message: string;
}

/** An error with an HTTP status and a stable machine-readable code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);

export function zodDetails(err: z.ZodError): ErrorDetail[] {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** Parses with zod or throws a 400 that says what is wrong. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const details = zodDetails(result.error);
    const first = details[0];
    throw new HttpError(400, 'invalid_request', first ? `${first.path || 'body'}: ${first.message}` : 'invalid request', details);
  }
  return result.data;
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'too_large', message: 'request body too large' } });
      return;
    }
    if (e?.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_json', message: 'request body is not valid JSON' } });
      return;
    }
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: { code: 'bad_request', message: e.message ?? 'bad request' } });
      return;
    }
    log.error('request failed', { error: err instanceof Error ? err.stack : String(err) });
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
