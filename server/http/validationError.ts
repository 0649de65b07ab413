import type { z } from 'zod';
import { englishErrorMessage, ERRORS, isErrorCode, type ErrorCode, type ErrorDetail, type ErrorParams } from '../../shared/errors.js';

type Issue = z.core.$ZodIssue;

/** The field an issue is about: the first name on its path (`moderators.3` → `moderators`). */
function fieldOf(path: readonly PropertyKey[]): string {
  const name = path.find((p): p is string => typeof p === 'string');
  return name ?? 'body';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A registered code with its parameters, when the code is only known at run time. */
export interface CodedError {
  code: ErrorCode;
  params: Record<string, string | number>;
}

const coded = <C extends ErrorCode>(code: C, params: ErrorParams<C>): CodedError => ({ code, params: params as Record<string, string | number> });

/**
 * One zod issue as a registered error code. Schemas name their own codes for
 * rules zod cannot express (`refine(…, { params: { code: 'unknown_time_zone' } })`);
 * everything else maps from zod's issue kinds.
 */
export function issueToError(issue: Issue, input: unknown): CodedError {
  const field = fieldOf(issue.path);
  switch (issue.code) {
    case 'custom': {
      const own = (issue.params ?? {}) as Record<string, unknown>;
      const code = typeof own.code === 'string' && isErrorCode(own.code) ? own.code : null;
      if (!code) return coded('invalid_value', { field });
      // A schema names the code; what it cannot know (the field, the value given) is filled in here.
      const value = valueAt(input, issue.path);
      const params: Record<string, string | number> = {};
      for (const [name, kind] of Object.entries(ERRORS[code].params) as [string, string][]) {
        const given = own[name];
        if (typeof given === 'string' || typeof given === 'number') params[name] = given;
        else if (kind === 'field') params[name] = field;
        else params[name] = typeof value === 'string' || typeof value === 'number' ? value : '';
      }
      return { code, params };
    }
    case 'unrecognized_keys':
      return coded('unknown_field', { field: [...issue.path.map(String), issue.keys[0] ?? ''].filter(Boolean).join('.') });
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined ? coded('field_required', { field }) : coded('invalid_value', { field });
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) <= 1 ? coded('field_required', { field }) : coded('invalid_value', { field });
    case 'too_big':
      if (issue.origin === 'string') return coded('field_too_long', { field, max: Number(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set') return coded('too_many_items', { field, max: Number(issue.maximum) });
      return coded('invalid_value', { field });
    case 'invalid_value':
      return coded('invalid_choice', { field, allowed: issue.values.map(String).join(', ') });
    case 'invalid_format':
      return issue.format === 'datetime' ? coded('invalid_date_time', { field }) : coded('invalid_value', { field });
    default:
      return coded('invalid_value', { field });
  }
}

/**
 * A zod failure as one 400: the first problem is the error's code and
 * parameters, and every problem is a detail with its own code, so the client
 * can name the field in the user's language.
 */
export function validationProblem(error: z.ZodError, input: unknown): CodedError & { details: ErrorDetail[] } {
  const problems = error.issues.map((issue) => ({ issue, ...issueToError(issue, input) }));
  const details: ErrorDetail[] = problems.map(({ issue, code, params }) => {
    const path = issue.path.map(String).join('.');
    return { ...(path ? { path } : {}), code, params, message: englishErrorMessage(code, params as never) };
  });
  const first = problems[0] ?? { code: 'malformed_request' as const, params: {} };
  return { code: first.code, params: first.params, details };
}
