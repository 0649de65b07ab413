import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { notesFromText } from './fromText.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures');
const p = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const li = (text: string, ...nested: unknown[]) => ({ type: 'listItem', content: [p(text), ...nested] });

describe('notesFromText: the one plain-text converter (demo, fixtures, .txt import)', () => {
  it('turns section names into headings, "- " and "・" lines into bullets, boxes into task items, and keeps the rest as typed', () => {
    const doc = notesFromText('Agenda\n- cells v2\n・配置\n\nAction items\n[ ] @dana send it\n[x] done\nACTION: @bob write it up');
    expect(doc.content).toEqual([
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Agenda' }] },
      { type: 'bulletList', content: [li('cells v2'), li('配置')] },
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Action items' }] },
      {
        type: 'taskList',
        content: [
          { type: 'taskItem', attrs: { checked: false }, content: [p('@dana send it')] },
          { type: 'taskItem', attrs: { checked: true }, content: [p('done')] },
        ],
      },
      p('ACTION: @bob write it up'),
    ]);
  });

  it('reads Etherpad’s text export: tab-indented "*" and "1." lists nest by their tabs', () => {
    const doc = notesFromText(fs.readFileSync(path.join(fixtures, 'etherpad/large-deployments.txt'), 'utf8'));
    expect(doc.content![1]).toEqual({
      type: 'bulletList',
      content: [li('Cells v2: who is running it in production?'), li('Nova scheduler pain at 1,000+ hypervisors', { type: 'bulletList', content: [li('placement API adoption')] })],
    });
    expect(doc.content![3]).toEqual({ type: 'orderedList', attrs: { start: 1 }, content: [li('Gather upgrade stories'), li('Compare RabbitMQ tuning')] });
    expect(doc.content![4]).toEqual(p('ACTION: @dana collect scheduler configs by 2016-06-01'));
    // MeetBot's "#action" is not a Markdown heading: no space after the #.
    expect(doc.content![5]).toEqual(p('#action matt write up the cells v2 migration notes'));
  });

  it('a blank line ends a list; a deeper item under nothing nests in the last item; "# " lines are headings', () => {
    const doc = notesFromText('- a\n    - b\n\n- c\n# Title\n## Sub');
    expect(doc.content).toEqual([
      { type: 'bulletList', content: [li('a', { type: 'bulletList', content: [li('b')] })] },
      { type: 'bulletList', content: [li('c')] },
      { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Title' }] },
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Sub' }] },
    ]);
  });

  it('links URLs as the editor’s autolink does, without the sentence’s punctuation; never javascript:', () => {
    const doc = notesFromText('See https://etherpad.openstack.org/p/AUS-ops-nova. And javascript:alert(1)');
    expect(doc.content![0]!.content).toEqual([
      { type: 'text', text: 'See ' },
      { type: 'text', text: 'https://etherpad.openstack.org/p/AUS-ops-nova', marks: [{ type: 'link', attrs: { href: 'https://etherpad.openstack.org/p/AUS-ops-nova' } }] },
      { type: 'text', text: '. And javascript:alert(1)' },
    ]);
  });

  it('dropTitleLine leaves out the pad’s first line (the demo: the session has its own title)', () => {
    expect(notesFromText('\nPad title\nNotes', { dropTitleLine: true }).content).toEqual([{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Notes' }] }]);
    expect(notesFromText('\uFEFFPad title\r\nline').content).toEqual([p('Pad title'), p('line')]);
  });
});
