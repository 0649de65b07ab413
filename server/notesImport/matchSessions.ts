import type { UnmatchedWhy } from '../../shared/notesImport/importResult.js';
/**
 * Files in an event zip are matched to sessions by title. Titles are
 * compared normalised: Unicode width folded (NFKC: full-width "ＯＰＳ" is
 * "OPS"), case folded, punctuation and symbols as spaces. A file's name
 * also loses its extension and the Etherpad pad-name prefix the OpenStack
 * events used (`AUS-ops-`, `BOS-forum-`, `ptg-`), and its hyphens and
 * underscores become spaces, so `AUS-ops-large-deployments.etherpad` finds
 * "Large Deployments Team".
 */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}_]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const PAD_PREFIX = /^(?:[a-z]{2,6}\d{0,4}[-_](?:ops|forum|ptg|summit|meetup|wg|session)[-_]|(?:ops|forum|ptg)[-_])/i;

/** A file name (or pad id) as the title it stands for. */
export function titleOfFilename(name: string): string {
  const base = name.split('/').pop()!.replace(/\.[a-z0-9]{1,10}$/i, '');
  return base.replace(PAD_PREFIX, '').replace(/[-_+.]+/g, ' ');
}

export interface MatchCandidate {
  file: string;
  /** Titles the file gives itself besides its name (pad id, front matter, <title>). */
  titles: string[];
}

export interface SessionRef {
  id: string;
  title: string;
}

export type MatchResult = { file: string; sessionId: string } | { file: string; sessionId: null; why: Exclude<UnmatchedWhy, 'not_notes'>; names: string[]; reason: string };

/**
 * Matches each file to one session: an exact (normalised) title wins;
 * otherwise a title whose words all appear in exactly one session's title
 * (or the other way round). Several candidate sessions, or several files
 * for one session, match nothing, and say so, rather than guess.
 */
export function matchSessions(files: readonly MatchCandidate[], sessions: readonly SessionRef[]): MatchResult[] {
  const normSessions = sessions.map((s) => ({ s, norm: normaliseTitle(s.title) }));
  const first = files.map((f): MatchResult => {
    const names = [titleOfFilename(f.file), ...f.titles.map(titleOfFilename), ...f.titles].map(normaliseTitle).filter(Boolean);
    const exact = unique(normSessions.filter(({ norm }) => names.some((n) => n === norm || n.replace(/ /g, '') === norm.replace(/ /g, ''))));
    if (exact.length === 1) return { file: f.file, sessionId: exact[0]!.s.id };
    if (exact.length > 1) return ambiguous(f.file, exact.map((e) => e.s.title));
    const partial = unique(normSessions.filter(({ norm }) => names.some((n) => wordsWithin(n, norm) || wordsWithin(norm, n))));
    if (partial.length === 1) return { file: f.file, sessionId: partial[0]!.s.id };
    if (partial.length > 1) return ambiguous(f.file, partial.map((e) => e.s.title));
    return { file: f.file, sessionId: null, why: 'no_title_match', names: [], reason: 'no session has this title' };
  });
  const bySession = new Map<string, string[]>();
  for (const m of first) if (m.sessionId) bySession.set(m.sessionId, [...(bySession.get(m.sessionId) ?? []), m.file]);
  return first.map((m) => {
    if (!m.sessionId) return m;
    const rivals = bySession.get(m.sessionId)!.filter((f) => f !== m.file);
    return rivals.length ? { file: m.file, sessionId: null, why: 'same_session', names: rivals, reason: `${rivals.join(', ')} matches the same session` } : m;
  });
}

function unique<T extends { s: SessionRef }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((x) => !seen.has(x.s.id) && seen.add(x.s.id));
}

/** Every word of `part` is a word of `whole` (and `part` says something: not one short word). */
function wordsWithin(part: string, whole: string): boolean {
  const words = part.split(' ').filter(Boolean);
  if (words.length === 0 || (words.length === 1 && words[0]!.length < 4)) return false;
  const set = new Set(whole.split(' '));
  return words.every((w) => set.has(w));
}

function ambiguous(file: string, titles: string[]): MatchResult {
  const names = titles.slice(0, 5);
  return { file, sessionId: null, why: 'ambiguous', names, reason: `could be any of: ${names.join('; ')}` };
}
