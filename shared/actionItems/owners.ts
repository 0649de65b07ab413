/** Owner recognition: @mentions, "owner: x", 担当: x. */

const NAME = String.raw`[\p{L}\p{M}\p{N}_](?:[\p{L}\p{M}\p{N}._-]{0,62}[\p{L}\p{M}\p{N}_])?`;

// "@" not preceded by something that makes it an e-mail address.
const MENTION = new RegExp(String.raw`(?<![\p{L}\p{N}._%+-])@(${NAME})`, 'gu');
// owner: a, b / owners: a and b / (owner: a) / 担当: a / 担当者：a
const LABELLED = new RegExp(
  String.raw`(?:(?<![\p{L}\p{N}])owners?|担当者?)\s*:\s*((?:@?${NAME})(?:\s*(?:,|、|/|&|\band\b|と)\s*@?${NAME}){0,9})`,
  'giu',
);
const SPLIT = /\s*(?:,|、|\/|&|\band\b|と)\s*/u;

function clean(name: string): string {
  return name.replace(/^@/, '').replace(/[._-]+$/, '');
}

/** Every owner named in `text` (normalised), de-duplicated in order of appearance. */
export function findOwners(text: string): string[] {
  const found: { at: number; name: string }[] = [];
  for (const m of text.matchAll(MENTION)) found.push({ at: m.index, name: clean(m[1]!) });
  for (const m of text.matchAll(LABELLED)) {
    let offset = m.index;
    for (const part of m[1]!.split(SPLIT)) {
      const name = clean(part.trim());
      if (name) found.push({ at: offset++, name });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of found) {
    const key = f.name.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(f.name);
    }
  }
  return out;
}

/** The nick right after MeetBot's `#action`, if the line has no other owner. */
export function meetBotOwner(rest: string): string | null {
  const m = new RegExp(String.raw`^\s*@?(${NAME})[:,]?(?=\s|$)`, 'u').exec(rest);
  return m ? clean(m[1]!) : null;
}

/**
 * How owner filters compare names: case, width, a leading @ and the
 * separators people swap between a display name and a mention ("Dana Smith",
 * "@dana.smith", "dana_smith") do not matter.
 */
export function ownerKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/^@/, '').replace(/[\s._-]+/g, '');
}
