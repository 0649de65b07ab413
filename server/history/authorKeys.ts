import { AUTHOR_KIND_COLORS, AUTHOR_KIND_LABELS, COLOR_PATTERN, type AuthorKind, type HistoryAuthor } from '../../shared/history/history.js';

/**
 * An author as history stores it: `p:<display name>` for a person, `k:<kind>`
 * for the server's writes. The tagger's own attribute writes are `k:tagger`:
 * shown as Roundtable, but housekeeping that never starts a revision of its own.
 */
export type AuthorKey = string;

export const TAGGER_KEY = 'k:tagger';

export const personKey = (name: string): AuthorKey => `p:${name}`;
export const kindKey = (kind: Exclude<AuthorKind, 'person'> | 'tagger'): AuthorKey => `k:${kind}`;

/** Kinds whose changes always form a revision of their own (they are what someone restores to or undoes). */
const SOLITARY = new Set(['k:restore', 'k:import', 'k:template']);
export const isSolitary = (key: AuthorKey): boolean => SOLITARY.has(key);

/** A display name as history records it: trimmed, at most 60 characters (the presence limit), or null. */
export function cleanName(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  const n = name.trim().slice(0, 60);
  return n ? n : null;
}

export const cleanColor = (color: unknown): string | null => (typeof color === 'string' && COLOR_PATTERN.test(color) ? color.toLowerCase() : null);

export function kindOfKey(key: AuthorKey): AuthorKind {
  if (key.startsWith('p:')) return 'person';
  const kind = key.slice(2);
  if (kind === 'tagger') return 'server';
  return kind in AUTHOR_KIND_LABELS ? (kind as AuthorKind) : 'unknown';
}

/** The name shown for an author: the person's, or the kind's label ("restore", "Roundtable"). */
export function labelOfKey(key: AuthorKey): string {
  if (key.startsWith('p:')) return key.slice(2);
  const kind = kindOfKey(key);
  return kind === 'person' ? key.slice(2) : AUTHOR_KIND_LABELS[kind];
}

/** The author as the API describes it; `colors` holds the colour each person showed. */
export function describeKey(key: AuthorKey, colors: ReadonlyMap<AuthorKey, string>): HistoryAuthor {
  const kind = kindOfKey(key);
  const color = kind === 'person' ? (colors.get(key) ?? '#57606a') : AUTHOR_KIND_COLORS[kind];
  return { name: labelOfKey(key), kind, color };
}

/** A revision's authors as shown: housekeeping left out when anyone else is there too. */
export function visibleKeys(keys: readonly AuthorKey[]): AuthorKey[] {
  const significant = keys.filter((k) => k !== TAGGER_KEY);
  return significant.length ? significant : [...keys];
}

export const visibleLabels = (keys: readonly AuthorKey[]): string[] => [...new Set(visibleKeys(keys).map(labelOfKey))];
