import fs from 'node:fs';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import fc from 'fast-check';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseActionItem } from '../../shared/actionItems/parse.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { fuzzRuns } from '../../test/helpers/fuzz.js';
import { notesDocArb } from '../../test/helpers/notesArbitrary.js';
import { tempDataDir } from '../../test/helpers/testServer.js';
import type { Room } from '../collab/room.js';
import { createNotesSchema } from '../notesSchema.js';
import { createLogger } from '../logger.js';
import { openDatabase } from '../storage/database.js';
import { ActionItemRepo } from '../storage/actionItemRepo.js';
import { collectParagraphs, describeParagraph, isItemLine } from './blocks.js';
import { ActionItemTagger } from './tagger.js';
import type { Rooms } from '../collab/roomExtension.js';

/** This document alone: nothing here is carried forward from another session's notes. */
const NO_OTHER_ROOMS: Rooms = { get: () => undefined, acquire: () => Promise.reject(new Error('no other rooms here')), release: () => {} };

const EVENT_ID = 'fuzzevent0000000';
const SESSION_DATE = '2016-04-25';
const schema = createNotesSchema();
const LINES = ['ACTION: @ana send the summary', 'TODO: @bob fix quotas due 2016-05-17', '[ ] check the runbook', '[x] done already', 'plain note', '##ops-guide needs a page', '宿題：山田 資料を作る 期限：6月15日', '#action jun book the room', 'AI: owner: chen draft it by May 17', ''];

/** An edit as a note-taker (or a paste) would make it, with positions as fractions so any document can take it. */
type Edit =
  | { kind: 'type'; at: number; offset: number; text: string }
  | { kind: 'erase'; at: number; offset: number; length: number }
  | { kind: 'insert'; at: number; text: string; where: 'top' | 'nested' }
  | { kind: 'remove'; at: number }
  | { kind: 'tick'; at: number }
  | { kind: 'task'; at: number; text: string; checked: boolean }
  | { kind: 'copy'; at: number }
  | { kind: 'oddId'; at: number; value: string | number | boolean };

const frac = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const line = fc.oneof(fc.constantFrom(...LINES), fc.string({ maxLength: 12 }));
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('type' as const), at: frac, offset: frac, text: line }),
  fc.record({ kind: fc.constant('erase' as const), at: frac, offset: frac, length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: frac, text: line, where: fc.constantFrom('top' as const, 'nested' as const) }),
  fc.record({ kind: fc.constant('remove' as const), at: frac }),
  fc.record({ kind: fc.constant('tick' as const), at: frac }),
  fc.record({ kind: fc.constant('task' as const), at: frac, text: line, checked: fc.boolean() }),
  fc.record({ kind: fc.constant('copy' as const), at: frac }),
  // Any client can write any attribute: a value that is not an id the tagger could have written (no string, empty, another shape) is none.
  fc.record({ kind: fc.constant('oddId' as const), at: frac, value: fc.constantFrom<string | number | boolean>(true, false, 0, 42, 1.5, '', 'not-an-id') }),
);

const pick = <T>(xs: readonly T[], f: number): T | undefined => xs[Math.floor(f * xs.length)];

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

function containers(fragment: Y.XmlFragment): (Y.XmlFragment | Y.XmlElement)[] {
  const out: (Y.XmlFragment | Y.XmlElement)[] = [fragment];
  const stack: (Y.XmlFragment | Y.XmlElement)[] = [fragment];
  while (stack.length) {
    for (const c of stack.pop()!.toArray()) {
      if (c instanceof Y.XmlElement && c.nodeName !== 'paragraph') {
        if (['listItem', 'taskItem', 'blockquote'].includes(c.nodeName)) out.push(c);
        stack.push(c);
      }
    }
  }
  return out;
}

