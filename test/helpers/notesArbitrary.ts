import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { NASTY_HREFS } from '../fixtures/minutes/nastyHrefs.js';

/**
 * Random documents of the real editor schema (shared/editor/extensions.ts):
 * paragraphs, headings, bullet, ordered and task lists nested deep, quotes,
 * code blocks, rules and hard breaks; text in English, Japanese and hostile
 * HTML, with bold, italic, strike, underline, code and links whose hrefs are
 * random, good or nasty. Tests check each one with the schema.
 */

const JAPANESE = [...'あいうえおかきくけこアイウエオ漢字議事録運用者宿題期限担当「」、。ー・（）：'];
const ACTIONISH = ['ACTION: ', 'TODO: ', 'AI: ', '宿題：', '[ ] ', '[x] ', '@ana ', 'owner: bob ', 'due 2016-05-17', 'by May 17', '期限：6月15日', '##ops-guide', '#action jun '];

const textArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.array(fc.constantFrom(...JAPANESE), { minLength: 1, maxLength: 30 }).map((cs) => cs.join('')),
  fc.constantFrom('<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"quotes" & \'apos\'', '# not a heading', '1. not a list', '> not a quote', '`tick`', '**', '\\', 'line\nbreak', '\t tab', 'https://example.org/path'),
  fc.array(fc.constantFrom(...ACTIONISH, 'word ', 'fix the thing ', '2016-06-01 '), { minLength: 1, maxLength: 6 }).map((ws) => ws.join('')),
);

const hrefArb = fc.oneof(fc.constantFrom(...NASTY_HREFS), fc.webUrl(), fc.string({ maxLength: 40 }), fc.constant('mailto:ops@example.org'));

const markArb = fc.oneof(
  fc.constantFrom({ type: 'bold' }, { type: 'italic' }, { type: 'strike' }, { type: 'underline' }, { type: 'code' }),
  hrefArb.map((href) => ({ type: 'link', attrs: { href, target: '_blank', rel: 'noopener noreferrer nofollow', class: null } })),
);

const textNodeArb: fc.Arbitrary<JSONContent> = fc.record({ text: textArb, marks: fc.uniqueArray(markArb, { maxLength: 3, selector: (m) => m.type }) }).map(({ text, marks }) => {
  // Code excludes every other mark in the schema.
  const kept = marks.some((m) => m.type === 'code') ? marks.filter((m) => m.type === 'code') : marks;
  return kept.length ? { type: 'text', text, marks: kept } : { type: 'text', text };
});

const inlineArb: fc.Arbitrary<JSONContent[]> = fc.array(fc.oneof({ weight: 6, arbitrary: textNodeArb }, { weight: 1, arbitrary: fc.constant<JSONContent>({ type: 'hardBreak' }) }), { maxLength: 6 });

const paragraphArb: fc.Arbitrary<JSONContent> = inlineArb.map((content) => (content.length ? { type: 'paragraph', content } : { type: 'paragraph' }));

export const notesDocArb: fc.Arbitrary<JSONContent> = fc
  .letrec<{ block: JSONContent; blocks: JSONContent[] }>((tie) => ({
    block: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 5, arbitrary: paragraphArb },
      { weight: 1, arbitrary: fc.record({ level: fc.integer({ min: 1, max: 6 }), content: inlineArb }).map(({ level, content }): JSONContent => ({ type: 'heading', attrs: { level }, content })) },
      { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((t): JSONContent => ({ type: 'codeBlock', attrs: { language: null }, ...(t ? { content: [{ type: 'text', text: t }] } : {}) })) },
      { weight: 1, arbitrary: fc.constant<JSONContent>({ type: 'horizontalRule' }) },
      { weight: 2, arbitrary: tie('blocks').map((content): JSONContent => ({ type: 'blockquote', content })) },
      {
        weight: 2,
        arbitrary: fc
          .record({ kind: fc.constantFrom('bulletList', 'orderedList', 'taskList'), start: fc.integer({ min: 0, max: 30 }), items: fc.array(fc.record({ first: paragraphArb, rest: fc.oneof(fc.constant([]), tie('blocks')), checked: fc.boolean() }), { minLength: 1, maxLength: 3 }) })
          .map(({ kind, start, items }): JSONContent => ({
            type: kind,
            ...(kind === 'orderedList' ? { attrs: { start, type: null } } : {}),
            content: items.map(({ first, rest, checked }) => ({ type: kind === 'taskList' ? 'taskItem' : 'listItem', ...(kind === 'taskList' ? { attrs: { checked } } : {}), content: [first, ...(rest as JSONContent[])] })),
          })),
      },
    ),
    blocks: fc.array(tie('block'), { minLength: 1, maxLength: 4 }),
  }))
  .blocks.map((content): JSONContent => ({ type: 'doc', content }));

/** A list nested `depth` levels deep (every level a bullet list in the previous one's item), for the deep end of the property tests. */
export const deepListArb: fc.Arbitrary<JSONContent> = fc.record({ depth: fc.integer({ min: 20, max: 200 }), text: textArb }).map(({ depth, text }) => {
  let node: JSONContent = { type: 'paragraph', content: [{ type: 'text', text }] };
  for (let i = 0; i < depth; i++) node = { type: i % 2 ? 'taskList' : 'bulletList', content: [{ type: i % 2 ? 'taskItem' : 'listItem', ...(i % 2 ? { attrs: { checked: false } } : {}), content: [{ type: 'paragraph', content: [{ type: 'text', text: `level ${depth - i}` }] }, node] }] };
  return { type: 'doc', content: [node] };
});
