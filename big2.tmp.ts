import { renderSessionPdf } from './server/minutes/pdf.js';
import { renderSessionDocx } from './server/minutes/docx.js';
import { jpSession } from './test/fixtures/minutes/fixtureNotes.js';
const m = jpSession();
const word = 'operators upgrade nova cells 運用者の知見を共有する ';
m.notes = { type: 'doc', content: Array.from({ length: 11e6 / 200 }, (_, i) => (i % 10 === 0 ? { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: word.repeat(4) }] }] }] } : { type: 'paragraph', content: [{ type: 'text', text: word.repeat(200 / word.length) }] })) };
for (const [n, f] of [['docx', renderSessionDocx], ['pdf', renderSessionPdf]] as const) {
  const t = performance.now();
  try { const s = await f(m); console.log(n, 'ok', s.length, Math.round(performance.now() - t), 'ms', Math.round(process.memoryUsage().rss / 1048576), 'MiB'); } catch (e) { console.log(n, 'FAIL', String(e).slice(0, 200), Math.round(performance.now() - t)); }
}
