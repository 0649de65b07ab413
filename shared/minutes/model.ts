import type { JSONContent } from '@tiptap/core';
import type { ActionItemDto } from '../schemas.js';
import { MINUTES_LABELS, type MinutesLabels, type MinutesLanguage, type MinutesStats } from './labels.js';
import { roomsText, type SessionFields } from '../sessionFields.js';
import { headingLevel, normalizeNotes } from './notes.js';
import { tickDoneActionLines } from './doneActions.js';
import { NameMerger } from '../actionItems/names.js';
import { ownerKey } from '../actionItems/owners.js';

/** The heading of the generated table; the notes themselves often have an "Action items" section already. */
export const ACTION_SUMMARY = MINUTES_LABELS.en.actionSummary;

/** Everything the minutes of one session are made from; renderers are pure functions of it. */
export interface MinutesSession {
  /** `language` chooses the fixed words (labels.ts); without it they are English. */
  event: { title: string; timezone: string; language?: MinutesLanguage };
  session: Pick<SessionFields, 'title' | 'startsAt' | 'endsAt' | 'rooms' | 'moderators' | 'tags'> & { id: string };
  /** Display names of everyone who edited. */
  noteTakers: string[];
  /** ProseMirror JSON of the notes (the shared editor schema). */
  notes: JSONContent;
  /**
   * Headings of the template the notes started from. Only these are left out
   * when nothing was written under them: any other heading is something a
   * note-taker typed, and minutes keep it.
   */
  scaffoldHeadings?: string[];
  actionItems: ActionItemDto[];
}

export interface MinutesEvent {
  event: { title: string; timezone: string; slug: string; language?: MinutesLanguage };
  sessions: MinutesSession[];
  generatedAt: string;
}

/** Sessions in schedule order: start, then room, then title. */
export function scheduleOrder(sessions: readonly MinutesSession[]): MinutesSession[] {
  return [...sessions].sort(
    (a, b) =>
      (a.session.startsAt ?? '9999').localeCompare(b.session.startsAt ?? '9999') ||
      (a.session.rooms[0] ?? '').localeCompare(b.session.rooms[0] ?? '') ||
      a.session.title.localeCompare(b.session.title),
  );
}

/** The header line for a session's rooms: `Room: A` or `Rooms: A, B`, or null without rooms. */
export function roomsHeader(rooms: readonly string[], labels: MinutesLabels = MINUTES_LABELS.en): [label: string, value: string] | null {
  if (rooms.length === 0) return null;
  return [rooms.length === 1 ? labels.room : labels.rooms, roomsText(rooms)];
}

/** "Monday 25 April 2016, 11:15–11:55 (America/Chicago)" in the event's time zone. */
export function formatWhen(startsAt: string | null, endsAt: string | null, timezone: string, labels: MinutesLabels = MINUTES_LABELS.en): string | null {
  if (!startsAt) return null;
  const start = new Date(startsAt);
  const day = new Intl.DateTimeFormat(labels.locale, { timeZone: timezone, weekday: labels.weekday, day: 'numeric', month: 'long', year: 'numeric' }).format(start);
  const time = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  const span = endsAt ? `${time(start)}–${time(new Date(endsAt))}` : time(start);
  return labels.when(day, span, timezone);
}

export type { MinutesStats } from './labels.js';

export function eventStats(e: MinutesEvent): MinutesStats {
  const people = new Set<string>();
  let items = 0;
  let open = 0;
  for (const s of e.sessions) {
    s.noteTakers.forEach((n) => people.add(n.toLowerCase()));
    items += s.actionItems.length;
    open += s.actionItems.filter((a) => a.status === 'open').length;
  }
  return { sessions: e.sessions.length, contributors: people.size, actionItems: items, open };
}

/**
 * Action items grouped by a key (owner or working group); items without one go
 * under `none`. An item's working groups are its `##tags`; an item without any
 * belongs to the working groups its session is tagged with.
 */
