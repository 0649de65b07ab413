import { scheduleOrder, type MinutesEvent, type MinutesSession } from './model.js';

/** Machine-readable minutes: metadata, the ProseMirror JSON and the action items. */
export function renderSessionJson(m: MinutesSession): string {
  return JSON.stringify({ format: 'roundtable-minutes', version: 1, ...m }, null, 2) + '\n';
}

export function renderEventJson(e: MinutesEvent): string {
  return JSON.stringify({ format: 'roundtable-minutes', version: 1, ...e, sessions: scheduleOrder(e.sessions) }, null, 2) + '\n';
}
