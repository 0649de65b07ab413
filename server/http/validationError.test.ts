import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEventInputSchema, createSessionInputSchema, patchSessionInputSchema } from '../../shared/schemas.js';
import { validationProblem } from './validationError.js';

function problem(schema: z.ZodType, input: unknown) {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a failure');
  return validationProblem(r.error, input);
}

describe('zod failures as registered error codes', () => {
  it('names the field and the rule, never zod’s own wording', () => {
    expect(problem(createEventInputSchema, {})).toMatchObject({ code: 'field_required', params: { field: 'title' } });
    expect(problem(createEventInputSchema, { title: '   ' })).toMatchObject({ code: 'field_required', params: { field: 'title' } });
    expect(problem(createEventInputSchema, { title: 'x'.repeat(301) })).toMatchObject({ code: 'field_too_long', params: { field: 'title', max: 300 } });
    expect(problem(createEventInputSchema, { title: 'x', slug: 'Bad Slug!' })).toMatchObject({ code: 'invalid_slug', params: {} });
    expect(problem(createEventInputSchema, { title: 'x', timezone: 'Mars/Olympus' })).toMatchObject({ code: 'unknown_time_zone', params: { zone: 'Mars/Olympus' } });
    expect(problem(createEventInputSchema, { title: 'x', language: 'fr' })).toMatchObject({ code: 'invalid_choice', params: { field: 'language', allowed: 'en, ja' } });
    expect(problem(createEventInputSchema, { title: 'x', extra: 1 })).toMatchObject({ code: 'unknown_field', params: { field: 'extra' } });
    expect(problem(createEventInputSchema, { title: 5 })).toMatchObject({ code: 'invalid_value', params: { field: 'title' } });
    expect(problem(createSessionInputSchema, { title: 'S', startsAt: 'tomorrow' })).toMatchObject({ code: 'invalid_date_time', params: { field: 'startsAt' } });
    expect(problem(createSessionInputSchema, { title: 'S', startsAt: '2016-04-25T17:00:00Z', endsAt: '2016-04-25T16:00:00Z' })).toMatchObject({ code: 'ends_before_start', params: {} });
    expect(problem(patchSessionInputSchema, { tags: Array.from({ length: 31 }, (_, i) => `t${i}`) })).toMatchObject({ code: 'too_many_items', params: { field: 'tags', max: 30 } });
    expect(problem(patchSessionInputSchema, { moderators: ['ok', ''] })).toMatchObject({ code: 'field_required', params: { field: 'moderators' } });
  });

  it('lists every problem as a detail with its path, code and English message', () => {
    const p = problem(createEventInputSchema, { title: '', slug: 'A B', timezone: 'Nowhere' });
    expect(p.details.map((d) => [d.path, d.code])).toEqual([
      ['title', 'field_required'],
      ['slug', 'invalid_slug'],
      ['timezone', 'unknown_time_zone'],
    ]);
    for (const d of p.details) {
      expect(d.message).not.toMatch(/Invalid|expected|problem\(s\)|\w+: \w+:/);
      expect(d.message.length).toBeGreaterThan(10);
    }
    expect(p.details[2]!.message).toBe('"Nowhere" is not an IANA time zone (e.g. Europe/Berlin)');
  });

  it('a body that is not an object at all', () => {
    expect(problem(createEventInputSchema, undefined)).toMatchObject({ code: 'field_required', params: { field: 'body' } });
    expect(problem(createEventInputSchema, [1])).toMatchObject({ code: 'invalid_value' });
  });
});
