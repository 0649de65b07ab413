import { getSchema } from '@tiptap/core';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { createSchemaExtensions } from '../editor/extensions.js';
import { htmlToNotes } from './htmlToNotes.js';

const schema = getSchema(createSchemaExtensions());
const notes = (html: string) => htmlToNotes(parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body as unknown as Element, schema);
const t = (text: string, ...marks: string[]) => (marks.length ? { type: 'text', text, marks: marks.map((type) => ({ type })) } : { type: 'text', text });

describe('htmlToNotes: web pages, Word, Google Docs and Etherpad exports', () => {
  it('keeps structure and emphasis, drops colours, fonts, classes and scripts', () => {
    const doc = notes('<h2 class="title" style="color:red;font-family:Comic Sans">Decisions</h2><p style="color:#f00;font-size:30px">Plain <span style="font-weight:700;color:blue">bold</span> <a class="x" href="https://ok.org">ok</a> <a href="javascript:alert(1)">bad</a></p><script>alert(1)</script><style>p{}</style>');
    expect(doc.content).toEqual([
      { type: 'heading', attrs: { level: 2 }, content: [t('Decisions')] },
      { type: 'paragraph', content: [t('Plain '), t('bold', 'bold'), t(' '), { type: 'text', text: 'ok', marks: [{ type: 'link', attrs: { href: 'https://ok.org' } }] }, t(' bad')] },
    ]);
  });

  it('an image leaves a link to it named by its alt text or file name, or its alt text alone; one with neither goes', () => {
    const link = (text: string, href: string) => ({ type: 'text', text, marks: [{ type: 'link', attrs: { href } }] });
    expect(notes('<p>See <img src="https://wiki.example.org/img/cells%20v2.png"> and <img src="https://x.org/a.png?w=2" alt="Cells  diagram"> then <img src="data:image/png;base64,AAAA" alt="Screenshot"><img src="data:image/png;base64,AAAA"></p>').content).toEqual([
      { type: 'paragraph', content: [t('See '), link('[cells v2.png]', 'https://wiki.example.org/img/cells%20v2.png'), t(' and '), link('[Cells diagram]', 'https://x.org/a.png?w=2'), t(' then [Screenshot]')] },
    ]);
  });

  it('Google Docs’ wrapper (<b style="font-weight:normal">) is not bold', () => {
    expect(notes('<b style="font-weight:normal;" id="docs-internal-guid-1"><p dir="ltr"><span style="font-weight:400">Notes</span></p></b>').content).toEqual([{ type: 'paragraph', content: [t('Notes')] }]);
  });

  it('Word’s list paragraphs become real lists, nested by level, numbered when the marker is a number', () => {
    const word = (level: number, marker: string, text: string) =>
      `<p class=MsoListParagraphCxSpMiddle style='margin-left:.5in;text-indent:-.25in;mso-list:l0 level${level} lfo1'><![if !supportLists]><span style='font-family:Symbol;mso-list:Ignore'>${marker}<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>${text}</p>\n`;
    const doc = notes(`<p class=MsoNormal>Agenda</p>\n${word(1, '·', 'Cells')}${word(2, 'o', 'Placement')}${word(1, '·', 'Upgrades')}<p class=MsoNormal>Steps</p>${word(1, '1.', 'Back up')}${word(1, '2.', 'Upgrade')}`);
    const item = (text: string, ...nested: unknown[]) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [t(text)] }, ...nested] });
    expect(doc.content).toEqual([
      { type: 'paragraph', content: [t('Agenda')] },
      { type: 'bulletList', content: [item('Cells', { type: 'bulletList', content: [item('Placement')] }), item('Upgrades')] },
      { type: 'paragraph', content: [t('Steps')] },
      { type: 'orderedList', attrs: { start: 1, type: null }, content: [item('Back up'), item('Upgrade')] },
    ]);
  });

  it('lines separated by <br> (Etherpad has no paragraphs) become paragraphs; <br> inside a paragraph stays a line break', () => {
    expect(notes('ACTION: one<br>TODO: two<br><br><p>a<br>b</p>').content).toEqual([
      { type: 'paragraph', content: [t('ACTION: one')] },
      { type: 'paragraph', content: [t('TODO: two')] },
      { type: 'paragraph', content: [t('a'), { type: 'hardBreak' }, t('b')] },
    ]);
  });

  it('table rows become lines; header cells bold', () => {
    expect(notes('<table><tr><th>Owner</th><th>Item</th></tr><tr><td>dana</td><td><p>collect <a href="https://x.org">configs</a></p></td></tr></table>').content).toEqual([
      { type: 'paragraph', content: [t('Owner', 'bold'), t(' | '), t('Item', 'bold')] },
      { type: 'paragraph', content: [t('dana | collect '), { type: 'text', text: 'configs', marks: [{ type: 'link', attrs: { href: 'https://x.org' } }] }] },
    ]);
  });

  it('refuses HTML nested deeper than the element limit', () => {
    expect(() => notes('<div>'.repeat(200) + 'x')).toThrow(/nested more than 128 elements deep/);
  });
});
