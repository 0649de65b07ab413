import type { ImportedSession } from './types.js';

export interface ExistingSession {
  id: string;
  uid: string | null;
  title: string;
  startsAt: string | null;
  endsAt: string | null;
  room: string | null;
  track: string | null;
  moderators: string[];
  tags: string[];
  description: string | null;
  hasNotes: boolean;
}

export interface ImportPlan {
  create: ImportedSession[];
  /** `after` is what the session becomes (fields the file leaves out keep their stored value). */
  update: { id: string; before: ExistingSession; after: ImportedSession; changes: string[] }[];
  unchanged: { id: string; title: string }[];
  /** In the event but not in the file: reported, never deleted. */
  missing: { id: string; title: string; hasNotes: boolean }[];
}

const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
const FIELDS = ['title', 'startsAt', 'endsAt', 'room', 'track', 'moderators', 'tags', 'description', 'uid'] as const;

function changes(before: ExistingSession, after: ImportedSession): string[] {
  return FIELDS.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null));
}

/** What the session becomes: a file that carries no UID, track or description leaves the stored one alone. */
function mergeInto(before: ExistingSession, imported: ImportedSession): ImportedSession {
  return {
    ...imported,
    uid: imported.uid ?? before.uid,
    track: imported.track ?? before.track,
    description: imported.description ?? before.description,
  };
}

/**
 * Matches imported sessions to existing ones: by iCalendar UID, else by title
 * and start, else by a unique title (so a moved session keeps its notes).
 * Never plans a deletion.
 */
export function planImport(existing: readonly ExistingSession[], imported: readonly ImportedSession[]): ImportPlan {
  const plan: ImportPlan = { create: [], update: [], unchanged: [], missing: [] };
  const claimed = new Set<string>();
  const byUid = new Map(existing.filter((e) => e.uid).map((e) => [e.uid!, e]));
  // Several sessions may share a title and start (one per room): each import row claims the first unclaimed one.
  const byTitleStart = new Map<string, ExistingSession[]>();
  for (const e of existing) {
    const k = `${norm(e.title)}|${e.startsAt ?? ''}`;
    byTitleStart.set(k, [...(byTitleStart.get(k) ?? []), e]);
  }
  const byTitle = new Map<string, ExistingSession[]>();
  for (const e of existing) byTitle.set(norm(e.title), [...(byTitle.get(norm(e.title)) ?? []), e]);
  const importedTitleCount = new Map<string, number>();
  for (const s of imported) importedTitleCount.set(norm(s.title), (importedTitleCount.get(norm(s.title)) ?? 0) + 1);

  const pending: ImportedSession[] = [];
  for (const s of imported) {
    let match = s.uid ? byUid.get(s.uid) : undefined;
    if (match && claimed.has(match.id)) match = undefined;
    match ??= byTitleStart.get(`${norm(s.title)}|${s.startsAt ?? ''}`)?.find((e) => !claimed.has(e.id));
    if (match) {
      claimed.add(match.id);
      record(plan, match, s);
    } else pending.push(s);
  }
  for (const s of pending) {
    const candidates = (byTitle.get(norm(s.title)) ?? []).filter((e) => !claimed.has(e.id));
    if (candidates.length === 1 && importedTitleCount.get(norm(s.title)) === 1) {
      claimed.add(candidates[0]!.id);
      record(plan, candidates[0]!, s);
    } else plan.create.push(s);
  }
  for (const e of existing) if (!claimed.has(e.id)) plan.missing.push({ id: e.id, title: e.title, hasNotes: e.hasNotes });
  return plan;
}

function record(plan: ImportPlan, before: ExistingSession, imported: ImportedSession): void {
  const after = mergeInto(before, imported);
  const diff = changes(before, after);
  if (diff.length === 0) plan.unchanged.push({ id: before.id, title: before.title });
  else plan.update.push({ id: before.id, before, after, changes: diff });
}
