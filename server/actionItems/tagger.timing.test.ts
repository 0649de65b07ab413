import fs from 'node:fs';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { tempDataDir } from '../../test/helpers/testServer.js';
import type { Room } from '../collab/room.js';
import type { Rooms } from '../collab/roomExtension.js';
import { createLogger } from '../logger.js';
import { ActionItemRepo } from '../storage/actionItemRepo.js';
import { openDatabase } from '../storage/database.js';
import { ActionItemTagger } from './tagger.js';

const NO_OTHER_ROOMS: Rooms = { get: () => undefined, acquire: () => Promise.reject(new Error('no other rooms here')), release: () => {} };
const EVENT_ID = 'timingevent00000';
const SESSION_ID = 'timingsession000';

describe('when the tagger runs: debounceMs after the last edit, at most maxWaitMs after the first', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDataDir('rt-tagger-timing-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs 300 ms after a lone edit, every 900 ms while typing goes on, and 300 ms after the last keystroke', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const db = openDatabase(dir, 'timing.sqlite');
    db.prepare('INSERT INTO events (id, slug, title, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(EVENT_ID, 'timing', 'Timing', 'UTC', '2026-12-05', '2026-12-05');
    const runs: number[] = [];
    const tagger = new ActionItemTagger({
      repo: new ActionItemRepo(db),
      log: createLogger('silent'),
      debounceMs: 300,
      maxWaitMs: 900,
      sessionContext: () => {
        runs.push(Date.now());
        return Promise.resolve({ eventId: EVENT_ID, sessionDate: '2026-12-05' });
      },
      changed: () => {},
    });
    const doc = new Y.Doc();
    const text = new Y.XmlText('notes');
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [text]);
    doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
    const room = { doc, docId: SESSION_ID, broken: false, hasUncommitted: () => false } as unknown as Room;
    try {
      const loadedAt = Date.now();
      tagger.loaded(room, NO_OTHER_ROOMS);
      await vi.advanceTimersByTimeAsync(1000);
      expect(runs.map((t) => t - loadedAt)).toEqual([300]);

      runs.length = 0;
      text.insert(text.length, ' a');
      const first = Date.now();
      await vi.advanceTimersByTimeAsync(1000);
      expect(runs.map((t) => t - first)).toEqual([300]);

      // A keystroke every 100 ms for 2 s (the first at 0, the last at 1,900).
      runs.length = 0;
      const typingFrom = Date.now();
      for (let i = 0; i < 20; i++) {
        text.insert(text.length, 'x');
        await vi.advanceTimersByTimeAsync(100);
      }
      await vi.advanceTimersByTimeAsync(1000);
      expect(runs.map((t) => t - typingFrom)).toEqual([900, 1800, 2200]);
    } finally {
      tagger.unloaded(room);
      db.close();
    }
  });
});
