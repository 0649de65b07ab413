import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { actionLine as line, sessionWithTickedLines } from '../../test/fixtures/minutes/tickedLines.js';
import { tickDoneActionLines } from './doneActions.js';
import { renderSessionHtml } from './html.js';
import { renderSessionMarkdown } from './markdown.js';
import { renderSessionText } from './text.js';

describe('action lines ticked on the board, in the minutes', () => {
  it('become ticked task items; open lines, typed boxes and plain text stay as written', () => {
    const doc = tickDoneActionLines(sessionWithTickedLines().notes);
    expect(doc.content!.map((n) => n.type)).toEqual(['taskList', 'paragraph', 'paragraph', 'bulletList', 'taskList', 'bulletList']);
    expect(doc.content![0]!.content![0]!.attrs).toEqual({ checked: true });
    expect(doc.content![4]!.content![0]!.content![0]!.content![0]!.text).toBe('アクション: @jun 確認する');
  });

  it('numbered lists carry their numbering on after a ticked line', () => {
    const ol: JSONContent = { type: 'orderedList', attrs: { start: 3 }, content: [line('a', null), line('TODO: b', 'done'), line('c', null)].map((p) => ({ type: 'listItem', content: [p] })) };
    const doc = tickDoneActionLines({ type: 'doc', content: [ol] });
    expect(doc.content!.map((n) => [n.type, n.attrs?.start])).toEqual([['orderedList', 3], ['taskList', undefined], ['orderedList', 5]]);
  });

  it('Markdown ticks them like a done task, open ones not', () => {
    const md = renderSessionMarkdown(sessionWithTickedLines());
    expect(md).toContain('- [x] ACTION: @hana テンプレートを作成 期限: 2016-06-30');
    expect(md).toContain('- [x] アクション: @jun 確認する');
    expect(md).toMatch(/^TODO: @ivan send the announcement$/m);
    // A typed box shows its state already: no second box.
    expect(md).toMatch(/^\\\[x\\\] @goro 集計する$/m);
  });

  it('HTML (and so print) shows the ticked box of a done task', () => {
    const html = renderSessionHtml(sessionWithTickedLines());
    expect(html).toMatch(/<li class="done"><span class="box"[^>]*>☑<\/span> ACTION: @hana/);
    expect(html).toMatch(/<li class="done"><span class="box"[^>]*>☑<\/span> アクション: @jun/);
    expect(html).toContain('<p class="action-item">TODO: @ivan send the announcement</p>');
  });

  it('plain text marks them [x], like a done task', () => {
    const txt = renderSessionText(sessionWithTickedLines());
    expect(txt).toMatch(/^\[x\] ACTION: @hana/m);
    expect(txt).toMatch(/^\[x\] アクション: @jun/m);
    expect(txt).toMatch(/^TODO: @ivan/m);
  });
});
