import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { Room } from '../collab/room.js';
import { createLogger } from '../logger.js';
import { openDatabase } from '../storage/database.js';
import { SearchRepo } from '../storage/searchRepo.js';
import { SearchIndexer } from './searchIndexer.js';

const host = { scheduleCommit: () => {}, fault: () => {}, updateReceived: () => {}, batchTaken: () => ({}), batchCommitted: () => {}, presenceChanged: () => {}, idle: () => {} };

describe('when the search indexer passes: debounceMs after the last commit, at most maxWaitMs after the first', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes 500 ms after a lone commit, every 1,800 ms while commits go on, and 500 ms after the last', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-indexer-timing-'));
    const db = openDatabase(dir);
    const repo = new SearchRepo(db);
    const passes: number[] = [];
    const write = repo.write.bind(repo);
    repo.write = (sessions, now) => {
      passes.push(Date.now());
      return write(sessions, now);
    };
    const indexer = new SearchIndexer({ repo, log: createLogger('silent'), eventOf: async () => 'eventaaaaaaaaaaa', load: async () => ({ snapshot: null, updates: [], lastSeq: 0 }), debounceMs: 500, maxWaitMs: 1800 });
    const doc = new Y.Doc();
    const text = new Y.XmlText('notes');
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [text]);
    doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
    const room = new Room('sessionaaaaaaaaa', { doc, lastSeq: 0, updatesSinceSnapshot: 0, damage: null, skippedParts: 0 }, host, createLogger('silent'));
    const commit = () => {
      text.insert(text.length, 'x');
      room.lastSeq++;
      indexer.batchCommitted(room);
    };
    try {
      await indexer.loaded(room);
      await indexer.flush();
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      passes.length = 0;
      const lone = Date.now();
      commit();
      await vi.advanceTimersByTimeAsync(3000);
      expect(passes.map((t) => t - lone)).toEqual([500]);

      // A commit every 100 ms for 4 s (the first at 0, the last at 3,900).
      passes.length = 0;
      const from = Date.now();
      for (let i = 0; i < 40; i++) {
        commit();
        await vi.advanceTimersByTimeAsync(100);
      }
      await vi.advanceTimersByTimeAsync(3000);
      expect(passes.map((t) => t - from)).toEqual([1800, 3600, 4400]);
    } finally {
      vi.useRealTimers();
      await indexer.unloaded(room);
      indexer.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
