import type { JSONContent } from '@tiptap/core';
import { parseHTML } from 'linkedom';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { notesToMarkdown } from './markdown.js';

const t = (text: string, ...marks: string[]): JSONContent => ({ type: 'text', text, ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}) });
const link = (text: string, href: string): JSONContent => ({ type: 'text', text, marks: [{ type: 'link', attrs: { href } }] });
const p = (...content: JSONContent[]): JSONContent => (content.length ? { type: 'paragraph', content } : { type: 'paragraph' });
const doc = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });

/** The Markdown read back the way a GFM renderer (marked, as @tiptap/markdown uses) reads it. */
async function readBack(notes: JSONContent): Promise<Document> {
  return parseHTML(`<!doctype html><html><body>${await marked.parse(notesToMarkdown(notes))}</body></html>`).document as unknown as Document;
}

// Each of these was found by the fuzz suite (minutes.fuzz.test.ts): text lost, or markup a reader would run.
describe('Markdown export, read back by a GFM renderer', () => {
  it('"!" before a link stays text: no image loaded from the link', async () => {
    const d = await readBack(doc(p(t('Wow!'), link('the guide', 'https://example.org/'))));
    expect(d.querySelectorAll('img')).toHaveLength(0);
    expect(d.querySelector('a')!.textContent).toBe('the guide');
    expect(d.body.textContent).toContain('Wow!the guide');
  });

  it('a bare URL right before a code span or a link does not swallow it (the code stays code)', async () => {
    const d = await readBack(doc(p(t('see https://example.org/path'), t('<script>alert(1)</script>', 'code'), link('x', 'https://example.org/'))));
    expect(d.querySelectorAll('script')).toHaveLength(0);
    expect(d.querySelector('code')!.textContent).toBe('<script>alert(1)</script>');
    expect(d.body.textContent).toContain('https://example.org/path');
  });

  it('text after a bare URL that looks like a tag stays text', async () => {
    const d = await readBack(doc(p(t('https://example.org/path<img src=x onerror=alert(1)>'))));
    expect(d.querySelectorAll('img')).toHaveLength(0);
    expect(d.body.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('struck bold text before a code span keeps the code span', async () => {
    const d = await readBack(doc(p(t('a'), t('b', 'bold', 'strike'), t('<b>x</b>', 'code'))));
    expect(d.querySelectorAll('b')).toHaveLength(0);
    expect(d.querySelector('code')!.textContent).toBe('<b>x</b>');
  });

  it('a hard break inside a quote keeps the next line in the quote', async () => {
    const notes = doc({ type: 'blockquote', content: [p(t('first'), { type: 'hardBreak' }, t('second'))] });
    // Not left to a reader's lazy-continuation rule: every line of the quote carries its marker.
    expect(notesToMarkdown(notes)).toBe('> first\\\n> second');
    expect((await readBack(notes)).querySelector('blockquote')!.textContent).toMatch(/first\s*second/);
  });

  it('an item with an empty first line under a line of text is a list item, not a heading underline', async () => {
    const nested = { type: 'bulletList', content: [{ type: 'listItem', content: [p(), { type: 'blockquote', content: [p(t('quoted'))] }] }] };
    const d = await readBack(doc({ type: 'bulletList', content: [{ type: 'listItem', content: [p(t('parent')), nested] }] }));
    expect(d.querySelectorAll('h1, h2')).toHaveLength(0);
    expect(d.querySelectorAll('li li blockquote')).toHaveLength(1);
  });

  it('a code span with a line break in a list item does not end the item', async () => {
    const notes = doc({ type: 'orderedList', attrs: { start: 10 }, content: [{ type: 'listItem', content: [p(t('line\nbreak', 'code')), p(t('<script>alert(1)</script>'))] }] });
    expect(notesToMarkdown(notes)).toContain('10. `line break`');
    const d = await readBack(notes);
    expect(d.querySelectorAll('pre')).toHaveLength(0);
    expect(d.querySelector('li')!.textContent).toContain('<script>alert(1)</script>');
  });

  it('a heading with a hard break stays one heading', async () => {
    const d = await readBack(doc({ type: 'heading', attrs: { level: 2 }, content: [t('Decisions'), { type: 'hardBreak' }, t('and votes')] }));
    expect(d.querySelector('h2')!.textContent).toBe('Decisions and votes');
  });
});
