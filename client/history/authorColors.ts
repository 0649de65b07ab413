import type { HistoryAuthor, VersionSummary } from '../../shared/history/history.js';
import { distinctColors, PALETTE } from '../lib/identity.js';

/** How a person is told apart from the server's kinds of author with the same label. */
const keyOf = (a: Pick<HistoryAuthor, 'kind' | 'name'>) => `${a.kind}:${a.name}`;

/**
 * The colour each person is shown with on the history page. The server gives
 * the colour each one's presence showed, and two people can have shown the
 * same one (on different days, or from the old palette). People are coloured
 * across the whole list of versions, in order of first appearance, so a
 * person keeps one colour while the slider moves and the earliest writer
 * keeps theirs; when there are more people than colours, only the version
 * shown is coloured apart. The server's kinds keep their fixed greys.
 */
export function historyColors(versions: readonly VersionSummary[], people: readonly HistoryAuthor[], shown: readonly HistoryAuthor[]): Map<string, string> {
  const persons = people.filter((p) => p.kind === 'person');
  const oldestFirst = [...versions].sort((a, b) => a.rev - b.rev);
  const firstSeen = new Map<string, number>();
  for (const v of oldestFirst) for (const name of v.authors) if (!firstSeen.has(name)) firstSeen.set(name, v.rev);
  const byAppearance = (list: readonly HistoryAuthor[]) =>
    [...list].sort((a, b) => (firstSeen.get(a.name) ?? Infinity) - (firstSeen.get(b.name) ?? Infinity) || a.name.localeCompare(b.name));
  // Those of the version shown that the list does not know yet (a newer version than the list) come last.
  const all = [...persons, ...shown.filter((a) => a.kind === 'person' && !persons.some((p) => p.name === a.name))];
  const together = all.length <= PALETTE.length ? all : shown.filter((a) => a.kind === 'person');
  return distinctColors(byAppearance(together).map((a) => ({ key: keyOf(a), name: a.name, preferred: a.color })));
}

/** The authors with the page's colours. */
export function recolorAuthors(authors: readonly HistoryAuthor[], colors: ReadonlyMap<string, string>): HistoryAuthor[] {
  return authors.map((a) => ({ ...a, color: colors.get(keyOf(a)) ?? a.color }));
}

interface JsonNode {
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: unknown[];
}

/** A version's ProseMirror JSON with every `author` mark in the page's colour for that person. */
export function recolorDoc(doc: unknown, colors: ReadonlyMap<string, string>): unknown {
  if (!doc || typeof doc !== 'object') return doc;
  const node = doc as JsonNode;
  const marks = node.marks?.map((m) => {
    if (m.type !== 'author' || !m.attrs) return m;
    const color = colors.get(keyOf({ kind: String(m.attrs.kind ?? 'person') as HistoryAuthor['kind'], name: String(m.attrs.name ?? '') }));
    return color ? { ...m, attrs: { ...m.attrs, color } } : m;
  });
  const content = node.content?.map((c) => recolorDoc(c, colors));
  return { ...node, ...(marks ? { marks } : {}), ...(content ? { content } : {}) };
}
