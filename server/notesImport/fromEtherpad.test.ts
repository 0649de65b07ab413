import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSchema, type JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { ImportProblem } from '../../shared/notesImport/importProblem.js';
import { notesFromEtherpad } from './fromEtherpad.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/etherpad');
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
const schema = getSchema(createSchemaExtensions());

/** Applies an Etherpad changeset ("Z:1>ay|7+ay$…") to a text: keeps, deletions and insertions from the char bank. */
function applyChangeset(text: string, cs: string): string {
  const m = /^Z:([0-9a-z]+)([><])([0-9a-z]+)([^$]*)\$([\s\S]*)$/.exec(cs);
  if (!m) throw new Error(`not a changeset: ${cs.slice(0, 30)}`);
  expect(parseInt(m[1]!, 36)).toBe(text.length);
  let bank = m[5]!;
  let pos = 0;
  let out = '';
  for (const op of m[4]!.matchAll(/((?:\*[0-9a-z]+)*)(?:\|([0-9a-z]+))?([-+=])([0-9a-z]+)/g)) {
    const n = parseInt(op[4]!, 36);
    if (op[3] === '=') out += text.slice(pos, (pos += n));
    else if (op[3] === '-') pos += n;
    else {
      out += bank.slice(0, n);
      bank = bank.slice(n);
    }
  }
  out += text.slice(pos);
  expect(out.length).toBe(text.length + (m[2] === '>' ? 1 : -1) * parseInt(m[3]!, 36));
  return out;
}

const texts = (nodes: JSONContent[] | undefined): string => (nodes ?? []).map((n) => n.text ?? texts(n.content)).join('');

describe('Etherpad fixtures', () => {
  for (const file of ['large-deployments.etherpad', 'AUS-ops-nova-scheduler.etherpad']) {
    it(`${file}: replaying every revision from "\\n" gives the pad's text`, () => {
      const data = JSON.parse(read(file)) as Record<string, { changeset?: string; atext?: { text: string }; head?: number }>;
      const padKey = Object.keys(data).find((k) => /^pad:[^:]+$/.test(k))!;
      const pad = data[padKey]!;
      let text = '\n';
      for (let i = 0; i <= pad.head!; i++) text = applyChangeset(text, data[`${padKey}:revs:${i}`]!.changeset!);
      expect(text).toBe(pad.atext!.text);
    });
  }
});

