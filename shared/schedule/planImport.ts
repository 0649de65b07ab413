import { SESSION_FIELD_NAMES, type SessionFields } from '../sessionFields.js';
import type { ImportedSession } from './types.js';

export interface ExistingSession extends SessionFields {
  id: string;
  hasNotes: boolean;
}

export interface ImportPlan {
  /** With the index of each in the imported list, so the preview can point at its row. */
  create: { index: number; session: ImportedSession }[];
  /** `after` is what the session becomes (fields the file leaves out keep their stored value). */
  update: { id: string; index: number; before: ExistingSession; after: ImportedSession; changes: (keyof SessionFields)[] }[];
  unchanged: { id: string; title: string }[];
  /** In the event but not in the file: reported, never deleted. */
  missing: { id: string; title: string; hasNotes: boolean }[];
}

/**
 * The UID a session has in Roundtable's own calendar feed when it was not
 * imported with one. Re-importing the feed matches by it, so the feed comes
 * back as the same schedule.
 */
export function feedUid(sessionId: string): string {
  return `${sessionId}@roundtable`;
}

const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

function changes(before: ExistingSession, after: ImportedSession): (keyof SessionFields)[] {
  return SESSION_FIELD_NAMES.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null));
}

/** What the session becomes: a file that carries no UID, track or description leaves the stored one alone. */
function mergeInto(before: ExistingSession, imported: ImportedSession): ImportedSession {
  return {
    ...imported,
    uid: imported.uid === feedUid(before.id) ? before.uid : (imported.uid ?? before.uid),
    track: imported.track ?? before.track,
    description: imported.description ?? before.description,
  };
}

/** Rooms as compared: each normalised, order ignored (`A; B` is `B; A`). */
const roomKey = (rooms: readonly string[]) => rooms.map(norm).sort().join('\u0000');

/**
 * Matches imported sessions to existing ones: by iCalendar UID (a session's
 * own, or its feed UID), else by title and start, else by a unique title (so
 * a moved session keeps its notes). Never plans a deletion.
 *
 * Parallel sessions may share a title and start ("Lightning talks" at 12:00
 * in Room A and in Room B): among those, a row first takes the one with the
 * same rooms, and only then one left over (one sharing a room, else the first
 * in schedule order). Each step runs over the whole file before the next, so
 * the order of the rows never decides which session keeps which notes.
 */
export function planImport(existing: readonly ExistingSession[], imported: readonly ImportedSession[]): ImportPlan {
  const plan: ImportPlan = { create: [], update: [], unchanged: [], missing: [] };
  const claimed = new Set<string>();
  const byUid = new Map<string, ExistingSession>();
  for (const e of existing) {
    byUid.set(feedUid(e.id), e);
    if (e.uid) byUid.set(e.uid, e);
  }
  const byTitleStart = new Map<string, ExistingSession[]>();
  for (const e of existing) {
    const k = `${norm(e.title)}|${e.startsAt ?? ''}`;
    byTitleStart.set(k, [...(byTitleStart.get(k) ?? []), e]);
  }
  const byTitle = new Map<string, ExistingSession[]>();
  for (const e of existing) byTitle.set(norm(e.title), [...(byTitle.get(norm(e.title)) ?? []), e]);
  const importedTitleCount = new Map<string, number>();
  for (const s of imported) importedTitleCount.set(norm(s.title), (importedTitleCount.get(norm(s.title)) ?? 0) + 1);

  /** The existing session each imported one updates, by index; filled step by step. */
  const matches: (ExistingSession | undefined)[] = imported.map(() => undefined);
  const step = (pick: (s: ImportedSession) => ExistingSession | undefined) => {
    imported.forEach((s, index) => {
      if (matches[index]) return;
      const match = pick(s);
      if (match && !claimed.has(match.id)) {
        claimed.add(match.id);
        matches[index] = match;
      }
    });
  };
  const unclaimedSameStart = (s: ImportedSession) => (byTitleStart.get(`${norm(s.title)}|${s.startsAt ?? ''}`) ?? []).filter((e) => !claimed.has(e.id));
  // 1. The UID.
  step((s) => (s.uid ? byUid.get(s.uid) : undefined));
  // 2. Title, start and the same rooms.
  step((s) => unclaimedSameStart(s).find((e) => roomKey(e.rooms) === roomKey(s.rooms)));
  // 3. Title and start: one that shares a room, else the first left (a room renamed, added or removed).
  step((s) => {
    const candidates = unclaimedSameStart(s);
    const rooms = new Set(s.rooms.map(norm));
    return candidates.find((e) => e.rooms.some((r) => rooms.has(norm(r)))) ?? candidates[0];
  });
  // 4. A title the file and the unclaimed sessions each have once (a moved session).
  step((s) => {
    const candidates = (byTitle.get(norm(s.title)) ?? []).filter((e) => !claimed.has(e.id));
    return candidates.length === 1 && importedTitleCount.get(norm(s.title)) === 1 ? candidates[0] : undefined;
  });

  imported.forEach((s, index) => {
    const match = matches[index];
    if (match) record(plan, match, s, index);
    else plan.create.push({ index, session: s });
  });
  for (const e of existing) if (!claimed.has(e.id)) plan.missing.push({ id: e.id, title: e.title, hasNotes: e.hasNotes });
  return plan;
}

function record(plan: ImportPlan, before: ExistingSession, imported: ImportedSession, index: number): void {
  const after = mergeInto(before, imported);
  const diff = changes(before, after);
  if (diff.length === 0) plan.unchanged.push({ id: before.id, title: before.title });
  else plan.update.push({ id: before.id, index, before, after, changes: diff });
}
