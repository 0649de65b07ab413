const STRONG_LINE = [
  /^#{1,6}[ \t]+\S/, // heading
  /^[ \t]*(```|~~~)/, // code fence
  /^[ \t]*[-*+][ \t]+\[[ xX]\][ \t]/, // task item
  /^[ \t]*\|.*\|[ \t]*$/, // table row
];
const LIST_LINE = [/^[ \t]*[-*+][ \t]+\S/, /^[ \t]*\d{1,3}[.)][ \t]+\S/, /^>[ \t]?\S/];
const INLINE = [/\*\*[^*\n]+\*\*/, /__[^_\n]+__/, /~~[^~\n]+~~/, /`[^`\n]+`/, /\[[^\]\n]+\]\((?:https?:|mailto:|\/|#)[^)\s]*\)/];

/**
 * Whether text is worth reading as Markdown. `strict` (sniffing a file)
 * wants unmistakable Markdown: headings, fences, task items, tables,
 * emphasis, links or code. Otherwise (pasting) list and quote lines count
 * too: the editor turns "- item" into a list when it is typed, so it should
 * when it is pasted.
 */
export function looksLikeMarkdown(text: string, opts: { strict?: boolean } = {}): boolean {
  const lines = text.split(/\r?\n/, 2000);
  if (lines.some((l) => STRONG_LINE.some((r) => r.test(l)))) return true;
  if (INLINE.some((r) => r.test(text.slice(0, 200_000)))) return true;
  return !opts.strict && lines.some((l) => LIST_LINE.some((r) => r.test(l)));
}
