import { renderSessionText } from './shared/minutes/text.js';
import { renderSessionMarkdown } from './shared/minutes/markdown.js';
import { renderSessionHtml } from './shared/minutes/html.js';
import { jpSession } from './test/fixtures/minutes/fixtureNotes.js';
const mode = process.argv[2];
const m = jpSession();
const word = 'operators upgrade nova cells 運用者の知見を共有する ';
if (mode === 'onepara') m.notes = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: word.repeat(11e6 / word.length) }] }] };
if (mode === 'manypara') m.notes = { type: 'doc', content: Array.from({ length: 11e6 / 200 }, () => ({ type: 'paragraph', content: [{ type: 'text', text: word.repeat(200 / word.length) }] })) };
if (mode === 'cjk') m.notes = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'ー'.repeat(2e5) }] }] };
for (const [n, f] of [['txt', renderSessionText], ['md', renderSessionMarkdown], ['html', renderSessionHtml]] as const) {
  const t = performance.now();
  try { const s = f(m); console.log(mode, n, 'ok', s.length, Math.round(performance.now() - t), 'ms'); } catch (e) { console.log(mode, n, 'FAIL', String(e).slice(0, 200), Math.round(performance.now() - t)); }
}
