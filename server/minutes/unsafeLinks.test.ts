import type { JSONContent } from '@tiptap/core';
import { strFromU8, unzipSync } from 'fflate';
import { parseHTML } from 'linkedom';
import { marked } from 'marked';
import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import type { MinutesSession } from '../../shared/minutes/model.js';
import { htmlProblems } from '../../test/fixtures/minutes/inertHtml.js';
import { jpSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import { GOOD_HREFS, NASTY_HREFS } from '../../test/fixtures/minutes/nastyHrefs.js';
import { renderSessionMinutes } from './renderMinutes.js';

/** What a browser makes of an href attribute's (already entity-decoded) value. */
function browserScheme(href: string): string {
  // eslint-disable-next-line no-control-regex -- browsers strip leading C0 controls, so this does too
  const cleaned = href.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  return /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase() ?? '(relative)';
}

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

function sessionWithLinks(): MinutesSession {
  const link = (text: string, href: string): JSONContent => ({ type: 'text', text, marks: [{ type: 'link', attrs: { href } }] });
  const all = [...NASTY_HREFS.map((h, i) => link(`nasty${i}`, h)), ...GOOD_HREFS.map(([h], i) => link(`good${i}`, h))];
  return {
    ...jpSession(),
    notes: {
      type: 'doc',
      content: [
        { type: 'paragraph', content: all.flatMap((n) => [n, { type: 'text', text: ' ' }]) },
        { type: 'bulletList', content: NASTY_HREFS.map((h, i) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [link(`item${i}`, h)] }] })) },
        { type: 'heading', attrs: { level: 'NaN' }, content: [link('heading link', 'jav&#x61;script:alert(1)')] },
      ],
    },
  };
}

/** Every link target a reader of the file could follow, by format. */
async function linkTargets(format: string, out: string | Uint8Array): Promise<string[]> {
  const text = typeof out === 'string' ? out : '';
  switch (format) {
    case 'md': {
      // Rendered the way any CommonMark reader would, then read as a browser reads attributes (entities decoded).
      const { document } = parseHTML(`<!doctype html><html><body>${await marked.parse(text)}</body></html>`);
      return [...document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '');
    }
    case 'html': {
      expect(htmlProblems(text)).toEqual([]);
      const { document } = parseHTML(text);
      return [...document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '').filter((h) => !h.startsWith('#'));
    }
    case 'txt':
      return [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
    case 'json': {
      const hrefs: string[] = [];
      JSON.stringify(JSON.parse(text).notes, (key, value: unknown) => {
        if (key === 'href' && typeof value === 'string') hrefs.push(value);
        return value;
      });
      return hrefs;
    }
    case 'docx': {
      const rels = strFromU8(unzipSync(out as Uint8Array)['word/_rels/document.xml.rels']!);
      return [...rels.matchAll(/Target="([^"]*)"[^>]*TargetMode="External"/g)].map((m) => parseHTML(`<a href="${m[1]}"></a>`).document.querySelector('a')!.getAttribute('href')!);
    }
    case 'pdf': {
      const pdf = await getDocumentProxy(new Uint8Array(out as Uint8Array));
      const urls: string[] = [];
      for (let p = 1; p <= pdf.numPages; p++) {
        for (const a of await (await pdf.getPage(p)).getAnnotations()) if (a.subtype === 'Link' && (a.url || a.unsafeUrl)) urls.push(String(a.unsafeUrl ?? a.url));
      }
      return urls;
    }
  }
  throw new Error(format);
}

describe('no export keeps a link a reader could follow to a script', () => {
  for (const format of ['md', 'html', 'txt', 'json', 'docx', 'pdf'] as const) {
    it(`${format}: only http, https and mailto targets, the good ones all there, every nasty one reduced to text`, async () => {
      const out = await renderSessionMinutes(sessionWithLinks(), format);
      const targets = await linkTargets(format, out);
      for (const t of targets) expect(SAFE_SCHEMES.has(browserScheme(t)), `${format} target ${JSON.stringify(t)}`).toBe(true);
      // The same URL, literally or in its canonical form (PDF link targets are ASCII).
      const same = (t: string, url: string) => t === url || URL.canParse(t) && new URL(t).href === new URL(url).href;
      for (const [, decoded] of GOOD_HREFS) expect(targets.some((t) => same(t, decoded)), `${format} keeps ${decoded}`).toBe(true);
      if (typeof out === 'string') {
        expect(out).toContain('nasty0');
        expect(out).toContain('heading link');
        expect(out).not.toMatch(/<h(NaN|undefined)|hNaN/);
      }
    }, 60_000);
  }
});
