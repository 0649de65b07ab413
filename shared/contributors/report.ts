import { NameMerger } from '../actionItems/names.js';

/** One session of a person in the contributors report. */
export interface ContributorSessionDto {
  sessionId: string;
  title: string;
  /** Characters this person typed that are still in the notes; null when that cannot be told (see AuthorCharCounts). */
  chars: number | null;
  moderated: boolean;
  tookNotes: boolean;
}

/** One person in `GET /api/events/:eventId/contributors`. */
export interface ContributorDto {
  /** The spelling shown (see NameMerger). */
  name: string;
  /** Every spelling merged into this person, `name` first. */
  variants: string[];
  /** Sessions where they took notes or moderated, in schedule order. */
  sessions: ContributorSessionDto[];
  /** Sum over sessions; null when no session could tell. */
  chars: number | null;
  actionItems: { owned: number; done: number };
}

export interface ContributorsInput {
  /** In schedule order. */
  sessions: { id: string; title: string; moderators: readonly string[]; noteTakers: readonly string[] }[];
  actionItems: { owners: readonly string[]; status: 'open' | 'done' }[];
  /**
   * Characters in the current notes by session id, then by the name the
   * writer showed. A name missing from a session means "cannot tell", and is
   * different from 0 (wrote, but none of it is left).
   */
  chars: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/**
 * Who took notes, moderated and owns action items at an event, one entry per
 * person (spellings merged), in alphabetical order: a thank-you list, not a
 * ranking.
 */
export function buildContributors(input: ContributorsInput): ContributorDto[] {
  const names = new NameMerger();
  const perSession = new Map<string, Map<string, ContributorSessionDto>>();
  const owned = new Map<string, { owned: number; done: number }>();
  const entry = (key: string, session: ContributorsInput['sessions'][number]) => {
    let sessions = perSession.get(key);
    if (!sessions) perSession.set(key, (sessions = new Map()));
    let e = sessions.get(session.id);
    if (!e) sessions.set(session.id, (e = { sessionId: session.id, title: session.title, chars: null, moderated: false, tookNotes: false }));
    return e;
  };

  for (const session of input.sessions) {
    for (const n of session.noteTakers) {
      const key = names.add(n);
      if (key) entry(key, session).tookNotes = true;
    }
    for (const [n, chars] of input.chars.get(session.id) ?? []) {
      const key = names.add(n);
      if (!key) continue;
      const e = entry(key, session);
      e.tookNotes = true;
      e.chars = (e.chars ?? 0) + chars;
    }
    for (const n of session.moderators) {
      const key = names.add(n);
      if (key) entry(key, session).moderated = true;
    }
  }
  for (const item of input.actionItems) {
    for (const key of new Set(item.owners.map((o) => names.add(o)).filter(Boolean))) {
      const c = owned.get(key) ?? { owned: 0, done: 0 };
      c.owned++;
      if (item.status === 'done') c.done++;
      owned.set(key, c);
    }
  }

  const order = new Map(input.sessions.map((s, i) => [s.id, i]));
  return names
    .keys()
    .map((key): ContributorDto => {
      const sessions = [...(perSession.get(key)?.values() ?? [])].sort((a, b) => order.get(a.sessionId)! - order.get(b.sessionId)!);
      const counted = sessions.filter((s) => s.chars !== null);
      return {
        name: names.display(key),
        variants: names.variants(key),
        sessions,
        chars: counted.length ? counted.reduce((sum, s) => sum + s.chars!, 0) : null,
        actionItems: owned.get(key) ?? { owned: 0, done: 0 },
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.name.length - b.name.length);
}
