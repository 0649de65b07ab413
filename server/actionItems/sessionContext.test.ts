import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContributorRepo } from '../storage/contributorRepo.js';
import { openDatabase } from '../storage/database.js';
import { EventRepo } from '../storage/eventRepo.js';
import { SessionRepo, type SessionFields } from '../storage/sessionRepo.js';
import { SessionContexts } from './sessionContext.js';

const NOW = '2016-04-25T12:00:00.000Z';
const EVENT = 'eventaaaaaaaaaaa';
const SESSION = 'sessaaaaaaaaaaaa';
const OPEN = { locked: false, state: 'scheduled', nowDiscussing: null } as const;

function fields(extra: Partial<SessionFields> = {}): SessionFields {
  return { title: 'Upgrades', startsAt: '2016-04-25T16:00:00Z', endsAt: null, rooms: [], track: null, moderators: ['Dana'], tags: [], description: null, uid: null, ...extra };
}

describe('SessionContexts over real SQLite: cached until what they are read from changes', () => {
  let dir: string;
  let db: Database.Database;
  let sessions: SessionRepo;
  let contributors: ContributorRepo;
  let events: EventRepo;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-context-'));
    db = openDatabase(dir);
    sessions = new SessionRepo(db);
    contributors = new ContributorRepo(db);
    events = new EventRepo(db);
    await events.create({ id: EVENT, slug: 'ops', title: 'Ops', timezone: 'Asia/Tokyo', language: 'en' }, [], NOW);
    await sessions.createWithNotes(EVENT, [{ id: SESSION, fields: fields(), seed: new Uint8Array([0, 0]) }], [], NOW);
  });

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a session once, and again after its event is announced as changed', async () => {
    const contexts = new SessionContexts({ events, sessions, contributors });
    const first = await contexts.of(SESSION);
    expect(first).toEqual({ eventId: EVENT, sessionDate: '2016-04-26', knownNames: ['Dana'] });
    await sessions.update(SESSION, fields({ moderators: ['Eli'], startsAt: '2016-05-01T01:00:00Z' }), OPEN, NOW);
    // Nobody announced the change: the cached context is the same object, no read happened.
    expect(await contexts.of(SESSION)).toBe(first);
    contexts.eventChanged('eventbbbbbbbbbbb');
    expect(await contexts.of(SESSION)).toBe(first);
    contexts.eventChanged(EVENT);
    expect(await contexts.of(SESSION)).toEqual({ eventId: EVENT, sessionDate: '2016-05-01', knownNames: ['Eli'] });
  });

  it('reads the note-takers again after this process recorded some', async () => {
    const contexts = new SessionContexts({ events, sessions, contributors });
    expect((await contexts.of(SESSION))?.knownNames).toEqual(['Dana']);
    await contributors.add(SESSION, ['Carla'], NOW);
    contexts.contributorsChanged(SESSION);
    expect((await contexts.of(SESSION))?.knownNames).toEqual(['Dana', 'Carla']);
  });

  it('with note-takers recorded by other processes too, reads them on every call', async () => {
    const contexts = new SessionContexts({ events, sessions, contributors, sharedContributors: true });
    expect((await contexts.of(SESSION))?.knownNames).toEqual(['Dana']);
    await contributors.add(SESSION, ['Carla'], NOW);
    expect((await contexts.of(SESSION))?.knownNames).toEqual(['Dana', 'Carla']);
  });

  it('never caches a missing session: one created later is found', async () => {
    const contexts = new SessionContexts({ events, sessions, contributors });
    expect(await contexts.of('sessbbbbbbbbbbbb')).toBeNull();
    await sessions.createWithNotes(EVENT, [{ id: 'sessbbbbbbbbbbbb', fields: fields(), seed: new Uint8Array([0, 0]) }], [], NOW);
    expect((await contexts.of('sessbbbbbbbbbbbb'))?.eventId).toBe(EVENT);
  });

  it('a deleted session has no context once its event is announced as changed', async () => {
    const contexts = new SessionContexts({ events, sessions, contributors });
    expect(await contexts.of(SESSION)).not.toBeNull();
    await sessions.delete(SESSION, NOW);
    contexts.eventChanged(EVENT);
    expect(await contexts.of(SESSION)).toBeNull();
  });
});