export function groupItems(e: MinutesEvent, key: 'owners' | 'tags', none: string): Map<string, { item: ActionItemDto; session: string }[]> {
  const sessions = scheduleOrder(e.sessions);
  // Owners are one person however their name was typed ("ann", "Ann", "@ann"):
  // grouped by ownerKey() like the board, the owner= filter and "Thanks to",
  // under the spelling NameMerger picks. Working groups keep their raw names.
  const names = new NameMerger();
  if (key === 'owners') for (const s of sessions) for (const item of s.actionItems) item.owners.forEach((o) => names.add(o));
  const groupOf = (name: string): string => {
    if (key !== 'owners') return name;
    const k = ownerKey(name.trim());
    return k ? names.display(k) : name;
  };
  const groups = new Map<string, { item: ActionItemDto; session: string }[]>();
  for (const s of sessions) {
    for (const item of s.actionItems) {
      const own = item[key].length ? item[key] : key === 'tags' ? s.session.tags : [];
      const keys = own.length ? [...new Set(own.map(groupOf))] : [none];
      for (const k of keys) {
        const list = groups.get(k) ?? [];
        list.push({ item, session: s.session.title });
        groups.set(k, list);
      }
    }
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a === none ? 1 : b === none ? -1 : a.localeCompare(b))));
}

function hasContent(n: JSONContent): boolean {
  if (n.type === 'text') return Boolean(n.text?.trim());
  if (n.type === 'horizontalRule') return true;
  return (n.content ?? []).some(hasContent);
}

/**
 * The notes without what the template leaves behind when nobody wrote there:
 * empty bullets, empty task boxes, empty paragraphs, and template headings
 * with nothing under them. Minutes show what was said, not the scaffolding.
 */
export function pruneEmpty(doc: JSONContent, scaffoldHeadings: readonly string[] = []): JSONContent {
  const prune = (nodes: JSONContent[] | undefined, inItem: boolean): JSONContent[] =>
    (nodes ?? []).flatMap((n): JSONContent[] => {
      if (n.type === 'text' || n.type === 'hardBreak' || n.type === 'codeBlock' || n.type === 'horizontalRule') return [n];
      if (!hasContent(n)) return inItem && n.type === 'paragraph' ? [n] : [];
      if (n.type === 'paragraph' || n.type === 'heading') return [n];
      const item = n.type === 'listItem' || n.type === 'taskItem';
      return [{ ...n, content: prune(n.content, item) }];
    });
  const content = prune(doc.content, false);
  const scaffold = new Set(scaffoldHeadings.map((h) => h.trim()));
  const level = headingLevel;
  const text = (h: JSONContent) => (h.content ?? []).map((c) => c.text ?? '').join('').trim();
  // From the end: a template heading is empty when the next block is a heading of the same or a higher level, or nothing.
  const kept: JSONContent[] = [];
  for (let i = content.length - 1; i >= 0; i--) {
    const n = content[i]!;
    const next = kept.at(-1);
    if (n.type === 'heading' && scaffold.has(text(n)) && (!next || (next.type === 'heading' && level(next) <= level(n)))) continue;
    kept.push(n);
  }
  return { ...doc, content: kept.reverse() };
}

/**
 * The notes every renderer walks: normalised (depth bounded, links safe,
 * levels sane; see notes.ts), without the empty template scaffolding, and
 * with action lines ticked on the board shown as done (see doneActions.ts).
 */
export function notesForMinutes(m: { notes: unknown; scaffoldHeadings?: readonly string[] }): JSONContent {
  return tickDoneActionLines(pruneEmpty(normalizeNotes(m.notes), m.scaffoldHeadings));
}

/** "26 sessions · 41 contributors · 87 action items (52 open)". */
export function statsLine(s: MinutesStats, separator = ' · ', labels: MinutesLabels = MINUTES_LABELS.en): string {
  return labels.stats(s, separator);
}
