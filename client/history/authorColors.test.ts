import { describe, expect, it } from 'vitest';
import type { HistoryAuthor, VersionSummary } from '../../shared/history/history.js';
import { PALETTE } from '../lib/identity.js';
import { historyColors, recolorAuthors, recolorDoc } from './authorColors.js';

const version = (rev: number, authors: string[]): VersionSummary => ({ rev, at: '', startedAt: '', authors });
const person = (name: string, color: string): HistoryAuthor => ({ name, kind: 'person', color });
const [red, rust] = PALETTE as [string, string];

describe('history colours', () => {
  // The review's case: both showed the same red (the old palette's #cf222e, or the same hash).
  const alice = person('Alice Anders', red);
  const bob = person('Bob Brown', red);
  const template: HistoryAuthor = { name: 'template', kind: 'template', color: '#8c959f' };
  // Newest first, as the list comes.
  const versions = [version(3, ['Alice Anders']), version(2, ['Bob Brown']), version(1, ['template'])];

  it('gives two people who showed the same colour different ones; the first to write keeps theirs', () => {
    const colors = historyColors(versions, [alice, bob, template], [alice, bob]);
    expect(colors.get('person:Bob Brown')).toBe(red);
    expect(colors.get('person:Alice Anders')).toBe(rust);
    // The server's kinds keep their own colours.
    expect(colors.has('template:template')).toBe(false);
    expect(recolorAuthors([template, alice, bob], colors).map((a) => a.color)).toEqual(['#8c959f', rust, red]);
  });

  it('keeps a person’s colour whichever version is shown', () => {
    expect(historyColors(versions, [alice, bob], [alice])).toEqual(historyColors(versions, [alice, bob], [bob]));
  });

  it('with more people than colours, colours the version shown apart', () => {
    const crowd = Array.from({ length: PALETTE.length + 2 }, (_, i) => person(`P${i}`, red));
    const shown = crowd.slice(0, 3);
    const colors = historyColors([version(1, crowd.map((p) => p.name))], crowd, shown);
    expect(new Set(shown.map((p) => colors.get(`person:${p.name}`))).size).toBe(3);
  });

  it('recolours the author marks of a version, and nothing else', () => {
    const doc = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'a', marks: [{ type: 'author', attrs: { name: 'Alice Anders', kind: 'person', color: red } }, { type: 'bold' }] },
            { type: 'text', text: 'b', marks: [{ type: 'author', attrs: { name: 'template', kind: 'template', color: '#8c959f' } }] },
          ],
        },
      ],
    };
    const out = recolorDoc(doc, new Map([['person:Alice Anders', rust]])) as typeof doc;
    const [a, b] = out.content[0]!.content;
    expect(a!.marks).toEqual([{ type: 'author', attrs: { name: 'Alice Anders', kind: 'person', color: rust } }, { type: 'bold' }]);
    expect(b!.marks[0]!.attrs!.color).toBe('#8c959f');
    expect(doc.content[0]!.content[0]!.marks[0]!.attrs!.color).toBe(red);
  });
});
