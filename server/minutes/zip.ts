import { zipSync, strToU8 } from 'fflate';
import { sanitizeFilename } from '../../shared/minutes/filename.js';
import { scheduleOrder, type MinutesEvent, type MinutesSession } from '../../shared/minutes/model.js';

export interface ZipRenderers {
  session(m: MinutesSession): string;
  event(e: MinutesEvent): string;
}

/** One Markdown file per session (in schedule order) plus the event summary as index.md. */
export function renderEventZip(e: MinutesEvent, render: ZipRenderers): Uint8Array {
  const files: Record<string, Uint8Array> = { 'index.md': strToU8(render.event(e)) };
  scheduleOrder(e.sessions).forEach((s, i) => {
    // UTF-8 names (fflate flags them as such), so Japanese titles survive; the number keeps them unique and in order.
    const name = sanitizeFilename(`${String(i + 1).padStart(2, '0')} ${s.session.title}.md`);
    files[name] = strToU8(render.session(s));
  });
  return zipSync(files, { level: 6, mtime: new Date(e.generatedAt) });
}
