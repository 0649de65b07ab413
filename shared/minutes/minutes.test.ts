import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { htmlProblems } from '../../test/fixtures/minutes/inertHtml.js';
import { expectGolden } from '../../test/helpers/golden.js';
import { fixtureEvent, hostileSession, jpSession, nfvSession, richSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import { defaultSessionTemplate } from '../editor/template.js';
import { renderEventHtml, renderSessionHtml } from './html.js';
import { renderEventJson, renderSessionJson } from './json.js';
import { renderEventMarkdown, renderSessionMarkdown } from './markdown.js';
import type { MinutesEvent, MinutesSession } from './model.js';
import { renderEventText, renderSessionText, TEXT_WIDTH } from './text.js';
import { textWidth } from './wrap.js';

const goldenDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/minutes');

/** Compares with test/fixtures/minutes/<name>; UPDATE_GOLDENS=1 rewrites the file after a deliberate change. */
function golden(name: string, actual: string): void {
  expectGolden(path.join(goldenDir, name), actual);
}

const sessions: [string, () => MinutesSession][] = [
  ['nfv', nfvSession],
  ['jp', jpSession],
  ['rich', richSession],
];
const SESSION_RENDERERS = { md: renderSessionMarkdown, html: renderSessionHtml, txt: renderSessionText, json: renderSessionJson };
const EVENT_RENDERERS: Record<keyof typeof SESSION_RENDERERS, (e: MinutesEvent) => string> = { md: renderEventMarkdown, html: renderEventHtml, txt: renderEventText, json: renderEventJson };

describe('golden minutes from the fixture notes', () => {
  for (const [name, make] of sessions) {
    for (const [format, render] of Object.entries(SESSION_RENDERERS)) {
      it(`session ${name}.${format}`, () => golden(`session-${name}.${format}`, render(make())));
    }
  }
  for (const [format, render] of Object.entries(EVENT_RENDERERS)) {
    it(`event.${format}`, () => golden(`event.${format}`, render(fixtureEvent())));
  }
});

describe('minutes content', () => {
  it('the header names event, session, local date and time, room, moderators and note-takers', () => {
    const md = renderSessionMarkdown(nfvSession());
    expect(md).toContain('# NFV/Telco Working Group');
    expect(md).toContain('_OpenStack Ops Meetup — Austin 2016_');
    // 16:15Z is 11:15 in Austin (CDT).
    expect(md).toContain('- **When:** Monday, 25 April 2016, 11:15–11:55 (America/Chicago)');
    expect(md).toContain('- **Room:** Salon A');
    expect(md).toContain('- **Moderators:** bruno');
    // "<" is written as an entity: a backslash before it can be swallowed by a GFM autolink (https://x\\<img …>).
    expect(md).toContain('- **Note-takers:** akiko, Dana &lt;AT\\&T\\>, chen');
  });

  it('Markdown keeps headings under the title, task lists, nested lists, links, emphasis, code and quotes', () => {
    const md = renderSessionMarkdown(richSession());
    expect(md).toMatch(/^## Upgrades 議論$/m);
    expect(md).toMatch(/^### 手順$/m);
    expect(md).toContain('- [x] Write the etherpad template\n- [ ] 日本語のアンケートを集計する\n  - [ ] nested sub-task');
    expect(md).toContain('2. Upgrade the control plane\n   - keystone first');
    expect(md).toContain('**rolling upgrades**');
    expect(md).toContain('_not_');
    expect(md).toContain('~~downtime~~');
    expect(md).toContain('`nova-manage db sync`');
    expect(md).toContain('[the upgrade guide](<https://docs.openstack.org/upgrade/>)');
    expect(md).toContain('> Never upgrade on a Friday. 金曜日にアップグレードしない。');
    expect(md).toContain('```sh\nopenstack server list --all-projects\nnova-manage db sync\n```');
    expect(md).toContain('| Owner | Item | Due | Status |');
    // The template's empty bullet under "Decisions" is not exported as an empty item.
    expect(md).not.toMatch(/^\s*-\s*$/m);
  });

  it('an untouched template exports as "No notes", not as empty headings and bullets', () => {
    const m = { ...richSession(), notes: defaultSessionTemplate(), actionItems: [] };
    const md = renderSessionMarkdown(m);
    expect(md).toContain('_No notes._');
    expect(md).not.toContain('Attendees');
    expect(md).toContain('## Action item summary\n\n_No action items._');
    expect(renderSessionHtml(m)).toContain('<p><em>No notes.</em></p>');
    expect(renderSessionText(m)).not.toMatch(/^\s*[*-]\s*$/m);
  });

  it('headings a note-taker typed are kept even with nothing under them; only template headings are dropped', () => {
    const h = (text: string) => ({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text }] });
    const notes = { type: 'doc', content: [h('Attendees'), h('Cells v2 is mandatory in Ocata'), h('国内の運用者が参加'), h('Decisions')] };
    const md = renderSessionMarkdown({ ...richSession(), notes, actionItems: [] });
    expect(md).toContain('## Cells v2 is mandatory in Ocata\n\n## 国内の運用者が参加');
    expect(md).not.toContain('Attendees');
    expect(md).not.toContain('Decisions');
    expect(md).not.toContain('No notes');
  });

  it('the event has a table of contents in schedule order, summaries by owner and working group, and a stats line', () => {
    const md = renderEventMarkdown(fixtureEvent());
    const toc = md.slice(md.indexOf('## Contents'), md.indexOf('## Action items by owner'));
    expect(toc.indexOf('Upgrades')).toBeLessThan(toc.indexOf('NFV/Telco'));
    expect(toc.indexOf('NFV/Telco')).toBeLessThan(toc.indexOf('国内OpsWorkshop報告'));
    expect(md).toContain('3 sessions · 5 contributors · 14 action items (12 open)');
    const byOwner = md.slice(md.indexOf('## Action items by owner'), md.indexOf('## Action items by working group'));
    expect(byOwner).toMatch(/### dana\n\n- \[ \] @dana collect carrier requirements/);
    expect(byOwner).toMatch(/### hana\n\n- \[ \] @hana 次回ワークショップのetherpadテンプレートを作成/);
    const byGroup = md.slice(md.indexOf('## Action items by working group'), md.indexOf('<a id='));
    expect(byGroup).toMatch(/### product-wg\n\n- \[ \] @dana collect/);
    expect(byGroup).toMatch(/### telemetry\n\n- \[ \] Someone should look at the Ceilometer/);
    // Items without a ##tag belong to their session's working group.
    expect(byGroup).toMatch(/### nfv\n\n(- .*\n)*- \[x\] @bruno create the WG wiki page/);
  });

  it('plain text never goes past 72 columns (Japanese counts double), except unbreakable URLs and code', () => {
    for (const text of [renderEventText(fixtureEvent()), ...sessions.map(([, make]) => renderSessionText(make()))]) {
      for (const line of text.split('\n')) {
        if (/https?:\/\/\S{40,}/.test(line) || line.startsWith('    ')) continue;
        expect(textWidth(line), line).toBeLessThanOrEqual(TEXT_WIDTH);
      }
    }
    const jp = renderSessionText(jpSession());
    // Kinsoku: no line starts with closing punctuation.
    expect(jp).not.toMatch(/^[、。）」]/m);
    // The ideographic space the note-taker typed is kept.
    expect(jp).toContain('モデレータ: goro　書記: 参加者全員');
  });

  it('JSON carries metadata, the ProseMirror document and the action items', () => {
    const parsed = JSON.parse(renderSessionJson(nfvSession())) as MinutesSession & { format: string };
    expect(parsed.format).toBe('roundtable-minutes');
    expect(parsed.notes.type).toBe('doc');
    expect(parsed.actionItems).toHaveLength(7);
    expect(parsed.session.title).toBe('NFV/Telco Working Group');
  });
});

describe('hostile notes export inert', () => {
  it('(the checker itself flags scripts, handlers and unsafe links)', () => {
    expect(htmlProblems('<p onclick="x">a</p><script>1</script><a href="javascript:x">b</a><img src=x onerror=y>')).toEqual([
      'attribute onclick on <p>',
      'tag <script>',
      'tag <script>',
      'href javascript:x',
      'tag <img>',
      'attribute src on <img>',
      // The renderer only writes quoted values: anything else is suspect.
      'unparsable attributes on <img>: =x onerror=y',
    ]);
  });

  it('HTML: only the tags and attributes the renderer writes; links are http(s) or mailto only', () => {
    for (const html of [renderSessionHtml(hostileSession()), renderEventHtml({ event: { title: '<script>alert(1)</script>', timezone: 'UTC', slug: 'x' }, sessions: [hostileSession()], generatedAt: '2016-04-27T00:00:00.000Z' })]) {
      expect(htmlProblems(html)).toEqual([]);
      expect(html).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
      // The hostile text is still there, as text.
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('&lt;svg onload=alert(1)&gt;');
      expect(html).toContain('Content-Security-Policy');
    }
  });

  it('the link with a quote in its URL cannot break out of the attribute', () => {
    const html = renderSessionHtml(hostileSession());
    expect(html).toContain('href="https://example.org/&quot; onmouseover=&quot;alert(1)"');
  });

  it('Markdown: no raw HTML, no javascript:/data: links, text kept literally', () => {
    const md = renderSessionMarkdown(hostileSession());
    // Inside code blocks and code spans text is literal; everywhere else no "<" may open a tag.
    const outsideCode = md.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
    expect(md).toContain('```scriptalert1script\n</code></pre><script>alert(1)</script>\n```');
    expect(outsideCode).not.toMatch(/(?<!\\)<(?!https?:)[a-z!/]/i);
    expect(md).not.toMatch(/\]\(<?(javascript|data|vbscript):/i);
    expect(md).toContain('&lt;script\\>alert(1)&lt;/script\\>');
    expect(md).toContain('js link spaced js tab js data link vb');
  });

  it('plain text drops unsafe link targets but keeps their text', () => {
    const txt = renderSessionText(hostileSession());
    expect(txt).not.toMatch(/javascript:alert\(document|data:text/i);
    expect(txt).toContain('js link');
  });
});
