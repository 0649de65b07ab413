import { strFromU8, unzipSync } from 'fflate';
import fc from 'fast-check';
import mammoth from 'mammoth';
import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { safeHref } from '../../shared/editor/safeUrl.js';
import { normalizeNotes } from '../../shared/minutes/notes.js';
import { jpSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import { fuzzRuns } from '../../test/helpers/fuzz.js';
import { deepListArb, notesDocArb } from '../../test/helpers/notesArbitrary.js';
import { renderSessionDocx } from './docx.js';
import { renderSessionPdf } from './pdf.js';

const docs = fc.oneof({ weight: 3, arbitrary: notesDocArb }, { weight: 1, arbitrary: deepListArb });
const squash = (s: string) => s.replace(/\s+/g, '');

function textRuns(doc: ReturnType<typeof normalizeNotes>): string[] {
  const out: string[] = [];
  const stack = [doc];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text' && n.text?.trim()) out.push(n.text);
    for (const c of n.content ?? []) stack.push(c);
  }
  return out;
}

// Few runs: each document takes a few hundred milliseconds to lay out.
describe('DOCX and PDF minutes on random documents of the editor schema', () => {
  it('DOCX renders, opens in mammoth with every piece of text, and links only to safe URLs', async () => {
    await fc.assert(
      fc.asyncProperty(docs, async (notes) => {
        const bytes = await renderSessionDocx({ ...jpSession(), notes });
        const text = squash((await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value);
        for (const run of textRuns(normalizeNotes(notes))) expect(text, `keeps ${JSON.stringify(run)}`).toContain(squash(run));
        const rels = strFromU8(unzipSync(bytes)['word/_rels/document.xml.rels']!);
        for (const m of rels.matchAll(/Target="([^"]*)"[^>]*TargetMode="External"/g)) expect(safeHref(m[1]!.replace(/&amp;/g, '&')), m[1]).not.toBeNull();
      }),
      { numRuns: fuzzRuns(4) },
    );
  }, 30 * 60_000);

  it('PDF renders and opens, its links only to safe URLs', async () => {
    await fc.assert(
      fc.asyncProperty(docs, async (notes) => {
        const pdf = await getDocumentProxy(new Uint8Array(await renderSessionPdf({ ...jpSession(), notes })));
        expect(pdf.numPages).toBeGreaterThan(0);
        for (let p = 1; p <= pdf.numPages; p++) {
          for (const a of await (await pdf.getPage(p)).getAnnotations()) {
            if (a.subtype === 'Link' && a.unsafeUrl) expect(safeHref(String(a.unsafeUrl)), String(a.unsafeUrl)).not.toBeNull();
          }
        }
      }),
      { numRuns: fuzzRuns(3) },
    );
  }, 30 * 60_000);
});
