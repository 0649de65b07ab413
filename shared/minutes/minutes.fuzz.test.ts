import type { JSONContent } from '@tiptap/core';
import { getSchema } from '@tiptap/core';
import fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { htmlProblems } from '../../test/fixtures/minutes/inertHtml.js';
import { jpSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import { fuzzRuns } from '../../test/helpers/fuzz.js';
import { deepListArb, notesDocArb } from '../../test/helpers/notesArbitrary.js';
import { createSchemaExtensions } from '../editor/extensions.js';
import { safeHref } from '../editor/safeUrl.js';
import { renderSessionHtml } from './html.js';
import { renderSessionJson } from './json.js';
import { renderSessionMarkdown } from './markdown.js';
import type { MinutesSession } from './model.js';
import { MINUTES_MAX_DEPTH, normalizeNotes } from './notes.js';
import { renderSessionText } from './text.js';

const schema = getSchema(createSchemaExtensions());
const session = (notes: JSONContent): MinutesSession => ({ ...jpSession(), notes });

function textRuns(doc: JSONContent): string[] {
  const out: string[] = [];
  const stack: JSONContent[] = [doc];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text' && n.text) out.push(n.text);
    for (const c of n.content ?? []) stack.push(c);
  }
  return out;
}

function depthOf(doc: JSONContent): number {
  let max = 0;
  const stack: [JSONContent, number][] = [[doc, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    max = Math.max(max, d);
    for (const c of n.content ?? []) stack.push([c, d + 1]);
  }
  return max;
}

/** Text as a reader compares it: no whitespace and no quote markers (both move when lines wrap). */
const squash = (s: string) => s.replace(/[\s>]+/g, '');

/** Generous: under `npm run fuzz` a property runs thousands of times. */
const FUZZ_TIMEOUT = 30 * 60_000;

const docs = fc.oneof({ weight: 4, arbitrary: notesDocArb }, { weight: 1, arbitrary: deepListArb });

describe('minutes renderers on random documents of the editor schema', () => {
  it('the generator makes valid documents', () => {
    fc.assert(
      fc.property(docs, (doc) => {
        expect(() => schema.nodeFromJSON(doc).check()).not.toThrow();
      }),
      { numRuns: fuzzRuns(100) },
    );
  }, FUZZ_TIMEOUT);

  it('md, html, txt and json render without throwing, keep every piece of text, and link only to safe URLs', async () => {
    await fc.assert(
      fc.asyncProperty(docs, async (doc) => {
        const m = session(doc);
        const md = renderSessionMarkdown(m);
        const html = renderSessionHtml(m);
        const txt = renderSessionText(m);
        const json = JSON.parse(renderSessionJson(m)) as { notes: JSONContent };

        expect(htmlProblems(html)).toEqual([]);
        const fromMd = parseHTML(`<!doctype html><html><body>${await marked.parse(md)}</body></html>`).document;
        for (const a of [...parseHTML(html).document.querySelectorAll('a'), ...fromMd.querySelectorAll('a')]) {
          const href = a.getAttribute('href') ?? '';
          if (!href.startsWith('#')) expect(safeHref(href), href).not.toBeNull();
        }
        expect(depthOf(json.notes)).toBeLessThanOrEqual(MINUTES_MAX_DEPTH + 2);

        const htmlText = squash(parseHTML(html).document.body.textContent ?? '');
        // Backslashes aside: GFM autolinks keep the escapes inside a URL-looking word as typed.
        const mdText = squash(fromMd.body.textContent ?? '').replace(/\\/g, '');
        const mdSource = squash(md.replace(/\\([\\`*_{}[\]()#+\-.!|~<>&:])/g, '$1').replace(/&lt;/g, '<'));
        const txtText = squash(txt);
        for (const run of textRuns(normalizeNotes(doc))) {
          if (!run.trim()) continue;
          expect(htmlText, `html keeps ${JSON.stringify(run)}`).toContain(squash(run));
          expect(txtText, `txt keeps ${JSON.stringify(run)}`).toContain(squash(run));
          // Runs with emphasis or code delimiters are compared with the Markdown source (escapes undone): where
          // those meet, marked parses differently from CommonMark, whose precedence rules the renderer follows.
          // (Code spans keep backslashes as typed, other text has them escaped: either form will do.)
          if (/[_*~`\\]/.test(run)) expect(mdSource.includes(squash(run)) || squash(md).includes(squash(run)), `md keeps ${JSON.stringify(run)}`).toBe(true);
          else expect(mdText, `md (read back as CommonMark) keeps ${JSON.stringify(run)}`).toContain(squash(run));
        }
      }),
      { numRuns: fuzzRuns(60) },
    );
  }, FUZZ_TIMEOUT);

  it('normalising is idempotent and bounds the depth, however deep the input', () => {
    fc.assert(
      fc.property(docs, fc.integer({ min: 2, max: 40 }), (doc, maxDepth) => {
        const once = normalizeNotes(doc, { maxDepth });
        expect(normalizeNotes(once, { maxDepth })).toEqual(once);
        expect(depthOf(once)).toBeLessThanOrEqual(maxDepth + 2);
        expect(() => schema.nodeFromJSON(once).check()).not.toThrow();
      }),
      { numRuns: fuzzRuns(100) },
    );
  }, FUZZ_TIMEOUT);
});
