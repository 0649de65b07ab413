import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { Connection } from '../collab/connection.js';
import { Room } from '../collab/room.js';
import { createLogger } from '../logger.js';
import { openDatabase } from '../storage/database.js';
import { SearchIndexer } from './searchIndexer.js';
import { SearchRepo, type SessionWrites } from '../storage/searchRepo.js';

const log = createLogger('silent');

const host = { scheduleCommit: () => {}, fault: () => {}, updateReceived: () => {}, batchTaken: () => ({}), batchCommitted: () => {}, presenceChanged: () => {}, idle: () => {} };
/** A healthy stored document, as loadDocument() hands it to the registry. */
const loaded = (doc: Y.Doc, lastSeq: number) => ({ doc, lastSeq, updatesSinceSnapshot: 0, damage: null, skippedParts: 0 });

/** A room as the registry makes it, without sockets: edits come from a client replica through a Connection origin. */
function room(docId: string): Room {
  return new Room(docId, loaded(new Y.Doc({ gc: true }), 0), host, log);
}

function writeParagraphs(doc: Y.Doc, lines: string[]): Y.XmlText[] {
  const texts = lines.map((l) => new Y.XmlText(l));
  doc.transact(() => {
    doc.getXmlFragment(NOTES_FRAGMENT).push(
      texts.map((t) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [t]);
        return p;
      }),
    );
  });
  return texts;
}

describe('SearchIndexer (real rooms, real SQLite)', () => {
  let dir: string;
  let db: Database.Database;
  let repo: SearchRepo;
  let writes: SessionWrites[][];
  let indexer: SearchIndexer;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-indexer-'));
    db = openDatabase(dir);
    repo = new SearchRepo(db);
    writes = [];
    const write = repo.write.bind(repo);
    repo.write = (sessions, now) => {
      writes.push(structuredClone([...sessions]));
      return write(sessions, now);
    };
    indexer = new SearchIndexer({ repo, log, eventOf: async () => 'eventaaaaaaaaaaa', load: async () => ({ snapshot: null, updates: [], lastSeq: 0 }), debounceMs: 10_000, maxWaitMs: 10_000 });
  });

  afterEach(() => {
    indexer.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A client replica of a room: its edits reach the room as updates from `conn`, as handleMessage applies them. */
  function client(r: Room, conn: Connection): Y.Doc {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(r.doc));
    doc.on('update', (u: Uint8Array) => Y.applyUpdate(r.doc, u, conn));
    return doc;
  }

  it('a keystroke in one session of many re-indexes that one block, in one pass, and nothing else', async () => {
    const rooms = ['sessionaaaaaaaaa', 'sessionbbbbbbbbb', 'sessionccccccccc'].map(room);
    const replicas = rooms.map((r) => client(r, new Connection(1, { send() {}, close() {}, isOpen: () => true }, 'edit', 'h', false)));
    const texts = replicas.map((d, i) => writeParagraphs(d, [`first line ${i}`, `second line ${i}`, `third line ${i}`]));
    for (const r of rooms) {
      await indexer.loaded(r);
      indexer.batchCommitted(r);
    }
    await indexer.flush();
    expect(writes).toHaveLength(1);
    expect(writes[0]!.map((s) => s.blocks.filter((b) => b.kind === 'insert').length)).toEqual([3, 3, 3]);

    writes.length = 0;
    texts[1]![1]!.insert(6, ' typed');
    indexer.batchCommitted(rooms[1]!);
    await indexer.flush();
    expect(writes).toHaveLength(1);
    expect(writes[0]!.map((s) => s.sessionId)).toEqual(['sessionbbbbbbbbb']);
    expect(writes[0]![0]!.blocks).toEqual([expect.objectContaining({ kind: 'text', text: 'second typed line 1' })]);
    expect(repo.matchBlocks('eventaaaaaaaaaaa', ['typed'], 10).map((r) => r.text)).toEqual(['second typed line 1']);
  });

  it('remembers which name typed with which client id, from the presence of the connection that brought the edit', async () => {
    const r = room('sessionaaaaaaaaa');
    await indexer.loaded(r);
    const conn = new Connection(1, { send() {}, close() {}, isOpen: () => true }, 'edit', 'h', false);
    const replica = client(r, conn);
    conn.awarenessIds.add(replica.clientID);
    r.awareness.states.set(replica.clientID, { user: { name: ' Ana ' } });
    writeParagraphs(replica, ['Ana typed this']);
    indexer.batchCommitted(r);
    await indexer.flush();
    expect(db.prepare('SELECT client_id, name FROM author_clients').all()).toEqual([{ client_id: replica.clientID, name: 'Ana' }]);
    expect(db.prepare('SELECT authors FROM search_blocks').get()).toEqual({ authors: JSON.stringify({ [replica.clientID]: 'Ana typed this'.length }) });
  });

  it('on unload, what is left is indexed and the document sequence it covers is recorded', async () => {
    const r = room('sessionaaaaaaaaa');
    await indexer.loaded(r);
    writeParagraphs(r.doc, ['server wrote this']);
    r.lastSeq = 7;
    await indexer.unloaded(r);
    expect(repo.indexedSeq('sessionaaaaaaaaa')).toBe(7);
    expect(repo.matchBlocks('eventaaaaaaaaaaa', ['server'], 10)).toHaveLength(1);
    // A room loaded again at the same sequence number starts from the index it left.
    writes.length = 0;
    const copy = new Y.Doc({ gc: true });
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(r.doc));
    const again = new Room('sessionaaaaaaaaa', loaded(copy, 7), host, log);
    await indexer.loaded(again);
    await indexer.flush();
    expect(writes).toEqual([]);
  });
});
