import { looksLikeMarkdown } from '../../shared/notesImport/looksLikeMarkdown.js';

export const IMPORT_FORMATS = ['md', 'txt', 'html', 'etherpad'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What each format is, for the 415 answer and the README. */
export const FORMAT_DESCRIPTIONS: Record<ImportFormat, string> = {
  md: 'Markdown or HedgeDoc notes (.md, text/markdown)',
  txt: 'plain text, e.g. an Etherpad text export (.txt, text/plain)',
  html: 'HTML, e.g. an Etherpad HTML export or a saved web page (.html, text/html)',
  etherpad: "Etherpad's own export (.etherpad, application/json)",
};

const BY_TYPE: Record<string, ImportFormat> = {
  'text/markdown': 'md',
  'text/x-markdown': 'md',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/json': 'etherpad',
  'application/x-etherpad': 'etherpad',
};
/** Types that say nothing about the content: look at the file name, then the bytes. */
const NEUTRAL_TYPES = new Set(['', 'text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', 'multipart/form-data']);
const BY_EXTENSION: Record<string, ImportFormat> = {
  md: 'md',
  markdown: 'md',
  mdown: 'md',
  txt: 'txt',
  text: 'txt',
  html: 'html',
  htm: 'html',
  etherpad: 'etherpad',
  json: 'etherpad',
};

export function formatOfFilename(name: string): ImportFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return (ext && BY_EXTENSION[ext]) || null;
}

/**
 * The import format, from (in this order) the `format` parameter, a
 * telling `Content-Type`, the file name, or the bytes themselves. Null
 * means "not something Roundtable can import" (the route answers 415):
 * a named format it does not know, a type like application/pdf, or bytes
 * that are not UTF-8 text.
 */
export function detectFormat(input: { format?: string; contentType?: string; filename?: string; text: string | null }): ImportFormat | null {
  if (input.format) return (IMPORT_FORMATS as readonly string[]).includes(input.format) ? (input.format as ImportFormat) : null;
  const type = (input.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (BY_TYPE[type]) return BY_TYPE[type]!;
  if (!NEUTRAL_TYPES.has(type)) return null;
  const byName = input.filename ? formatOfFilename(input.filename) : null;
  if (byName) return byName;
  return input.text === null ? null : sniffFormat(input.text);
}

export function sniffFormat(text: string): ImportFormat {
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 4096);
  if (head.startsWith('{') && /"pad:[^"]*"\s*:/.test(head)) return 'etherpad';
  if (/^(?:<!doctype html|<html[\s>]|<(?:head|body|div|p|h[1-6]|ul|ol|table|span|b|strong|meta)[\s>])/i.test(head)) return 'html';
  if (/^---[ \t]*\r?\n/.test(head) || looksLikeMarkdown(text, { strict: true })) return 'md';
  return 'txt';
}

/** UTF-8 text, or null for bytes that are not (a PDF, a Word file, a zip, Latin-1). */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return null;
  }
}
