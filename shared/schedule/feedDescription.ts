/**
 * A feed event's DESCRIPTION is for people reading it in their calendar app:
 * the session's description, then a last paragraph with its moderators and a
 * link to its notes. Roundtable writes that paragraph, and takes it back off
 * when it imports its own feed, so the feed re-imports as the same schedule.
 */
export function feedDescription(description: string | null, moderators: readonly string[], notesUrl: string | null): string | null {
  const trailer = [moderators.length ? `Moderators: ${moderators.join(', ')}` : null, notesUrl ? `Notes: ${notesUrl}` : null].filter((l): l is string => l !== null);
  const parts = [description, trailer.join('\n')].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join('\n\n') : null;
}

/** The other way: the session's own description and moderators from a DESCRIPTION that Roundtable wrote. */
export function splitFeedDescription(text: string): { description: string | null; moderators: string[] } {
  const paragraphs = text.split('\n\n');
  const last = paragraphs.at(-1) ?? '';
  const lines = last.split('\n');
  if (!lines.every((l) => /^(?:Moderators: .*|Notes: \S+)$/.test(l))) return { description: text, moderators: [] };
  const mods = lines.find((l) => l.startsWith('Moderators: '))?.slice('Moderators: '.length);
  const description = paragraphs.slice(0, -1).join('\n\n');
  return { description: description || null, moderators: mods ? mods.split(', ').filter(Boolean) : [] };
}
