import { getSchema } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { lastChangedPos } from './changedRange.js';

const schema = getSchema(createSchemaExtensions());
const doc = (...paras: string[]) => schema.node('doc', null, paras.map((p) => schema.node('paragraph', null, p ? [schema.text(p)] : [])));

describe('lastChangedPos', () => {
  it('is null when nothing changed', () => {
    expect(lastChangedPos(doc('a', 'b'), doc('a', 'b'))).toBeNull();
  });

  it('points at the end of text typed in the middle, not at the end of the document', () => {
    const before = doc('first', 'second', 'third');
    const after = doc('first', 'second more', 'third');
    // "first" is 7 wide, then the second paragraph opens at 8: its text ends at 8 + 11 = 19.
    expect(lastChangedPos(before, after)).toBe(19);
  });

  it('points at a new paragraph appended at the end', () => {
    const after = doc('one', 'two');
    expect(lastChangedPos(doc('one'), after)).toBe(after.content.size - 1);
  });

  it('handles deletions', () => {
    expect(lastChangedPos(doc('abc', 'def'), doc('abc', 'df'))).toBe(7);
  });
});
