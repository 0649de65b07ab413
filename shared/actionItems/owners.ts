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

/** Words a name may be followed by at the start of a line: a space, punctuation, or the end. */
const LEADING_WORDS = /^[\s]*((?:[^\s:：,、;；()（）]+[\s]+){0,3}[^\s:：,、;；()（）]+)/u;

/**
 * The known person whose name opens `body` ("bob to write …", "Dana Smith:
 * review …"), compared like owner filters compare names (ownerKey), longest
 * name first; their name as the session knows it, or null.
 */
export function knownOwnerAtStart(body: string, knownNames: readonly string[]): string | null {
  const lead = LEADING_WORDS.exec(body)?.[1];
  if (!lead) return null;
  const words = lead.split(/\s+/u).map((w) => w.replace(/^@/, ''));
  const byKey = new Map<string, string>();
  for (const name of knownNames) {
    const key = ownerKey(name);
    if (key && !byKey.has(key)) byKey.set(key, name.trim());
  }
  for (let n = words.length; n >= 1; n--) {
    const found = byKey.get(ownerKey(words.slice(0, n).join(' ')));
    if (found) return found;
  }
  return japaneseNameAtStart(body, byKey);
}

/**
 * Japanese writes no space after a name: 「山田さん 資料を共有」, 「山田さんが会場を予約」,
 * 「山田が確認」. A known name opens the line when an honorific or a particle
 * (or a space, punctuation, the end) follows it; 「田中央」 does not name 田中.
 */
const AFTER_JAPANESE_NAME = /^(?:さん|さま|様|くん|君|ちゃん|氏|先生)?(?:[がはにへとも]|[\s:：,、;；()（）]|$)/u;

function japaneseNameAtStart(body: string, byKey: ReadonlyMap<string, string>): string | null {
  const line = body.normalize('NFKC').replace(/^\s*@?/u, '');
  let best: { name: string; length: number } | null = null;
  for (const [, name] of byKey) {
    const wanted = name.normalize('NFKC');
    // Only names written in Japanese scripts: a Latin name must be a whole word ("Bob" never opens "Bobby").
    if (!/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(wanted) || !line.startsWith(wanted)) continue;
    if (AFTER_JAPANESE_NAME.test(line.slice(wanted.length)) && wanted.length > (best?.length ?? 0)) best = { name, length: wanted.length };
  }
  return best?.name ?? null;
}
