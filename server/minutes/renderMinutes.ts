import { renderEventHtml, renderSessionHtml } from '../../shared/minutes/html.js';
import { renderEventJson, renderSessionJson } from '../../shared/minutes/json.js';
import { renderEventMarkdown, renderSessionMarkdown } from '../../shared/minutes/markdown.js';
import type { MinutesEvent, MinutesSession } from '../../shared/minutes/model.js';
import { renderEventText, renderSessionText } from '../../shared/minutes/text.js';

// The DOCX and PDF renderers (pdfkit, docx and their fonts: about 20 MiB) load on first use, so
// the server's main thread, which imports the format list from here, never holds them.
const docx = () => import('./docx.js');
const pdf = () => import('./pdf.js');
// fflate too, with the first zip.
const zip = () => import('./zip.js');

export const SESSION_FORMATS = ['md', 'html', 'txt', 'docx', 'pdf', 'json'] as const;
export const EVENT_FORMATS = [...SESSION_FORMATS, 'zip'] as const;
export type SessionFormat = (typeof SESSION_FORMATS)[number];
export type EventFormat = (typeof EVENT_FORMATS)[number];

export const CONTENT_TYPES: Record<EventFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  json: 'application/json; charset=utf-8',
  zip: 'application/zip',
};

/**
 * Minutes of one session in this thread. The server never calls this on its
 * event loop: it goes through the render pool (server/minutes/renderPool.ts);
 * the CLI and the worker thread do.
 */
export async function renderSessionMinutes(m: MinutesSession, format: SessionFormat): Promise<string | Uint8Array> {
  switch (format) {
    case 'md':
      return renderSessionMarkdown(m);
    case 'html':
      return renderSessionHtml(m);
    case 'txt':
      return renderSessionText(m);
    case 'json':
      return renderSessionJson(m);
    case 'docx':
      return (await docx()).renderSessionDocx(m);
    case 'pdf':
      return (await pdf()).renderSessionPdf(m);
  }
}

export async function renderEventMinutes(e: MinutesEvent, format: EventFormat): Promise<string | Uint8Array> {
  switch (format) {
    case 'md':
      return renderEventMarkdown(e);
    case 'html':
      return renderEventHtml(e);
    case 'txt':
      return renderEventText(e);
    case 'json':
      return renderEventJson(e);
    case 'docx':
      return (await docx()).renderEventDocx(e);
    case 'pdf':
      return (await pdf()).renderEventPdf(e);
    case 'zip':
      return (await zip()).renderEventZip(e, { session: renderSessionMarkdown, event: renderEventMarkdown });
  }
}
