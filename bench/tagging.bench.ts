import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { parseActionItem } from '../shared/actionItems/parse.js';
import { NOTES_FRAGMENT } from '../shared/protocol.js';
import { collectParagraphs, describeParagraph, isItemLine } from '../server/actionItems/blocks.js';
import { ActionItemRepo } from '../server/storage/actionItemRepo.js';
import { ActionItemTagger } from '../server/actionItems/tagger.js';
import type { Room } from '../server/collab/room.js';
import { createLogger } from '../server/logger.js';
import { openDatabase } from '../server/storage/database.js';
import { since, type Bench, type BenchTable } from './table.js';
import type { Rooms } from '../server/collab/roomExtension.js';

/** This document alone: nothing here is carried forward from another session's notes. */
const NO_OTHER_ROOMS: Rooms = { get: () => undefined, acquire: () => Promise.reject(new Error('no other rooms here')), release: () => {} };

const BLOCKS = 5_000;
const KEYSTROKES = 2_000;
/** Keystrokes between two pauses: a burst of typing, then the debounced tagging run. */
const BURST = 10;
const EVENT_ID = 'benchevent000000';
const SESSION_ID = 'benchsession0000';

const LINES = [
  'Performance: DPDK / SR-IOV numbers vary wildly between deployments; nobody shares configs',
  'HA: instance HA is still out-of-tree, operators want one recommended answer',
  '・2日間の議論は時間が足りずランチ会議に突入した',
  'Monitoring: Ceilometer cannot keep up at 1s granularity, most people run their own collectors',
];

/** A long session's notes: 5,000 blocks, mostly prose, every 25th an action item, some in lists. */
function buildDoc(): { doc: Y.Doc; typingTarget: Y.XmlText; middleIndex: number } {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
  let typingTarget: Y.XmlText | null = null;
  const middleIndex = Math.floor(BLOCKS / 2);
  doc.transact(() => {
    const blocks: Y.XmlElement[] = [];
    for (let i = 0; i < BLOCKS; i++) {
      const text =
        i % 25 === 0
          ? i % 50 === 0
            ? `ACTION: @dana follow up on item ${i} by 2016-05-17 ##product-wg`
            : `宿題：@はな 項目${i}を確認（期限：6月15日）`
          : `${LINES[i % LINES.length]!} (${i})`;
      const t = new Y.XmlText(text);
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [t]);
      if (i === middleIndex) typingTarget = t;
      if (i % 10 === 3) {
        const li = new Y.XmlElement('listItem');
        li.insert(0, [p]);
        const list = new Y.XmlElement('bulletList');
        list.insert(0, [li]);
        blocks.push(list);
      } else {
        blocks.push(p);
      }
    }
    fragment.insert(0, blocks);
  });
  return { doc, typingTarget: typingTarget!, middleIndex };
}

/** What a tagger without incremental tracking would do after every keystroke. */
function fullReparse(doc: Y.Doc): number {
  let found = 0;
  for (const el of collectParagraphs(doc.getXmlFragment(NOTES_FRAGMENT))) {
    if (isItemLine(el) && parseActionItem(describeParagraph(el), { sessionDate: '2016-04-25' })) found++;
  }
  return found;
}

