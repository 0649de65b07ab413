import { NameMerger } from '../actionItems/names.js';
import type { MinutesLabels } from './labels.js';
import type { MinutesEvent } from './model.js';

export interface ThanksLine {
  /** "Note-takers", "Moderators", "Action-item owners" in the event's language. */
  label: string;
  /** Names in alphabetical order, spellings merged as in the contributors report. */
  names: string[];
  /** The names as a phrase: "A, B and C". */
  text: string;
}

/**
 * The event minutes' short "Thanks to" section: who took notes, moderated and
 * owns action items, each person once per line (the contributors report's
 * name merging). Lines with nobody are left out; no lines, no section.
 */
export function thanksLines(e: MinutesEvent, L: MinutesLabels): ThanksLine[] {
  const names = new NameMerger();
  const roles = { noteTakers: new Set<string>(), moderators: new Set<string>(), owners: new Set<string>() };
  const add = (role: keyof typeof roles, name: string) => {
    const key = names.add(name);
    if (key) roles[role].add(key);
  };
  for (const s of e.sessions) {
    s.noteTakers.forEach((n) => add('noteTakers', n));
    s.session.moderators.forEach((n) => add('moderators', n));
    s.actionItems.forEach((i) => i.owners.forEach((n) => add('owners', n)));
  }
  const line = (label: string, keys: Set<string>): ThanksLine[] => {
    const list = [...keys].map((k) => names.display(k)).sort((a, b) => a.localeCompare(b));
    return list.length ? [{ label, names: list, text: L.nameList(list) }] : [];
  };
  return [...line(L.noteTakers, roles.noteTakers), ...line(L.moderators, roles.moderators), ...line(L.actionItemOwners, roles.owners)];
}
