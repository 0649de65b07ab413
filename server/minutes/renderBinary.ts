import type { MinutesEvent, MinutesSession } from '../../shared/minutes/model.js';
import { renderEventDocx, renderSessionDocx } from './docx.js';
import { renderEventPdf, renderSessionPdf } from './pdf.js';

export type BinaryFormat = 'docx' | 'pdf';

export type BinaryJob = { scope: 'session'; format: BinaryFormat; minutes: MinutesSession } | { scope: 'event'; format: BinaryFormat; minutes: MinutesEvent };

/** The two renderers that take real CPU time (layout, font subsetting, zipping XML). */
export function renderBinary(job: BinaryJob): Promise<Uint8Array> {
  if (job.scope === 'session') return job.format === 'docx' ? renderSessionDocx(job.minutes) : renderSessionPdf(job.minutes);
  return job.format === 'docx' ? renderEventDocx(job.minutes) : renderEventPdf(job.minutes);
}
