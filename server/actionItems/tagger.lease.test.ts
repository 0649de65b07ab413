import fs from 'node:fs';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { eventually } from '../../test/helpers/eventually.js';
import { tempDataDir } from '../../test/helpers/testServer.js';
import type { Room } from '../collab/room.js';
import type { Rooms } from '../collab/roomExtension.js';
import { createLogger } from '../logger.js';
import { ActionItemRepo } from '../storage/actionItemRepo.js';
import { openDatabase } from '../storage/database.js';
import type { ActionItemStore } from '../storage/ports.js';
import { ActionItemService } from './actionItemService.js';
import { ActionItemTagger } from './tagger.js';

const NO_OTHER_ROOMS: Rooms = { get: () => undefined, acquire: () => Promise.reject(new Error('no other rooms here')), release: () => {} };
const EVENT_ID = 'leaseevent000000';
const SESSION_ID = 'leasesession0000';

function notes(...lines: string[]): Y.Doc {
  const doc = new Y.Doc();
  for (const line of lines) append(doc, line);
  return doc;
}

function append(doc: Y.Doc, text: string): void {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
}

const roomOf = (doc: Y.Doc) => ({ doc, docId: SESSION_ID, broken: false, hasUncommitted: () => false }) as unknown as Room;

describe('the tagger under a session lease, and after a failed or slow index write; writes to items it is indexing', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = tempDataDir('rt-tagger-lease-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function repo(): ActionItemRepo {
    const db = openDatabase(dir, `lease-${n++}.sqlite`);
    db.prepare('INSERT INTO events (id, slug, title, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(EVENT_ID, `e${n}`, 'Lease', 'UTC', '2026-12-05', '2026-12-05');
    return new ActionItemRepo(db);
  }

  function tagger(store: ActionItemStore, lease?: ConstructorParameters<typeof ActionItemTagger>[0]['lease'], debounceMs = 5) {
    let contexts = 0;
    const t = new ActionItemTagger({
      repo: store,
      log: createLogger('silent'),
      debounceMs,
      maxWaitMs: debounceMs * 2,
      sessionContext: () => {
        contexts++;
        return Promise.resolve({ eventId: EVENT_ID, sessionDate: '2026-12-05' });
      },
      changed: () => {},
      lease,
    });
    return { t, contexts: () => contexts };
  }

  it('tags as people type only while holding the lease; taking it over tags everything the notes hold', async () => {
    const store = repo();
    let held = false;
    let asked = 0;
    const gained: ((docId: string) => void)[] = [];
    const lease = {
      holds: () => {
        asked++;
        return held;
      },
      onGained: (l: (docId: string) => void) => void gained.push(l),
    };
    const { t, contexts } = tagger(store, lease);
    const doc = notes('ACTION: @ana send the summary');
    const room = roomOf(doc);
    t.loaded(room, NO_OTHER_ROOMS);
    // The debounced run asked the lease (a barrier: its decision is synchronous) and did nothing.
    await eventually(() => asked > 0, 5000, 'the run asked the lease');
    expect(contexts()).toBe(0);
    expect(await store.listBySession(SESSION_ID)).toEqual([]);
    append(doc, 'TODO: @bob book the room');

    held = true;
    for (const l of gained) l(SESSION_ID);
    await eventually(async () => (await store.listBySession(SESSION_ID)).length === 2, 5000, 'both items tagged');
    expect((await store.listBySession(SESSION_ID)).map((r) => r.text)).toEqual(['@ana send the summary', '@bob book the room']);
    t.unloaded(room);
  });

  it('an index write that failed is made by the next run, even when that run is for another line', async () => {
    const real = repo();
    let failNext = true;
    const flaky = Object.create(real) as ActionItemStore;
    flaky.apply = (...args) => {
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('database connection lost'));
      }
      return real.apply(...args);
    };
    // Runs only when flushed below.
    const { t } = tagger(flaky, undefined, 3_600_000);
    const doc = notes('plain line', 'ACTION: @ana send the summary');
    const room = roomOf(doc);
    t.loaded(room, NO_OTHER_ROOMS);
    await expect(t.flush(room)).rejects.toThrow(/connection lost/);
    // Only the plain line changes now.
    const plain = doc.getXmlFragment(NOTES_FRAGMENT).get(0) as Y.XmlElement;
    (plain.get(0) as Y.XmlText).insert(0, 'a ');
    await t.flush(room);
    expect((await real.listBySession(SESSION_ID)).map((r) => r.text)).toEqual(['@ana send the summary']);
    t.unloaded(room);
  });

  it('an item whose tag is in the notes while its index write is still on the way is found by the room that is writing it', async () => {
    const real = repo();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = Object.create(real) as ActionItemStore;
    slow.apply = async (...args) => {
      await gate;
      return real.apply(...args);
    };
    const { t } = tagger(slow, undefined, 3_600_000);
    const doc = notes('ACTION: @dana send the summary');
    const room = roomOf(doc);
    t.loaded(room, NO_OTHER_ROOMS);
    const run = t.flush(room);
    const p = doc.getXmlFragment(NOTES_FRAGMENT).get(0) as Y.XmlElement;
    await eventually(() => typeof p.getAttribute('actionItemId') === 'string', 5000, 'tag written into the notes');
    const id = p.getAttribute('actionItemId') as string;
    // What a note-taker who ticks it on the board at this moment depends on.
    expect(await real.find(id)).toBeUndefined();
    expect(t.roomReserving(id)).toBe(room);
    const waited = t.flush(room);
    release();
    await run;
    await waited;
    expect(await real.find(id)).toMatchObject({ id, owners: '["dana"]', status: 'open' });
    expect(t.roomReserving(id)).toBeUndefined();
    t.unloaded(room);
  });

  it('a write through a process that does not hold the lease waits for the holder to index an item its notes show, and only then', async () => {
    const store = repo();
    const { t } = tagger(store, { holds: () => false, onGained: () => {} });
    const doc = notes('ACTION: @chen send the slides');
    const p = doc.getXmlFragment(NOTES_FRAGMENT).get(0) as Y.XmlElement;
    // What the holder wrote into the notes, arrived here through the bus.
    p.setAttribute('actionItemId', 'heldelsewhere001');
    const room = roomOf(doc);
    t.loaded(room, NO_OTHER_ROOMS);
    const service = new ActionItemService({ repo: store, registry: NO_OTHER_ROOMS, tagger: t, commitQueue: undefined as never, indexWaitMs: 2000 });
    expect(await service.find('notinanynotes001')).toBeUndefined();
    // The holder's index write lands 100 ms later.
    const upsert = { id: 'heldelsewhere001', eventId: EVENT_ID, sessionId: SESSION_ID, text: '@chen send the slides', owners: ['chen'], due: null, tags: [], status: 'open' as const, source: 'ACTION', position: 'a0' };
    setTimeout(() => void store.apply([upsert], [], '2026-12-05T00:00:00.000Z'), 100);
    expect(await service.find('heldelsewhere001')).toMatchObject({ id: 'heldelsewhere001', owners: '["chen"]' });
    // Nothing indexes it within the wait: not found, after the wait.
    p.setAttribute('actionItemId', 'neverindexed0001');
    const asked = Date.now();
    expect(await new ActionItemService({ repo: store, registry: NO_OTHER_ROOMS, tagger: t, commitQueue: undefined as never, indexWaitMs: 200 }).find('neverindexed0001')).toBeUndefined();
    expect(Date.now() - asked).toBeGreaterThanOrEqual(200);
    t.unloaded(room);
  });
});
