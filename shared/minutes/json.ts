import { scheduleOrder, type MinutesEvent, type MinutesSession } from './model.js';
import { normalizeNotes } from './notes.js';

/**
 * Machine-readable minutes: metadata, the ProseMirror JSON and the action
 * items. The notes are normalised as for every other format (nesting bounded,
 * unsafe links reduced to their text), so whoever renders this JSON next gets
 * nothing the HTML export would have refused.
 */
export function renderSessionJson(m: MinutesSession): string {
  return JSON.stringify({ format: 'roundtable-minutes', version: 1, ...m, notes: normalizeNotes(m.notes) }, null, 2) + '\n';
}

export function renderEventJson(e: MinutesEvent): string {
  const sessions = scheduleOrder(e.sessions).map((m) => ({ ...m, notes: normalizeNotes(m.notes) }));
  return JSON.stringify({ format: 'roundtable-minutes', version: 1, ...e, sessions }, null, 2) + '\n';
}
