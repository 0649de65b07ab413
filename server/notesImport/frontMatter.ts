/** What a HedgeDoc note says about itself in its YAML front matter. */
export interface FrontMatter {
  title?: string;
  tags?: string[];
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * Splits HedgeDoc's YAML front matter off a note. Only `title` and `tags`
 * mean something to Roundtable (they come back in the import's response;
 * the session keeps its own title); the rest (`robots`, `breaks`,
 * `slideOptions`, …) is about HedgeDoc's own rendering and is dropped.
 * Only the YAML HedgeDoc writes is read: `key: value` lines, and tags as
 * "a, b", `[a, b]` or a `- a` list.
 */
export function splitFrontMatter(source: string): { body: string; frontMatter: FrontMatter | null } {
  const m = FENCE.exec(source);
  if (!m) return { body: source, frontMatter: null };
  const frontMatter: FrontMatter = {};
  const lines = m[1]!.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(lines[i]!);
    if (!kv) continue;
    const [, key, raw] = kv;
    const value = unquote(raw!.trim());
    if (key === 'title' && value) frontMatter.title = value;
    if (key === 'tags') {
      let tags: string[] = [];
      if (value.startsWith('[')) tags = value.replace(/^\[|\]$/g, '').split(',');
      else if (value) tags = value.split(',');
      else while (i + 1 < lines.length && /^\s*-\s+/.test(lines[i + 1]!)) tags.push(lines[++i]!.replace(/^\s*-\s+/, ''));
      frontMatter.tags = tags.map((t) => unquote(t.trim())).filter(Boolean);
    }
  }
  return { body: source.slice(m[0].length), frontMatter };
}

function unquote(s: string): string {
  return /^(["']).*\1$/.test(s) ? s.slice(1, -1) : s;
}

/**
 * HedgeDoc syntax that is not Markdown: `[TOC]` lines (a generated table of
 * contents) are dropped, and `:::info` … `:::` boxes become block quotes.
 */
export function hedgedocToMarkdown(body: string): string {
  const out: string[] = [];
  let inBox = false;
  let fence: string | null = null;
  for (const line of body.split(/\r?\n/)) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence || f) {
      // Inside a code fence nothing is HedgeDoc syntax.
      if (!fence) fence = f![1]!;
      else if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length) fence = null;
      out.push(inBox ? `> ${line}` : line);
      continue;
    }
    if (/^\s*\[TOC\]\s*$/i.test(line)) continue;
    if (!inBox && /^:::\s*[\w-]+/.test(line)) {
      inBox = true;
      continue;
    }
    if (inBox && /^:::\s*$/.test(line)) {
      inBox = false;
      out.push('');
      continue;
    }
    out.push(inBox ? `> ${line}` : line);
  }
  return out.join('\n');
}
