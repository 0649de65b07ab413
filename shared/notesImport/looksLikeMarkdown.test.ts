import { describe, expect, it } from 'vitest';
import { looksLikeMarkdown } from './looksLikeMarkdown.js';

describe('looksLikeMarkdown', () => {
  it('sees headings, fences, task items, tables, emphasis, links and code', () => {
    for (const md of ['# Agenda', '```\nls\n```', '- [ ] send it', '| a | b |', 'very **important**', 'see [x](https://x.org)', 'run `ls`']) expect(looksLikeMarkdown(md, { strict: true }), md).toBe(true);
  });
  it('list lines count when pasting, not when sniffing a file; plain text and MeetBot lines never', () => {
    expect(looksLikeMarkdown('- one\n- two')).toBe(true);
    expect(looksLikeMarkdown('- one\n- two', { strict: true })).toBe(false);
    for (const text of ['Just a sentence.', '#action matt write it up', '[ ] @dana typed box', 'ACTION: @x 5 * 3 = 15']) expect(looksLikeMarkdown(text), text).toBe(false);
  });
});
