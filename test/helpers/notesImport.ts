import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSchema, type JSONContent } from '@tiptap/core';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const schema = getSchema(createSchemaExtensions());

export function etherpadFixture(name: string): Buffer {
  return fs.readFileSync(path.join(fixtures, 'etherpad', name));
}

/** POSTs raw bytes (a file, a zip) the way the import dialog uploads them. */
export async function postBytes<T>(url: string, token: string | null, body: Uint8Array | string, contentType = 'application/octet-stream'): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** What a connected editor would show: the client's Yjs document read through the editor schema. */
export function clientNotes(doc: Y.Doc): JSONContent {
  return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(NOTES_FRAGMENT), schema).toJSON() as JSONContent;
}

/** Top-level block types and their text, for compact structure assertions. */
export function outline(doc: JSONContent): string[] {
  const text = (n: JSONContent): string => (n.text ?? '') + (n.content ?? []).map(text).join(n.type === 'doc' ? '\n' : '');
  return (doc.content ?? []).map((n) => `${n.type}: ${text(n)}`);
}

/** Every paragraph's tagger attributes (what the server wrote on imported action lines). */
export function taggedLines(doc: JSONContent): { text: string; actionItemId: string | null; actionStatus: string | null }[] {
  const out: { text: string; actionItemId: string | null; actionStatus: string | null }[] = [];
  const walk = (n: JSONContent) => {
    if (n.type === 'paragraph' && n.attrs?.actionItemId) out.push({ text: (n.content ?? []).map((c) => c.text ?? '').join(''), actionItemId: n.attrs.actionItemId as string, actionStatus: (n.attrs.actionStatus as string) ?? null });
    (n.content ?? []).forEach(walk);
  };
  walk(doc);
  return out;
}
