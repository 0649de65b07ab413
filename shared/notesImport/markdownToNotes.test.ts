import { getSchema, type JSONContent } from '@tiptap/core';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { createSchemaExtensions } from '../editor/extensions.js';
import { htmlToNotes } from './htmlToNotes.js';
import { ImportProblem } from './importProblem.js';
import { createMarkdownToNotes } from './markdownToNotes.js';
import { sanitizeNotes } from './sanitizeNotes.js';

const schema = getSchema(createSchemaExtensions());
const body = (html: string) => parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body as unknown as Element;
const toNotes = createMarkdownToNotes((html) => htmlToNotes(body(html), schema).content ?? []);
const t = (text: string, ...marks: string[]): JSONContent => (marks.length ? { type: 'text', text, marks: marks.map((type) => ({ type })) } : { type: 'text', text });
const p = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });

describe('createMarkdownToNotes (paste and import share it)', () => {
  it('gives headings, lists, task items, links, code and quotes, valid in the editor schema', () => {
    const doc = toNotes('# Agenda\n\n- cells v2\n  - placement\n1. one\n- [ ] @dana send it\n- [x] done\n\n> quote\n\n```sh\nls\n```\n\nSee [guide](https://docs.openstack.org/) and `nova-manage`.');
    schema.nodeFromJSON(doc).check();
    expect(doc.content!.map((n) => n.type)).toEqual(['heading', 'bulletList', 'orderedList', 'taskList', 'blockquote', 'codeBlock', 'paragraph']);
    expect(doc.content![1]!.content![0]!.content![1]!.type).toBe('bulletList');
    expect(doc.content![3]!.content!.map((i) => i.attrs!.checked)).toEqual([false, true]);
    expect(doc.content![5]).toEqual({ type: 'codeBlock', attrs: { language: 'sh' }, content: [t('ls')] });
    expect(doc.content![6]!.content).toEqual([t('See '), { type: 'text', text: 'guide', marks: [{ type: 'link', attrs: { href: 'https://docs.openstack.org/' } }] }, t(' and '), t('nova-manage', 'code'), t('.')]);
  });

  it('a box in a numbered item makes a task item, as typing "1. [ ] " does, and the items after it keep their numbers', () => {
    const doc = toNotes('3. first\n4. [ ] @dana send **it**\n5. [x] done\n6. last');
    schema.nodeFromJSON(doc).check();
    expect(doc.content).toEqual([
      { type: 'orderedList', attrs: expect.objectContaining({ start: 3 }), content: [{ type: 'listItem', content: [p(t('first'))] }] },
      { type: 'taskList', content: [
        { type: 'taskItem', attrs: { checked: false }, content: [p(t('@dana send '), t('it', 'bold'))] },
        { type: 'taskItem', attrs: { checked: true }, content: [p(t('done'))] },
      ] },
      { type: 'orderedList', attrs: expect.objectContaining({ start: 6 }), content: [{ type: 'listItem', content: [p(t('last'))] }] },
    ]);
    // A box later in the line is text.
    expect(toNotes('1. see [ ] later').content![0]!.type).toBe('orderedList');
  });

  it('each line is its own paragraph (as in a pad and in HedgeDoc), so every action line is a block of its own', () => {
    expect(toNotes('ACTION: @bob do it\nTODO: **two**').content).toEqual([p(t('ACTION: @bob do it')), p(t('TODO: '), t('two', 'bold'))]);
  });

  it('drops unsafe links (keeping their text), raw scripts and styles; raw HTML keeps its structure', () => {
    const doc = toNotes('[x](javascript:alert(1)) <b>raw</b> <span style="color:red" onclick="x()">red</span><script>alert(1)</script>\n\n<details><summary>More</summary>hidden</details>');
    expect(doc.content).toEqual([p(t('x '), t('raw', 'bold'), t(' red')), p(t('More')), p(t('hidden'))]);
    expect(JSON.stringify(doc)).not.toMatch(/javascript|alert|color/);
  });

  it('tables become one line per row, images links to the image', () => {
    expect(toNotes('| who | what |\n|---|---|\n| dana | [configs](https://x.org) |\n\n![diagram](https://x.org/d.png)').content).toEqual([
      p(t('who', 'bold'), t(' | '), t('what', 'bold')),
      p(t('dana | '), { type: 'text', text: 'configs', marks: [{ type: 'link', attrs: { href: 'https://x.org' } }] }),
      p({ type: 'text', text: 'diagram', marks: [{ type: 'link', attrs: { href: 'https://x.org/d.png' } }] }),
    ]);
  });

  it('refuses nesting deeper than the limit instead of overflowing', () => {
    expect(() => toNotes('>'.repeat(200) + ' deep')).toThrow(ImportProblem);
    expect(() => toNotes(`${'- a\n'.repeat(1)}${Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i + 1)}- x`).join('\n')}`)).toThrow(/nested more than 32 levels/);
  });
});

describe('sanitizeNotes', () => {
  it('removes the tagger’s attributes, wraps stray inline content, and drops blank paragraphs between blocks only', () => {
    const doc = sanitizeNotes({
      type: 'doc',
      content: [
        { type: 'paragraph', attrs: { actionItemId: 'abc', actionStatus: 'done' }, content: [t('ACTION: x')] },
        { type: 'paragraph', content: [] },
        t('stray'),
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [] }] }] },
      ],
    });
    expect(doc.content).toEqual([{ type: 'paragraph', content: [t('ACTION: x')] }, p(t('stray')), { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [] }] }] }]);
  });
});
