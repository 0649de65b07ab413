import { describe, expect, it } from 'vitest';
import { canWriteNotes } from './access.js';

describe('canWriteNotes', () => {
  it('moderators always, note-takers unless locked, readers never', () => {
    expect(canWriteNotes('moderate', { locked: false })).toBe(true);
    expect(canWriteNotes('moderate', { locked: true })).toBe(true);
    expect(canWriteNotes('edit', { locked: false })).toBe(true);
    expect(canWriteNotes('edit', { locked: true })).toBe(false);
    expect(canWriteNotes('view', { locked: false })).toBe(false);
    expect(canWriteNotes('view', { locked: true })).toBe(false);
  });
});
