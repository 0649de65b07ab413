import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { fixtureEvent, hostileSession, jpSession, nfvSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import type { MinutesSession } from '../../shared/minutes/model.js';
import { renderEventPdf, renderSessionPdf } from './pdf.js';

async function pdfText(bytes: Uint8Array): Promise<{ text: string; pages: number }> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text, totalPages } = await extractText(pdf, { mergePages: true });
  return { text, pages: totalPages };
}

async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: false });
  return text;
}

/** A session with no notes, as most sessions of a schedule are until someone writes. */
function emptySession(title: string, startsAt: string): MinutesSession {
  return { ...nfvSession(), session: { ...nfvSession().session, id: title, title, startsAt, endsAt: null }, noteTakers: [], notes: { type: 'doc', content: [] }, actionItems: [] };
}

describe('PDF minutes, read back with a PDF text extractor', () => {
  it('contains the Japanese and English text of the fixture notes and the header', async () => {
    const { text, pages } = await pdfText(await renderSessionPdf(jpSession()));
    expect(pages).toBe(1);
    for (const s of ['国内OpsWorkshop報告', 'Tuesday, 26 April 2016, 09:00–09:40 (America/Chicago)', 'Room: Salon C', 'Note-takers: はな, jun', 'アジェンダ', '沖縄OpenDaysでのOpsWorkshopの振り返り', '次回は OpenStack Days Tokyo の中で7月6日・7日に実施', 'Action item summary', '@goro 参加者アンケートを集計する']) {
      expect(text).toContain(s);
    }
    const en = (await pdfText(await renderSessionPdf(nfvSession()))).text;
    expect(en).toContain('Monitoring: Ceilometer cannot keep up at 1s granularity');
    expect(en).toContain('Moderators: bruno');
  });

  it('embeds Noto Sans JP (regular and bold), so Japanese shows without system fonts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-pdf-'));
    return renderSessionPdf(jpSession()).then((bytes) => {
      const file = path.join(dir, 'jp.pdf');
      fs.writeFileSync(file, bytes);
      const raw = Buffer.from(bytes).toString('latin1');
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansJP-Regular/);
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansJP-Bold/);
      expect(raw).toContain('/FontFile2');
      // pdffonts (poppler) agrees when it is installed.
      let fonts = '';
      try {
        fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
      } catch {
        return;
      }
      expect(fonts).toMatch(/NotoSansJP-Regular\s+CID TrueType\s+Identity-H\s+yes/);
    });
  });

  it('the event PDF has every session with notes on its own page, a table of contents and the summaries, numbered pages', async () => {
    const { text, pages } = await pdfText(await renderEventPdf(fixtureEvent()));
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(text).toContain('3 sessions · 5 contributors · 14 action items (12 open)');
    expect(text).toContain('1. Upgrades & Fast-forward');
    expect(text).toContain('Action items by working group');
    expect(text).toContain(`${pages} / ${pages}`);
    expect(text).not.toContain(`${pages + 1} / `);
  });

  it('sessions without notes do not take a page each: they follow one another; sessions with notes start a page', async () => {
    const e = fixtureEvent();
    const empty = ['Empty one', 'Empty two', 'Empty three', 'Empty four'].map((t, i) => emptySession(t, `2016-04-27T1${i}:00:00.000Z`));
    const pages = await pageTexts(await renderEventPdf({ ...e, sessions: [...e.sessions, ...empty] }));
    // The last page naming it: the table of contents names them all.
    const pageOf = (s: string) => pages.findLastIndex((p) => p.includes(s));
    expect(new Set(empty.map((m) => pageOf(m.session.title))).size).toBe(1);
    // The three sessions with notes each start their own page, after the summaries.
    const starts = ['Upgrades & Fast-forward\n', 'NFV/Telco Working Group\n', '国内OpsWorkshop報告\n'].map((t) => pages.findIndex((p, i) => i > 0 && p.startsWith(t)));
    expect(starts.every((i) => i > 0)).toBe(true);
    expect(pages.length).toBeLessThanOrEqual((await pdfText(await renderEventPdf(e))).pages + 1);
  });

  it('a first session without notes follows the summaries instead of taking a page alone', async () => {
    const e = fixtureEvent();
    const first = emptySession('Opening remarks', '2016-04-25T08:00:00.000Z');
    const pages = await pageTexts(await renderEventPdf({ ...e, sessions: [first, ...e.sessions] }));
    const at = pages.findLastIndex((p) => p.includes('Opening remarks'));
    expect(pages[at]).toContain('Action items by working group');
    expect(pages.length).toBe((await pdfText(await renderEventPdf(e))).pages);
  });

  it('a session without notes goes to a new page only when it does not fit: never alone on a page with room for it before', async () => {
    // Baselines (PDF points from the page bottom) of the text on each page, the page number footer left out.
    const lines = async (bytes: Uint8Array) => {
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      const out: { text: string; y: number; size: number }[][] = [];
      for (let i = 1; i <= pdf.numPages; i++) {
        const items = (await (await pdf.getPage(i)).getTextContent()).items.flatMap((it) => ('str' in it && it.str.trim() && !/^\d+ \/ \d+$/.test(it.str) ? [{ text: it.str, y: it.transform[5] as number, size: it.height }] : []));
        out.push(items);
      }
      return out;
    };
    const MARGIN = 56;
    const e = fixtureEvent();
    const before = e.sessions.find((s) => s.session.title === 'NFV/Telco Working Group')!;
    const after = e.sessions.find((s) => s.session.title === 'Upgrades & Fast-forward')!;
    const empty = emptySession('Nothing written here', '2016-04-27T10:00:00.000Z');
    let alone = 0;
    // More and more lines at the end of the session before move the free space left on its last page through every height.
    for (let n = 0; n <= 40; n += 1) {
      const filler = Array.from({ length: n }, (_, i) => ({ type: 'paragraph', content: [{ type: 'text', text: `Line ${i + 1} of the discussion` }] }));
      const notes = { type: 'doc', content: [...(before.notes.content ?? []), ...filler] };
      const sessions = [{ ...before, session: { ...before.session, startsAt: '2016-04-27T09:00:00.000Z' }, notes }, empty, { ...after, session: { ...after.session, startsAt: '2016-04-27T11:00:00.000Z' } }];
      const pages = await lines(await renderEventPdf({ ...e, sessions }));
      const at = pages.findLastIndex((p) => p.some((l) => l.text === 'Nothing written here'));
      const own = pages[at]!;
      if (own[0]!.text !== 'Nothing written here') continue;
      alone++;
      // On a page of its own: the block's height, from its title's top to the bottom of "No notes.".
      const title = own[0]!;
      const noNotes = own.find((l) => l.text === 'No notes.')!;
      const block = title.y + title.size - (noNotes.y - noNotes.size * 0.3);
      // What the page before had left below its last line (the gap between sessions is about 23 points).
      const prev = pages[at - 1]!;
      const free = Math.min(...prev.map((l) => l.y)) - MARGIN;
      expect(free, `${n} lines: ${free.toFixed(0)} points free for a block of ${block.toFixed(0)}`).toBeLessThan(block + 30);
    }
    // The sweep did reach the page end at least once.
    expect(alone).toBeGreaterThan(0);
  }, 60_000);

  it('the action item summary heading never ends a page without its table header and first row', async () => {
    const jp = jpSession();
    // A first item of several lines: the taller the row, the more often a heading would be left behind.
    const first = `${jp.actionItems[0]!.text} ${'and the follow-up on the etherpad template with every working group '.repeat(4)}`;
    const m = { ...jp, actionItems: [{ ...jp.actionItems[0]!, text: first }, ...jp.actionItems.slice(1)] };
    // Longer and longer notes push the summary down the page: at some lengths the old layout stranded the heading.
    for (let n = 28; n <= 46; n++) {
      const filler = Array.from({ length: n }, (_, i) => ({ type: 'paragraph', content: [{ type: 'text', text: `Line ${i + 1} of the discussion` }] }));
      const notes = { type: 'doc', content: [...filler, ...(m.notes.content ?? [])] };
      const pages = await pageTexts(await renderSessionPdf({ ...m, notes }));
      const at = pages.findIndex((p) => p.includes('Action item summary'));
      expect(pages[at], `${n} lines`).toContain('Owner');
      expect(pages[at], `${n} lines`).toContain('and the follow-up');
    }
  }, 60_000);

  it('hostile notes are plain text in the PDF and unsafe links are not links', async () => {
    const bytes = await renderSessionPdf(hostileSession());
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).not.toMatch(/\/URI \((javascript|data|vbscript):/i);
    expect(raw).not.toMatch(/\/JS|\/JavaScript/);
    expect((await pdfText(bytes)).text).toContain('<script>alert(1)</script>');
  });
});
