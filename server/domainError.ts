import { englishErrorMessage, type ErrorCode, type ErrorDetail, type ErrorParams } from '../shared/errors.js';

export type { ErrorDetail } from '../shared/errors.js';

/** Codes without parameters may leave them out. */
type ParamsArgs<C extends ErrorCode> = [keyof ErrorParams<C>] extends [never]
  ? [params?: Record<string, never>, details?: ErrorDetail[]]
  : [params: ErrorParams<C>, details?: ErrorDetail[]];

/**
 * What went wrong, as one of the codes registered in shared/errors.ts with
 * its parameters. Services, storage and the collaboration core throw these;
 * only the HTTP layer (server/http/errorResponse.ts) turns them into a status
 * and a body, so nothing below it knows about HTTP.
 *
 * @example
 * throw new DomainError('session_not_found');
 * throw new DomainError('slug_taken', { slug: 'ops' });
 */
export class DomainError<C extends ErrorCode = ErrorCode> extends Error {
  readonly params: Record<string, string | number>;
  readonly details?: ErrorDetail[];

  constructor(
    readonly code: C,
    ...[params, details]: ParamsArgs<C>
  ) {
    const p = (params ?? {}) as ErrorParams<C>;
    super(englishErrorMessage(code, p));
    this.params = p as Record<string, string | number>;
    this.details = details;
  }

  /** For codes only known at run time (mapped from zod or a parser). */
  static of(code: ErrorCode, params: Record<string, string | number>, details?: ErrorDetail[]): DomainError {
    return new (DomainError as unknown as new (code: ErrorCode, params: Record<string, string | number>, details?: ErrorDetail[]) => DomainError)(code, params, details);
  }
}

/** True when `err` is the domain error `code`. */
export function isDomainError<C extends ErrorCode>(err: unknown, code: C): err is DomainError<C> {
  return err instanceof DomainError && err.code === code;
}
