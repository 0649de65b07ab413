import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { fixtureEvent, hostileSession, jpSession, nfvSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import { renderEventPdf, renderSessionPdf } from './pdf.js';

async function pdfText(bytes: Uint8Array): Promise<{ text: string; pages: number }> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text, totalPages } = await extractText(pdf, { mergePages: true });
  return { text, pages: totalPages };
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

  it('the event PDF has every session on its own page, a table of contents and the summaries, numbered pages', async () => {
    const { text, pages } = await pdfText(await renderEventPdf(fixtureEvent()));
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(text).toContain('3 sessions · 5 contributors · 14 action items (12 open)');
    expect(text).toContain('1. Upgrades & Fast-forward');
    expect(text).toContain('Action items by working group');
    expect(text).toContain(`${pages} / ${pages}`);
    expect(text).not.toContain(`${pages + 1} / `);
  });

  it('hostile notes are plain text in the PDF and unsafe links are not links', async () => {
    const bytes = await renderSessionPdf(hostileSession());
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).not.toMatch(/\/URI \((javascript|data|vbscript):/i);
    expect(raw).not.toMatch(/\/JS|\/JavaScript/);
    expect((await pdfText(bytes)).text).toContain('<script>alert(1)</script>');
  });
});