function apply(doc: Y.Doc, e: Edit): void {
  const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
  const paragraphs = collectParagraphs(fragment);
  doc.transact(() => {
    switch (e.kind) {
      case 'type':
      case 'erase': {
        const p = pick(paragraphs, e.at);
        if (!p) return;
        let t = p.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
        if (!t) p.insert(0, [(t = new Y.XmlText())]);
        const offset = Math.floor(e.offset * (t.length + 1));
        if (e.kind === 'type') t.insert(offset, e.text);
        else t.delete(Math.min(offset, t.length), Math.min(e.length, Math.max(0, t.length - offset)));
        return;
      }
      case 'insert': {
        const parent = e.where === 'top' ? fragment : pick(containers(fragment), e.at)!;
        parent.insert(Math.floor(e.at * (parent.length + 1)), [paragraph(e.text)]);
        return;
      }
      case 'remove': {
        const parent = pick(containers(fragment), e.at)!;
        if (parent.length > 0) parent.delete(Math.floor(e.at * parent.length), 1);
        return;
      }
      case 'tick': {
        const item = pick(
          containers(fragment).filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'taskItem'),
          e.at,
        );
        item?.setAttribute('checked', (item.getAttribute('checked') as unknown) === true ? (false as unknown as string) : (true as unknown as string));
        return;
      }
      case 'task': {
        const list = new Y.XmlElement('taskList');
        const item = new Y.XmlElement('taskItem');
        item.setAttribute('checked', e.checked as unknown as string);
        item.insert(0, [paragraph(e.text)]);
        list.insert(0, [item]);
        fragment.insert(Math.floor(e.at * (fragment.length + 1)), [list]);
        return;
      }
      case 'copy': {
        // A paste of a block, attributes and all (its action-item id included).
        const p = pick(paragraphs, e.at);
        if (!p) return;
        const copy = p.clone();
        fragment.insert(Math.floor(e.at * (fragment.length + 1)), [copy]);
        return;
      }
      case 'oddId': {
        pick(paragraphs, e.at)?.setAttribute('actionItemId', e.value as string);
        return;
      }
    }
  });
}

interface Item {
  text: string;
  owners: string[];
  due: string | null;
  tags: string[];
  status: string;
  source: string;
}

const key = (i: Item) => JSON.stringify([i.text, i.owners, i.due, i.tags, i.status, i.source]);

/**
 * What parsing the whole document afresh finds. Status follows the SPEC: a
 * check box or typed box is the truth; any other item keeps the status its
 * block carries (set on the board, or before its box was typed away).
 */
function fullParse(doc: Y.Doc): Item[] {
  const out: Item[] = [];
  for (const p of collectParagraphs(doc.getXmlFragment(NOTES_FRAGMENT))) {
    if (!isItemLine(p)) continue;
    const block = describeParagraph(p);
    const parsed = parseActionItem(block, { sessionDate: SESSION_DATE });
    if (!parsed) continue;
    const carried = p.getAttribute('actionStatus') as unknown;
    const boxed = block.kind === 'taskItem' || parsed.source === 'task';
    out.push({ ...parsed, status: !boxed && (carried === 'open' || carried === 'done') ? carried : parsed.status });
  }
  return out;
}

describe('the live tagger', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDataDir('rt-tagger-fuzz-');
  });
  let run = 0;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('after any edits, indexes exactly what a fresh full parse of the document finds, with one id per item line', async () => {
    await fc.assert(
      fc.asyncProperty(notesDocArb, fc.array(fc.array(editArb, { minLength: 1, maxLength: 5 }), { maxLength: 6 }), async (initial, batches) => {
        const db = openDatabase(dir, `fuzz-${run++}.sqlite`);
        try {
          db.prepare('INSERT INTO events (id, slug, title, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(EVENT_ID, 'fuzz', 'Fuzz', 'UTC', SESSION_DATE, SESSION_DATE);
          const repo = new ActionItemRepo(db);
          const doc = new Y.Doc();
          prosemirrorJSONToYXmlFragment(schema, initial, doc.getXmlFragment(NOTES_FRAGMENT));
          const room = { doc, docId: 'fuzzsession00000', broken: false } as unknown as Room;
          const tagger = new ActionItemTagger({
            repo,
            log: createLogger('silent'),
            // Runs only when flushed below.
            debounceMs: 3_600_000,
            maxWaitMs: 3_600_000,
            sessionContext: async () => ({ eventId: EVENT_ID, sessionDate: SESSION_DATE }),
            changed: () => {},
          });
          tagger.loaded(room, NO_OTHER_ROOMS);
          const check = async () => {
            await tagger.flush(room);
            const rows = await repo.listBySession(room.docId);
            const indexed = rows.map((r): Item => ({ text: r.text, owners: JSON.parse(r.owners) as string[], due: r.due, tags: JSON.parse(r.tags) as string[], status: r.status, source: r.source }));
            expect(indexed.map(key).sort()).toEqual(fullParse(doc).map(key).sort());
            // Every indexed id sits on exactly one item line of the document.
            const ids = collectParagraphs(doc.getXmlFragment(NOTES_FRAGMENT)).map((p) => p.getAttribute('actionItemId') as string | undefined).filter((id): id is string => typeof id === 'string');
            expect(new Set(ids).size).toBe(ids.length);
            expect(rows.map((r) => r.id).sort()).toEqual(ids.sort());
          };
          await check();
          for (const batch of batches) {
            for (const e of batch) apply(doc, e);
            await check();
          }
          tagger.unloaded(room);
          doc.destroy();
        } finally {
          db.close();
        }
      }),
      { numRuns: fuzzRuns(40) },
    );
  }, 30 * 60_000);
});
