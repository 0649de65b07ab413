import fs from 'node:fs';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { tempDataDir } from '../../test/helpers/testServer.js';
import type { Room } from '../collab/room.js';
import type { Rooms } from '../collab/roomExtension.js';
import { createLogger } from '../logger.js';
import { ActionItemRepo } from '../storage/actionItemRepo.js';
import { openDatabase } from '../storage/database.js';
import { ActionItemTagger } from './tagger.js';

const NO_OTHER_ROOMS: Rooms = { get: () => undefined, acquire: () => Promise.reject(new Error('no other rooms here')), release: () => {} };
const EVENT_ID = 'namesevent000000';
const SESSION_ID = 'namessession0000';

function append(doc: Y.Doc, text: string): void {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
}

const roomOf = (doc: Y.Doc) => ({ doc, docId: SESSION_ID, broken: false, hasUncommitted: () => false }) as unknown as Room;
const hanasBatch = { update: new Uint8Array(), authors: [{ connectionId: 1, name: 'Hana', clientIds: [1] }] };

describe('the names the tagger knows: its writers, not only what storage recorded', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = tempDataDir('rt-tagger-names-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function setup() {
    const db = openDatabase(dir, `names-${n++}.sqlite`);
    db.prepare('INSERT INTO events (id, slug, title, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(EVENT_ID, `e${n}`, 'Names', 'UTC', '2026-12-05', '2026-12-05');
    const store = new ActionItemRepo(db);
    let clock = 0;
    // Storage never records a note-taker here: every name the tagger uses comes from the batches it saw.
    const t = new ActionItemTagger({
      repo: store,
      log: createLogger('silent'),
      debounceMs: 3_600_000,
      maxWaitMs: 3_600_000,
      now: () => new Date(Date.UTC(2026, 11, 5, 12, 0, clock++)),
      sessionContext: () => Promise.resolve({ eventId: EVENT_ID, sessionDate: '2026-12-05', knownNames: ['Ana'] }),
      changed: () => {},
    });
    const doc = new Y.Doc();
    const room = roomOf(doc);
    t.loaded(room, NO_OTHER_ROOMS);
    const owners = async () => Object.fromEntries((await store.listBySession(SESSION_ID)).map((r) => [r.text, JSON.parse(r.owners) as string[]]));
    return { t, doc, room, store, owners };
  }

  it('[AI-O7] a line in the batch of a note-taker storage has not recorded yet is hers', async () => {
    const { t, doc, room, owners } = setup();
    append(doc, 'TODO: hana to update the runbook');
    t.batchTaken(room, hanasBatch);
    await t.flush(room);
    expect(await owners()).toEqual({ 'hana to update the runbook': ['Hana'] });
    t.unloaded(room);
  });

  it('[AI-O7] items tagged before a name was known are tagged again once it is; the others are not written again', async () => {
    const { t, doc, room, store, owners } = setup();
    append(doc, 'TODO: hana to update the runbook');
    append(doc, 'TODO: ana to book the room');
    await t.flush(room);
    expect(await owners()).toEqual({ 'hana to update the runbook': [], 'ana to book the room': ['Ana'] });
    const anasBefore = (await store.listBySession(SESSION_ID)).find((r) => r.text === 'ana to book the room')!;
    // Hana's first line, elsewhere in the notes.
    append(doc, 'Hello from Hana');
    t.batchTaken(room, hanasBatch);
    await t.flush(room);
    expect(await owners()).toEqual({ 'hana to update the runbook': ['Hana'], 'ana to book the room': ['Ana'] });
    expect((await store.listBySession(SESSION_ID)).find((r) => r.text === 'ana to book the room')).toEqual(anasBefore);
    // Known already: the next run parses only what changed.
    append(doc, 'more notes');
    t.batchTaken(room, hanasBatch);
    const rows = await store.listBySession(SESSION_ID);
    await t.flush(room);
    expect(await store.listBySession(SESSION_ID)).toEqual(rows);
    t.unloaded(room);
  });
});
