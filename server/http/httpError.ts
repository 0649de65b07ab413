import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import { englishErrorMessage, ERRORS, type ErrorCode, type ErrorDetail, type ErrorParams } from '../../shared/errors.js';
import type { Logger } from '../logger.js';
import { validationProblem } from './validationError.js';

export type { ErrorDetail } from '../../shared/errors.js';

/** Codes without parameters may leave them out. */
type ParamsArgs<C extends ErrorCode> = [keyof ErrorParams<C>] extends [never]
  ? [params?: Record<string, never>, details?: ErrorDetail[]]
  : [params: ErrorParams<C>, details?: ErrorDetail[]];

/**
 * An error the API answers with: only codes registered in shared/errors.ts,
 * with their parameters; status and English message come from the registry.
 */
export class HttpError<C extends ErrorCode = ErrorCode> extends Error {
  readonly status: number;
  readonly params: Record<string, string | number>;
  readonly details?: ErrorDetail[];

  constructor(
    readonly code: C,
    ...[params, details]: ParamsArgs<C>
  ) {
    const p = (params ?? {}) as ErrorParams<C>;
    super(englishErrorMessage(code, p));
    this.status = ERRORS[code].status;
    this.params = p as Record<string, string | number>;
    this.details = details;
  }

  /** For codes only known at run time (mapped from zod or a parser); the registry still decides status and message. */
  static of(code: ErrorCode, params: Record<string, string | number>, details?: ErrorDetail[]): HttpError {
    return new (HttpError as unknown as new (code: ErrorCode, params: Record<string, string | number>, details?: ErrorDetail[]) => HttpError)(code, params, details);
  }

  toBody(): { error: { code: C; message: string; params?: Record<string, string | number>; details?: ErrorDetail[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(Object.keys(this.params).length ? { params: this.params } : {}),
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

/** Parses with zod or throws a 400 whose code and parameters say what is wrong with which field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const problem = validationProblem(result.error, body);
    throw HttpError.of(problem.code, problem.params, problem.details);
  }
  return result.data;
}

const MIB = 1024 * 1024;

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const send = (e: HttpError) => res.status(e.status).json(e.toBody());
    if (err instanceof HttpError) return void send(err);
    const e = err as { type?: string; status?: number; limit?: number };
    if (e?.type === 'entity.too.large') {
      const maxMiB = typeof e.limit === 'number' ? Math.round((e.limit / MIB) * 10) / 10 : 1;
      return void send(new HttpError('too_large', { maxMiB }));
    }
    if (e?.type === 'entity.parse.failed') return void send(new HttpError('invalid_json'));
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      // Express' own 4xx (a malformed URL, an unsupported encoding): the status stays, the code is ours.
      res.status(e.status).json(new HttpError('malformed_request').toBody());
      return;
    }
    log.error('request failed', { error: err instanceof Error ? err.stack : String(err) });
    send(new HttpError('internal'));
  };
}
