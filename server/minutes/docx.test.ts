import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { fixtureEvent, hostileSession, jpSession, richSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import { sessionWithTickedLines } from '../../test/fixtures/minutes/tickedLines.js';
import { renderEventDocx, renderSessionDocx } from './docx.js';


async function toHtml(bytes: Uint8Array): Promise<string> {
  const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
  return value;
}

describe('DOCX minutes, opened with mammoth', () => {
  it('has heading styles, nested numbered and bulleted lists, ticked and unticked check boxes, links and Japanese', async () => {
    const html = await toHtml(await renderSessionDocx(richSession()));
    expect(html).toContain('<h1>Upgrades &amp; Fast-forward</h1>');
    expect(html).toContain('<h2>Upgrades 議論</h2>');
    expect(html).toContain('<h3>手順</h3>');
    expect(html).toContain('<ol><li>バックアップを取る</li><li>Upgrade the control plane<ul><li>keystone first</li><li>then nova</li></ul></li></ol>');
    expect(html).toContain('<input type="checkbox" checked="checked" /> Write the etherpad template');
    expect(html).toContain('<input type="checkbox" /> 日本語のアンケートを集計する');
    expect(html).toContain('<strong>rolling upgrades</strong>');
    expect(html).toContain('<em>not</em>');
    expect(html).toContain('<a href="https://docs.openstack.org/upgrade/">the upgrade guide</a>');
    expect(html).toContain('Never upgrade on a Friday. 金曜日にアップグレードしない。');
    expect(html).toMatch(/<table><thead><tr><th><p><strong>Owner<\/strong><\/p><\/th>/);
  });

  it('keeps the Japanese fixture notes intact, with the header', async () => {
    const html = await toHtml(await renderSessionDocx(jpSession()));
    expect(html).toContain('<h1>国内OpsWorkshop報告</h1>');
    expect(html).toContain('<strong>Note-takers: </strong>はな, jun');
    expect(html).toContain('<h2>アジェンダ</h2>');
    expect(html).toContain('<li>沖縄OpenDaysでのOpsWorkshopの振り返り</li>');
    expect(html).toContain('<input type="checkbox" /> @goro 参加者アンケートを集計する');
  });

  it('the event document has a linked table of contents, summaries and every session', async () => {
    const html = await toHtml(await renderEventDocx(fixtureEvent()));
    expect(html).toContain('<h1>Contents</h1>');
    expect(html).toMatch(/<ol><li><a href="#session1">Upgrades &amp; Fast-forward<\/a><\/li><li><a href="#session2">NFV\/Telco Working Group<\/a>/);
    expect(html).toContain('<h1>Action items by owner</h1>');
    expect(html).toContain('<h1>Action items by working group</h1>');
    expect(html).toContain('<h2>product-wg</h2>');
    expect(html).toMatch(/<h1><a id="session3"><\/a>国内OpsWorkshop報告<\/h1>/);
  });

  it('an action line ticked on the board has a ticked box, like a done task; an open one has none', async () => {
    const html = await toHtml(await renderSessionDocx(sessionWithTickedLines()));
    expect(html).toContain('<input type="checkbox" checked="checked" /> ACTION: @hana テンプレートを作成 期限: 2016-06-30');
    expect(html).toContain('<input type="checkbox" checked="checked" /> アクション: @jun 確認する');
    expect(html).toContain('<p>TODO: @ivan send the announcement</p>');
  });

  it('hostile links are dropped, their text kept', async () => {
    const html = await toHtml(await renderSessionDocx(hostileSession()));
    expect(html).not.toMatch(/<a href="\s*(javascript|data|vbscript):/i);
    expect(html.match(/<a href="[^"]*"/g)).toEqual(['<a href="https://example.org/&quot; onmouseover=&quot;alert(1)"']);
    expect(html).toContain('js link');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