function setup(dir: string, name: string) {
  const db = openDatabase(dir, `${name}.sqlite`);
  db.prepare('INSERT INTO events (id, slug, title, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(EVENT_ID, 'bench', 'Bench', 'UTC', '2016-04-25', '2016-04-25');
  const repo = new ActionItemRepo(db);
  const tagger = new ActionItemTagger({
    repo,
    log: createLogger('silent'),
    // Runs are triggered by flush() below, at the pauses, never by timers during the measured loop.
    debounceMs: 60_000,
    maxWaitMs: 60_000,
    sessionContext: async () => ({ eventId: EVENT_ID, sessionDate: '2016-04-25' }),
    changed: () => {},
  });
  const built = buildDoc();
  const room = { doc: built.doc, docId: SESSION_ID, broken: false } as unknown as Room;
  return { db, repo, tagger, room, ...built };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

const bench: Bench = {
  name: 'tagging',
  async run(): Promise<BenchTable[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-bench-tagging-'));
    try {
      // 1. Plain Yjs typing, no tagger: the floor.
      const plain = buildDoc();
      let start = performance.now();
      for (let k = 0; k < KEYSTROKES; k++) plain.typingTarget.insert(plain.typingTarget.length, 'x');
      const plainUs = (since(start) * 1000) / KEYSTROKES;

      // 2. Tagger attached: the initial scan when a document loads, then typing with a tagging run at every pause.
      const s = setup(dir, 'incremental');
      start = performance.now();
      s.tagger.loaded(s.room, NO_OTHER_ROOMS);
      await s.tagger.flush(s.room);
      const loadMs = since(start);
      const items = (await s.repo.listBySession(SESSION_ID)).length;

      const runTimes: number[] = [];
      let observerMs = 0;
      for (let k = 0; k < KEYSTROKES; k++) {
        const t0 = performance.now();
        s.typingTarget.insert(s.typingTarget.length, k % 7 === 0 ? ' ' : 'x');
        observerMs += since(t0);
        if ((k + 1) % BURST === 0) {
          const t1 = performance.now();
          await s.tagger.flush(s.room);
          runTimes.push(since(t1));
        }
      }
      const runTotal = runTimes.reduce((a, b) => a + b, 0);
      const incrementalUs = ((observerMs + runTotal) * 1000) / KEYSTROKES;
      runTimes.sort((a, b) => a - b);

      // 3. Structure changes: Enter in the middle of the document (a new action line), then a run.
      const enterTimes: number[] = [];
      const fragment = s.doc.getXmlFragment(NOTES_FRAGMENT);
      for (let k = 0; k < 200; k++) {
        const t0 = performance.now();
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(`TODO: @chen new line ${k} due 5/31`)]);
        fragment.insert(s.middleIndex + k, [p]);
        await s.tagger.flush(s.room);
        enterTimes.push(since(t0));
      }
      enterTimes.sort((a, b) => a - b);
      s.tagger.unloaded(s.room);
      s.db.close();

      // 4. The naive alternative: re-parse every block after every keystroke.
      const naive = buildDoc();
      const naiveRounds = 40;
      start = performance.now();
      let found = 0;
      for (let k = 0; k < naiveRounds; k++) {
        naive.typingTarget.insert(naive.typingTarget.length, 'x');
        found = fullReparse(naive.doc);
      }
      const naiveUs = (since(start) * 1000) / naiveRounds;

      // 5. Latency with the production timers: last keystroke of a burst → attribute on the block.
      const live = setup(dir, 'latency');
      const liveTagger = new ActionItemTagger({
        repo: live.repo,
        log: createLogger('silent'),
        sessionContext: async () => ({ eventId: EVENT_ID, sessionDate: '2016-04-25' }),
        changed: () => {},
      });
      liveTagger.loaded(live.room, NO_OTHER_ROOMS);
      liveTagger.flush(live.room);
      const latencies: number[] = [];
      const liveFragment = live.doc.getXmlFragment(NOTES_FRAGMENT);
      for (let round = 0; round < 5; round++) {
        const text = new Y.XmlText('');
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [text]);
        liveFragment.insert(live.middleIndex, [p]);
        const line = `ACTION: @dana send the summary ${round} by 2016-05-17`;
        for (const ch of line) {
          text.insert(text.length, ch);
          await new Promise((r) => setTimeout(r, 15));
        }
        const typedAt = performance.now();
        // Done when the block is marked and the index holds the whole line, not an earlier prefix.
        const final = line.slice('ACTION: '.length);
        const indexed = async () => {
          const id = p.getAttribute('actionItemId') as unknown;
          return typeof id === 'string' && (await live.repo.find(id))?.text === final;
        };
        while (!(await indexed())) await new Promise((r) => setTimeout(r, 2));
        latencies.push(since(typedAt));
      }
      liveTagger.unloaded(live.room);
      live.db.close();

      return [
        {
          title: `Live tagging cost per keystroke, ${BLOCKS.toLocaleString('en-US')}-block document`,
          columns: ['what', 'µs per keystroke', 'vs plain Yjs'],
          rows: [
            ['plain Yjs insert, no tagger', plainUs, '1.0×'],
            [`incremental tagger (observer + a run every ${BURST} keystrokes)`, incrementalUs, `${(incrementalUs / plainUs).toFixed(1)}×`],
            ['full re-parse of the document per keystroke (what the tagger avoids)', naiveUs, `${(naiveUs / plainUs).toFixed(0)}×`],
          ],
          notes: [
            `${KEYSTROKES.toLocaleString('en-US')} keystrokes typed at the end of block ${s.middleIndex}; ${items} action items found by the initial scan (${found} after the naive re-parse).`,
            `Incremental tagging is ${(naiveUs / incrementalUs).toFixed(0)}× cheaper than re-parsing the whole document per keystroke.`,
          ],
        },
        {
          title: 'Tagging runs',
          columns: ['what', 'median ms', 'p95 ms', 'max ms'],
          rows: [
            ['initial scan when the document loads', loadMs, loadMs, loadMs],
            [`run after a ${BURST}-keystroke burst in one block`, percentile(runTimes, 50), percentile(runTimes, 95), runTimes[runTimes.length - 1]!],
            ['new action line inserted mid-document (Enter) + run', percentile(enterTimes, 50), percentile(enterTimes, 95), enterTimes[enterTimes.length - 1]!],
          ],
        },
        {
          title: 'Latency with the production debounce (300 ms quiet, 900 ms max wait)',
          columns: ['what', 'median ms', 'max ms'],
          rows: [['last keystroke → block marked and indexed with the final text (in-process, no network)', percentile([...latencies].sort((a, b) => a - b), 50), Math.max(...latencies)]],
          notes: [
            'Typed at one character per 15 ms into a new block of the 5,000-block document; the issue asks for tagging within 1 s of a pause.',
            'A run also starts at most 900 ms after the first untagged keystroke, so a long burst is partly tagged before it ends: the median can be under 300 ms.',
          ],
        },
      ];
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
