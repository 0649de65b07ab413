import type { z } from 'zod';
import { DomainError } from '../domainError.js';
import { validationProblem } from './validationError.js';

/** Parses with zod or throws a 400 whose code and parameters say what is wrong with which field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const problem = validationProblem(result.error, body);
    throw DomainError.of(problem.code, problem.params, problem.details);
  }
  return result.data;
}
