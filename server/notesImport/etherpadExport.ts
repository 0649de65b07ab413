import { z } from 'zod';
import { ImportProblem } from '../../shared/notesImport/importProblem.js';
import type { AttribPool } from './etherpadAtext.js';

const padSchema = z.object({
  atext: z.object({ text: z.string(), attribs: z.string() }),
  pool: z.object({ numToAttrib: z.record(z.string().regex(/^\d+$/), z.tuple([z.string(), z.string()])) }),
});

const authorSchema = z.object({
  colorId: z.union([z.number().int().nonnegative(), z.string().max(64)]).optional(),
  name: z.string().max(1000).nullable().optional(),
});

export interface EtherpadAuthorRecord {
  id: string;
  name: string | null;
  colorId: number | string | null;
}

export interface EtherpadExport {
  padId: string;
  text: string;
  attribs: string;
  pool: AttribPool;
  authors: EtherpadAuthorRecord[];
}

/**
 * Reads Etherpad's own export (`/p/<pad>/export/etherpad`): one JSON object
 * whose `pad:<id>` record holds the current attributed text and attribute
 * pool, `globalAuthor:<id>` records the authors, and `pad:<id>:revs:<n>` /
 * `:chat:<n>` the history (not needed to import the current text).
 */
export function readEtherpadExport(source: string): EtherpadExport {
  let data: unknown;
  try {
    data = JSON.parse(source.replace(/^\uFEFF/, ''));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ImportProblem('etherpad_not_json', `the .etherpad file is not valid JSON: ${detail}`, { detail });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ImportProblem('etherpad_not_pads', 'the .etherpad file is not a JSON object of pad records');
  const records = data as Record<string, unknown>;
  const padKeys = Object.keys(records).filter((k) => /^pad:[^:]+$/.test(k));
  if (padKeys.length === 0) throw new ImportProblem('etherpad_no_pad', 'the .etherpad file has no "pad:<id>" record');
  if (padKeys.length > 1) throw new ImportProblem('etherpad_many_pads', `the .etherpad file holds ${padKeys.length} pads; export one pad per file`);
  const padKey = padKeys[0]!;
  const pad = padSchema.safeParse(records[padKey]);
  if (!pad.success) {
    const issue = pad.error.issues[0]!;
    const path = [padKey, ...issue.path.map(String)].join('.');
    throw new ImportProblem('etherpad_damaged', `${path}: ${issue.message}`, { where: path, detail: issue.message });
  }
  const authors: EtherpadAuthorRecord[] = [];
  for (const [key, value] of Object.entries(records)) {
    const m = /^globalAuthor:(.+)$/.exec(key);
    if (!m) continue;
    const parsed = authorSchema.safeParse(value);
    // An author record Etherpad could not find is exported as null: the id still appears in the text.
    if (!parsed.success) continue;
    authors.push({ id: m[1]!, name: parsed.data.name ?? null, colorId: parsed.data.colorId ?? null });
  }
  return { padId: padKey.slice(4), text: pad.data.atext.text, attribs: pad.data.atext.attribs, pool: pad.data.pool.numToAttrib, authors };
}