describe('notesFromEtherpad', () => {
  it('the real Etherpad 2.5.3 export: bold, underline, strike, nested bullets, numbered list, Japanese, each line a block', () => {
    const { doc, padId, authors } = notesFromEtherpad(read('large-deployments.etherpad'));
    expect(padId).toBe('large-deployments');
    expect(authors).toEqual([]);
    schema.nodeFromJSON(doc).check();
    const c = doc.content!;
    expect(c[0]).toEqual({ type: 'paragraph', content: [{ type: 'text', text: 'Large Deployments Team', marks: [{ type: 'bold' }] }, { type: 'text', text: ' (moderator: dana)' }] });
    expect(c[1]!.type).toBe('bulletList');
    expect(c[1]!.content![1]!.content![1]).toEqual({ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'placement API adoption' }] }] }] });
    expect(texts(c[2]!.content)).toBe('Notes in Japanese: 大規模環境でのアップグレード手順を共有する');
    expect(c[3]).toMatchObject({ type: 'orderedList', attrs: { start: 1 } });
    expect(c[4]!.content![0]).toEqual({ type: 'text', text: 'ACTION', marks: [{ type: 'underline' }] });
    expect(c[5]).toEqual({ type: 'paragraph', content: [{ type: 'text', text: '#action matt write up the cells v2 migration notes' }] });
    expect(c[7]).toEqual({ type: 'paragraph', content: [{ type: 'text', text: 'Old item struck through', marks: [{ type: 'strike' }] }] });
    expect(c).toHaveLength(8);
  });

  it('an authored pad: ep_headings2 headings and code lines, bullets nested three deep, marks, links, and who wrote what', () => {
    const { doc, padId, authors } = notesFromEtherpad(read('AUS-ops-nova-scheduler.etherpad'));
    schema.nodeFromJSON(doc).check();
    expect(padId).toBe('AUS-ops-nova-scheduler');
    const c = doc.content!;
    expect(c[0]).toEqual({ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Nova Scheduler & Cells Feedback' }] });
    expect(c[2]).toEqual({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Notes' }] });
    const level3 = c[3]!.content![0]!.content![1]!.content![0]!.content![1]!;
    expect(level3).toEqual({ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'NUMA-aware placement too' }] }] }] });
    expect(c[3]!.content![0]!.content![0]!.content![1]).toEqual({ type: 'text', text: 'uneven', marks: [{ type: 'italic' }] });
    expect(c[3]!.content![1]!.content![0]!.content![1]).toEqual({ type: 'text', text: 'mandatory', marks: [{ type: 'underline' }] });
    expect(c[4]!.content![1]).toEqual({ type: 'text', text: 'https://etherpad.openstack.org/p/MAN-ops-nova', marks: [{ type: 'link', attrs: { href: 'https://etherpad.openstack.org/p/MAN-ops-nova' } }] });
    expect(c[5]).toEqual({ type: 'codeBlock', attrs: { language: null }, content: [{ type: 'text', text: 'nova-manage cell_v2 list_cells\nopenstack resource provider list' }] });
    expect(c[6]).toEqual({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Action items' }] });
    expect(texts(c[7]!.content)).toBe('ACTION: @akiko collect scheduler filter configs by 2016-05-20 ##nova');
    expect(c[9]).toEqual({ type: 'paragraph', content: [{ type: 'text', text: 'Old: move to Filter Scheduler v1', marks: [{ type: 'strike' }] }] });
    expect(authors.map((a) => [a.name, a.color, a.colorId])).toEqual([
      ['akiko', null, 12],
      ['bruno', '#7ab3f0', '#7ab3f0'],
    ]);
    expect(authors[0]!.chars).toBeGreaterThan(authors[1]!.chars);
    // Characters of text each wrote (line markers and line breaks are not text).
    const brunoLines = ['Action items', 'ACTION: @akiko collect scheduler filter configs by 2016-05-20 ##nova', 'TODO: write up the cells v2 FAQ (owner: bruno)', 'Old: move to Filter Scheduler v1', 'スケジューラの設定を共有する', '[ ] @bruno ask the placement team about GPUs'];
    expect(authors[1]!.chars).toBe(brunoLines.join('').length);
  });

  const broken = (mutate: (pad: { atext: { text: string; attribs: string }; pool: { numToAttrib: Record<string, unknown> } }) => void) => {
    const data = JSON.parse(read('large-deployments.etherpad')) as Record<string, unknown>;
    mutate(data['pad:large-deployments'] as never);
    return JSON.stringify(data);
  };
  const reason = (source: string) => {
    try {
      notesFromEtherpad(source);
    } catch (err) {
      expect(err).toBeInstanceOf(ImportProblem);
      return (err as Error).message;
    }
    throw new Error('expected an ImportProblem');
  };

  it('refuses a damaged export with the reason', () => {
    expect(reason('{"pad:x": ')).toMatch(/not valid JSON/);
    expect(reason('[1,2]')).toMatch(/not a JSON object/);
    expect(reason('{"globalAuthor:a.x": {}}')).toMatch(/no "pad:<id>" record/);
    expect(reason('{"pad:a": {}, "pad:b": {}}')).toMatch(/holds 2 pads/);
    expect(reason('{"pad:a": {"atext": {"text": 1, "attribs": ""}, "pool": {"numToAttrib": {}}}}')).toMatch(/pad:a\.atext\.text/);
    expect(reason(broken((p) => (p.atext.text += 'extra\n')))).toMatch(/covers 389 characters but the text has 395/);
    expect(reason(broken((p) => (p.atext.attribs = p.atext.attribs.replace('*0+m', '*z+m'))))).toMatch(/attribute \*z, which is not in the pool/);
    expect(reason(broken((p) => (p.atext.attribs = p.atext.attribs.replace('|1+j', '|2+j'))))).toMatch(/says 2 line\(s\) but its text has 1/);
    expect(reason(broken((p) => (p.atext.attribs = p.atext.attribs.replace('*0+m', '*0=m'))))).toMatch(/only be made of insertions/);
    expect(reason(broken((p) => (p.atext.attribs = p.atext.attribs.replace('*0+m', '*0+m!'))))).toMatch(/unexpected character at offset 4/);
  });
});
