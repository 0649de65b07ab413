import { describe, expect, it } from 'vitest';
import { englishErrorMessage, ERRORS, fillPlaceholders, INPUT_FIELDS, isErrorCode, placeholdersOf, type ErrorCode } from './errors.js';
import { createEventInputSchema, patchEventInputSchema, patchSessionInputSchema, sessionFieldsSchema } from './schemas.js';

describe('the error registry', () => {
  it('every code has a 4xx/5xx status and an English message that uses exactly the parameters it declares at most', () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
      expect(spec.status, code).toBeLessThan(600);
      expect(code, 'codes are snake_case').toMatch(/^[a-z]+(?:_[a-z]+)*$/);
      for (const p of placeholdersOf(spec.message)) expect(Object.keys(spec.params), `${code} uses {${p}}`).toContain(p);
    }
  });

  it('fills the English message from the parameters', () => {
    expect(englishErrorMessage('slug_taken', { slug: 'ops' })).toBe('the short name "ops" is already in use');
    expect(englishErrorMessage('insufficient_role', { needed: 'moderate', role: 'edit' })).toBe('this needs the moderate link; yours is the edit link');
    expect(fillPlaceholders('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('knows its own codes and nothing else', () => {
    expect(isErrorCode('slug_taken')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('not_found')).toBe(false);
  });

  it('every field of the input schemas has a place in INPUT_FIELDS (so the client can label it)', () => {
    const keys = [createEventInputSchema, patchEventInputSchema, sessionFieldsSchema, patchSessionInputSchema].flatMap((s) => Object.keys(s.shape));
    for (const k of keys) expect(INPUT_FIELDS as readonly string[], k).toContain(k);
  });

  it('codes for fields carry a field parameter', () => {
    const fieldCodes: ErrorCode[] = ['field_required', 'field_too_long', 'too_many_items', 'invalid_value', 'invalid_choice', 'invalid_date_time'];
    for (const c of fieldCodes) expect(ERRORS[c].params, c).toHaveProperty('field', 'field');
  });
});
