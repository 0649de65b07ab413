import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Room } from '../collab/room.js';
import type { BatchAuthor } from '../collab/roomExtension.js';
import { createLogger } from '../logger.js';
import { ContributorRepo } from '../storage/contributorRepo.js';
import { openDatabase } from '../storage/database.js';
import { NoteTakers } from './noteTakers.js';

const host = { scheduleCommit: () => {}, fault: () => {}, updateReceived: () => {}, batchTaken: () => ({}), batchCommitted: () => {}, presenceChanged: () => {}, idle: () => {} };
const room = (docId: string) => new Room(docId, { doc: new Y.Doc(), lastSeq: 0, updatesSinceSnapshot: 0, damage: null, skippedParts: 0 }, host, createLogger('silent'));
const author = (connectionId: number, name: string | null): BatchAuthor => ({ connectionId, name, clientIds: [connectionId] });
const batch = (authors: BatchAuthor[]) => ({ update: new Uint8Array([0, 0]), seq: 1, authors });

describe('NoteTakers over real SQLite: each name written once a minute per session', () => {
  let dir: string;
  let db: Database.Database;
  let repo: ContributorRepo;
  let writes: { sessionId: string; names: readonly string[] }[];
  let now: number;
  let takers: NoteTakers;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-notetakers-'));
    db = openDatabase(dir);
    repo = new ContributorRepo(db);
    writes = [];
    now = Date.parse('2016-04-25T12:00:00Z');
    takers = new NoteTakers({
      now: () => now,
      add: (sessionId, names, at) => {
        writes.push({ sessionId, names });
        return repo.add(sessionId, names, at);
      },
    });
  });

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes new names once, in the order they came, skips nameless writers, and writes a known name again after a minute', async () => {
    const a = room('sessaaaaaaaaaaaa');
    const b = room('sessbbbbbbbbbbbb');
    await takers.batchCommitted(a, batch([author(1, 'Ren'), author(2, null), author(3, 'Ana'), author(4, 'Ren')]));
    await takers.batchCommitted(a, batch([author(1, 'Ren'), author(3, 'Ana')]));
    await takers.batchCommitted(b, batch([author(5, 'Ren')]));
    now += 59_999;
    await takers.batchCommitted(a, batch([author(1, 'Ren'), author(6, 'はな')]));
    now += 1;
    await takers.batchCommitted(a, batch([author(1, 'Ren'), author(3, 'Ana'), author(6, 'はな')]));
    expect(writes).toEqual([
      { sessionId: 'sessaaaaaaaaaaaa', names: ['Ren', 'Ana'] },
      { sessionId: 'sessbbbbbbbbbbbb', names: ['Ren'] },
      { sessionId: 'sessaaaaaaaaaaaa', names: ['はな'] },
      { sessionId: 'sessaaaaaaaaaaaa', names: ['Ren', 'Ana'] },
    ]);
    expect((await repo.list('sessaaaaaaaaaaaa')).sort()).toEqual(['Ana', 'Ren', 'はな']);
    expect(await repo.list('sessbbbbbbbbbbbb')).toEqual(['Ren']);
  });
});
