import type { ErrorRequestHandler, Response } from 'express';
import type { ServerResponse } from 'node:http';
import { ERRORS, type ApiErrorBody } from '../../shared/errors.js';
import { DomainError } from '../domainError.js';
import type { Logger } from '../logger.js';

/** The one place a domain error becomes an HTTP status. */
export function statusOf(err: DomainError): number {
  return ERRORS[err.code].status;
}

/** The body every 4xx/5xx answer of the API carries. */
export function errorBody(err: DomainError): ApiErrorBody {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(Object.keys(err.params).length ? { params: err.params } : {}),
      ...(err.details ? { details: err.details } : {}),
    },
  };
}

/** Answers outside Express (before routing, e.g. while shutting down): the same body the API uses. */
export function sendError(res: ServerResponse, err: DomainError, headers: Record<string, string> = {}): void {
  res.writeHead(statusOf(err), { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(errorBody(err)));
}

const MIB = 1024 * 1024;

function send(res: Response, err: DomainError): void {
  res.status(statusOf(err)).json(errorBody(err));
}

/** Maps whatever a route threw to an answer: domain errors by their code, Express' own failures to ours, the rest to 500. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof DomainError) return void send(res, err);
    const e = err as { type?: string; status?: number; limit?: number };
    if (e?.type === 'entity.too.large') {
      const maxMiB = typeof e.limit === 'number' ? Math.round((e.limit / MIB) * 10) / 10 : 1;
      return void send(res, new DomainError('too_large', { maxMiB }));
    }
    if (e?.type === 'entity.parse.failed') return void send(res, new DomainError('invalid_json'));
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      // Express' own 4xx (a malformed URL, an unsupported encoding): the status stays, the code is ours.
      res.status(e.status).json(errorBody(new DomainError('malformed_request')));
      return;
    }
    log.error('request failed', { error: err instanceof Error ? err.stack : String(err) });
    send(res, new DomainError('internal'));
  };
}
