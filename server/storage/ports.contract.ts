import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Role } from '../../shared/roles.js';
import type { SessionFields } from '../../shared/sessionFields.js';
import type { ActionItemUpsert, NewToken, StoragePorts } from './ports.js';

/** One store under test: fresh and empty for every test, closed after it. */
export interface OpenedPorts {
  ports: StoragePorts;
  close(): Promise<void> | void;
}

const T0 = '2026-04-25T09:00:00.000Z';
const T1 = '2026-04-25T10:00:00.000Z';
const T2 = '2026-04-25T11:00:00.000Z';
const EVENT = 'eventaaaaaaaaaaa';
const OTHER_EVENT = 'eventbbbbbbbbbbb';

function fields(title: string, extra: Partial<SessionFields> = {}): SessionFields {
  return { title, startsAt: null, endsAt: null, rooms: [], track: null, moderators: [], tags: [], description: null, uid: null, ...extra };
}

function tokensFor(eventId: string, suffix = ''): NewToken[] {
  return (['edit', 'view', 'moderate'] as Role[]).map((role) => ({ role, token: `tok-${eventId}-${role}${suffix}`, hash: `hash-${eventId}-${role}${suffix}` }));
}

function seedOf(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('seed').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

function item(id: string, sessionId: string, extra: Partial<ActionItemUpsert> = {}): ActionItemUpsert {
  return { id, eventId: EVENT, sessionId, text: `item ${id}`, owners: [], due: null, tags: [], status: 'open', source: 'marker', position: '0001', ...extra };
}

/**
 * The behaviour every implementation of the storage ports shows, run against
 * a fresh store per test. SQLite runs it in `sqlitePorts.test.ts`; another
 * implementation (PostgreSQL) calls it the same way:
 *
 * @example
 * describeStoragePorts('PostgreSQL', async () => {
 *   const ports = await openPostgresPorts(await freshDatabase());
 *   return { ports, close: () => ports.end() };
 * });
 */
export function describeStoragePorts(name: string, open: () => Promise<OpenedPorts>): void {
  describe(`storage ports: ${name}`, () => {
    let opened: OpenedPorts;
    let s: StoragePorts;

    beforeEach(async () => {
      opened = await open();
      s = opened.ports;
    });
    afterEach(async () => {
      await opened.close();
    });

    async function withEvent(id = EVENT, slug = 'ops-meetup'): Promise<void> {
      await s.events.create({ id, slug, title: `Event ${slug}`, timezone: 'Asia/Tokyo', language: 'ja' }, tokensFor(id), T0);
    }

    async function withSessions(eventId: string, ...sessions: [string, SessionFields][]): Promise<void> {
      await s.sessions.createWithNotes(eventId, sessions.map(([id, f]) => ({ id, fields: f, seed: seedOf(f.title) })), [], T0);
    }

    describe('events and tokens', () => {
      it('creates an event with its tokens, found by id and by slug', async () => {
        expect(await s.events.hasAny()).toBe(false);
        await withEvent();
        expect(await s.events.hasAny()).toBe(true);
        const byId = await s.events.find(EVENT);
        expect(byId).toMatchObject({ id: EVENT, slug: 'ops-meetup', title: 'Event ops-meetup', timezone: 'Asia/Tokyo', language: 'ja', template: null, created_at: T0, updated_at: T0 });
        expect(await s.events.find('ops-meetup')).toEqual(byId);
        expect(await s.events.find('nothing-here')).toBeUndefined();
        expect(await s.events.isSlugTaken('ops-meetup')).toBe(true);
        expect(await s.events.isSlugTaken('other')).toBe(false);
        expect(await s.tokens.resolve(`hash-${EVENT}-edit`)).toEqual({ eventId: EVENT, role: 'edit', hash: `hash-${EVENT}-edit` });
        expect(await s.tokens.resolve('hash-unknown')).toBeUndefined();
        expect(await s.tokens.activeTokens(EVENT)).toEqual({ edit: `tok-${EVENT}-edit`, view: `tok-${EVENT}-view`, moderate: `tok-${EVENT}-moderate` });
      });

      it('creates an event as a whole or not at all: a taken slug leaves none of its tokens', async () => {
        await withEvent();
        await expect(s.events.create({ id: OTHER_EVENT, slug: 'ops-meetup', title: 'Clash', timezone: 'UTC', language: 'en' }, tokensFor(OTHER_EVENT), T1)).rejects.toThrow();
        expect(await s.events.find(OTHER_EVENT)).toBeUndefined();
        expect(await s.tokens.resolve(`hash-${OTHER_EVENT}-edit`)).toBeUndefined();
        expect(await s.tokens.activeTokens(OTHER_EVENT)).toEqual({});
      });

      it('updates an event and moves its sessions in one unit; sets and clears the template', async () => {
        await withEvent();
        await withSessions(EVENT, ['sessaaaaaaaaaaaa', fields('Keynote', { startsAt: '2026-04-25T00:00:00.000Z' })]);
        const moved = fields('Keynote', { startsAt: '2026-04-25T09:00:00.000Z', endsAt: '2026-04-25T10:00:00.000Z' });
        await s.events.update(EVENT, { title: 'Renamed', timezone: 'UTC', language: 'en' }, [{ id: 'sessaaaaaaaaaaaa', fields: moved }], T1);
        expect(await s.events.find(EVENT)).toMatchObject({ title: 'Renamed', timezone: 'UTC', language: 'en', updated_at: T1 });
        expect(await s.sessions.find('sessaaaaaaaaaaaa')).toMatchObject({ starts_at: moved.startsAt, ends_at: moved.endsAt, updated_at: T1 });

        await s.events.setTemplate(EVENT, '{"type":"doc"}', T2);
        expect((await s.events.find(EVENT))?.template).toBe('{"type":"doc"}');
        await s.events.setTemplate(EVENT, null, T2);
        expect((await s.events.find(EVENT))?.template).toBeNull();
      });

      it('rotates a role: the old token stops resolving, the new one does, other roles stay', async () => {
        await withEvent();
        const revoked = await s.tokens.rotate(EVENT, 'view', { token: 'tok-new-view', hash: 'hash-new-view' }, T1);
        expect(revoked).toEqual([`hash-${EVENT}-view`]);
        expect(await s.tokens.resolve(`hash-${EVENT}-view`)).toBeUndefined();
        expect(await s.tokens.resolve('hash-new-view')).toEqual({ eventId: EVENT, role: 'view', hash: 'hash-new-view' });
        expect(await s.tokens.activeTokens(EVENT)).toEqual({ edit: `tok-${EVENT}-edit`, view: 'tok-new-view', moderate: `tok-${EVENT}-moderate` });
      });
    });

    describe('sessions and their notes', () => {
      it('creates sessions with their seeded notes, lists them in schedule order, unscheduled last', async () => {
        await withEvent();
        await withEvent(OTHER_EVENT, 'elsewhere');
        const seed = seedOf('the template');
        await s.sessions.createWithNotes(
          EVENT,
          [
            { id: 'sessbbbbbbbbbbbb', fields: fields('Later', { startsAt: '2026-04-25T05:00:00.000Z', rooms: ['Salon B'], moderators: ['Dana'], tags: ['nfv'] }), seed },
            { id: 'sessaaaaaaaaaaaa', fields: fields('Unscheduled'), seed },
            { id: 'sessccccccccccc2', fields: fields('Earlier', { startsAt: '2026-04-25T01:00:00.000Z', uid: 'ics-1' }), seed },
          ],
          [],
          T0,
        );
        await withSessions(OTHER_EVENT, ['sessdddddddddddd', fields('Elsewhere')]);
        expect((await s.sessions.listByEvent(EVENT)).map((r) => r.title)).toEqual(['Earlier', 'Later', 'Unscheduled']);
        const later = await s.sessions.find('sessbbbbbbbbbbbb');
        expect(later).toMatchObject({ event_id: EVENT, rooms: '["Salon B"]', moderators: '["Dana"]', tags: '["nfv"]', locked: 0, state: 'scheduled', now_discussing: null, created_at: T0 });
        // A seed is not somebody writing notes.
        expect(later?.notes_updated_at).toBeNull();
        const stored = await s.docs.load('sessbbbbbbbbbbbb');
        expect(stored.snapshot).toBeNull();
        expect(stored.updates).toEqual([seed]);
        expect(stored.lastSeq).toBeGreaterThan(0);
        expect((await s.sessions.find('sessccccccccccc2'))?.uid).toBe('ics-1');
      });

      it('creates and updates sessions as a whole or not at all: a failure in the middle leaves no session and no seed', async () => {
        await withEvent();
        await withSessions(EVENT, ['sessaaaaaaaaaaaa', fields('Existing')]);
        const seed = seedOf('x');
        const attempt = s.sessions.createWithNotes(
          EVENT,
          [
            { id: 'sessbbbbbbbbbbbb', fields: fields('New one'), seed },
            // Collides with the session just created in this unit.
            { id: 'sessbbbbbbbbbbbb', fields: fields('New two'), seed },
          ],
          [{ id: 'sessaaaaaaaaaaaa', fields: fields('Renamed') }],
          T1,
        );
        await expect(attempt).rejects.toThrow();
        expect(await s.sessions.find('sessbbbbbbbbbbbb')).toBeUndefined();
        expect((await s.docs.load('sessbbbbbbbbbbbb')).updates).toEqual([]);
        expect((await s.sessions.find('sessaaaaaaaaaaaa'))?.title).toBe('Existing');
      });

      it('writes fields and controls together', async () => {
        await withEvent();
        await withSessions(EVENT, ['sessaaaaaaaaaaaa', fields('Before')]);
        await s.sessions.update('sessaaaaaaaaaaaa', fields('After', { track: 'Ops', description: 'long' }), { locked: true, state: 'live', nowDiscussing: 'Quotas' }, T1);
        expect(await s.sessions.find('sessaaaaaaaaaaaa')).toMatchObject({ title: 'After', track: 'Ops', description: 'long', locked: 1, state: 'live', now_discussing: 'Quotas', updated_at: T1 });
      });

      it('deletes softly, keeping the notes, and undeletes once', async () => {
        await withEvent();
        await withSessions(EVENT, ['sessaaaaaaaaaaaa', fields('Gone for a while')]);
        await s.sessions.delete('sessaaaaaaaaaaaa', T1);
        expect(await s.sessions.find('sessaaaaaaaaaaaa')).toBeUndefined();
        expect(await s.sessions.listByEvent(EVENT)).toEqual([]);
        expect((await s.sessions.findDeleted('sessaaaaaaaaaaaa'))?.deleted_at).toBe(T1);
        expect((await s.docs.load('sessaaaaaaaaaaaa')).updates).toHaveLength(1);
        expect(await s.sessions.undelete('sessaaaaaaaaaaaa', T2)).toBe(true);
        expect(await s.sessions.undelete('sessaaaaaaaaaaaa', T2)).toBe(false);
        expect(await s.sessions.findDeleted('sessaaaaaaaaaaaa')).toBeUndefined();
        expect((await s.sessions.find('sessaaaaaaaaaaaa'))?.updated_at).toBe(T2);
      });

      it('records note-takers once each, first contributor first', async () => {
        await withEvent();
        await withSessions(EVENT, ['sessaaaaaaaaaaaa', fields('Notes')]);
        await s.contributors.add('sessaaaaaaaaaaaa', ['Ren', 'はな'], T1);
        await s.contributors.add('sessaaaaaaaaaaaa', ['Ana', 'Ren'], T2);
        expect(await s.contributors.list('sessaaaaaaaaaaaa')).toEqual(['Ren', 'はな', 'Ana']);
        expect(await s.contributors.list('sessbbbbbbbbbbbb')).toEqual([]);
      });
    });

    describe('action items', () => {
      beforeEach(async () => {
        await withEvent();
        await withSessions(
          EVENT,
          ['sessaaaaaaaaaaaa', fields('First', { startsAt: '2026-04-25T01:00:00.000Z' })],
          ['sessbbbbbbbbbbbb', fields('Second', { startsAt: '2026-04-25T02:00:00.000Z' })],
        );
      });

      it('upserts, moves and removes in one apply; lists a session in document order', async () => {
        await s.actionItems.apply([item('itemaaaaaaaaaaaa', 'sessaaaaaaaaaaaa', { position: '0002' }), item('itembbbbbbbbbbbb', 'sessaaaaaaaaaaaa', { position: '0001', owners: ['Dana'], tags: ['nfv'], due: '2026-05-01' })], [], T0);
        expect((await s.actionItems.listBySession('sessaaaaaaaaaaaa')).map((r) => r.id)).toEqual(['itembbbbbbbbbbbb', 'itemaaaaaaaaaaaa']);
        expect(await s.actionItems.find('itembbbbbbbbbbbb')).toMatchObject({ event_id: EVENT, session_id: 'sessaaaaaaaaaaaa', owners: '["Dana"]', tags: '["nfv"]', due: '2026-05-01', status: 'open', linked_id: null, first_seen_at: T0, removed_at: null });

        await s.actionItems.apply([item('itemaaaaaaaaaaaa', 'sessaaaaaaaaaaaa', { text: 'edited', position: '0002' })], ['itembbbbbbbbbbbb'], T1, [{ id: 'itemaaaaaaaaaaaa', position: '0000' }]);
        expect(await s.actionItems.find('itembbbbbbbbbbbb')).toBeUndefined();
        const edited = await s.actionItems.find('itemaaaaaaaaaaaa');
        expect(edited).toMatchObject({ text: 'edited', position: '0000', first_seen_at: T0, updated_at: T1 });
        // Removed, but still known to have been indexed in its session (a pasted copy elsewhere gets a new id).
        expect(await s.actionItems.sessionsOf(['itembbbbbbbbbbbb', 'itemaaaaaaaaaaaa', 'itemnevereverrrr'])).toEqual(
          new Map([
            ['itembbbbbbbbbbbb', 'sessaaaaaaaaaaaa'],
            ['itemaaaaaaaaaaaa', 'sessaaaaaaaaaaaa'],
          ]),
        );
        // Upserting a removed item brings it back.
        await s.actionItems.apply([item('itembbbbbbbbbbbb', 'sessaaaaaaaaaaaa')], [], T2);
        expect((await s.actionItems.find('itembbbbbbbbbbbb'))?.removed_at).toBeNull();
      });

      it('lists an event in schedule order, filtered by status, owner, tag, session and overdue; deleted sessions drop out', async () => {
        await s.actionItems.apply(
          [
            item('itemcccccccccccc', 'sessbbbbbbbbbbbb', { owners: ['@dana.smith'], tags: ['nfv'], due: '2026-04-01' }),
            item('itemaaaaaaaaaaaa', 'sessaaaaaaaaaaaa', { status: 'done', due: '2026-04-01' }),
            item('itembbbbbbbbbbbb', 'sessaaaaaaaaaaaa', { position: '0002', owners: ['Ren'], due: '2026-06-01' }),
          ],
          [],
          T0,
        );
        const ids = async (f?: Parameters<StoragePorts['actionItems']['listByEvent']>[1]) => (await s.actionItems.listByEvent(EVENT, f)).map((r) => r.id);
        expect(await ids()).toEqual(['itemaaaaaaaaaaaa', 'itembbbbbbbbbbbb', 'itemcccccccccccc']);
        expect(await ids({ status: 'open' })).toEqual(['itembbbbbbbbbbbb', 'itemcccccccccccc']);
        expect(await ids({ owner: 'Dana Smith' })).toEqual(['itemcccccccccccc']);
        expect(await ids({ tag: '##NFV' })).toEqual(['itemcccccccccccc']);
        // A session's own tags are its working groups: every item of a session named by tagSessionIds matches.
        expect(await ids({ tag: 'nfv', tagSessionIds: ['sessaaaaaaaaaaaa'] })).toEqual(['itemaaaaaaaaaaaa', 'itembbbbbbbbbbbb', 'itemcccccccccccc']);
        expect(await ids({ tag: 'ops', tagSessionIds: ['sessaaaaaaaaaaaa'] })).toEqual(['itemaaaaaaaaaaaa', 'itembbbbbbbbbbbb']);
        expect(await ids({ sessionId: 'sessaaaaaaaaaaaa' })).toEqual(['itemaaaaaaaaaaaa', 'itembbbbbbbbbbbb']);
        expect(await ids({ overdueOn: '2026-05-01' })).toEqual(['itemcccccccccccc']);
        await s.sessions.delete('sessbbbbbbbbbbbb', T1);
        expect(await ids()).toEqual(['itemaaaaaaaaaaaa', 'itembbbbbbbbbbbb']);
      });

      it('sets a status; links carried-forward copies into one group (A → B → C)', async () => {
        await s.actionItems.apply([item('itemaaaaaaaaaaaa', 'sessaaaaaaaaaaaa'), item('itembbbbbbbbbbbb', 'sessbbbbbbbbbbbb'), item('itemcccccccccccc', 'sessbbbbbbbbbbbb', { position: '0002' })], [], T0);
        await s.actionItems.setStatus('itemaaaaaaaaaaaa', 'done', T1);
        expect(await s.actionItems.find('itemaaaaaaaaaaaa')).toMatchObject({ status: 'done', updated_at: T1 });

        await s.actionItems.link('itembbbbbbbbbbbb', 'itemaaaaaaaaaaaa');
        await s.actionItems.link('itemcccccccccccc', 'itembbbbbbbbbbbb');
        const linked = async (id: string) => (await s.actionItems.linkedTo((await s.actionItems.find(id))!)).map((r) => r.id).sort();
        expect(await linked('itemaaaaaaaaaaaa')).toEqual(['itembbbbbbbbbbbb', 'itemcccccccccccc']);
        expect(await linked('itemcccccccccccc')).toEqual(['itemaaaaaaaaaaaa', 'itembbbbbbbbbbbb']);
        await s.actionItems.apply([], ['itembbbbbbbbbbbb'], T2);
        expect(await linked('itemaaaaaaaaaaaa')).toEqual(['itemcccccccccccc']);
      });
    });

    describe('join codes', () => {
      const code = (c: string, expiresAt: string, extra: { role?: 'edit' | 'view'; tokenHash?: string } = {}) => ({
        code: c,
        eventId: EVENT,
        sessionId: 'sessaaaaaaaaaaaa',
        role: extra.role ?? 'view',
        tokenHash: extra.tokenHash ?? `hash-${EVENT}-view`,
        now: T0,
        expiresAt,
      });

      beforeEach(async () => {
        await withEvent();
        await withSessions(EVENT, ['sessaaaaaaaaaaaa', fields('Joinable')]);
      });

      it('resolves a live code to the session and the link’s current token; not once expired', async () => {
        await s.joinCodes.insert(code('ABCDEF', T2));
        expect(await s.joinCodes.resolve('ABCDEF', T1)).toEqual({ eventSlug: 'ops-meetup', sessionId: 'sessaaaaaaaaaaaa', role: 'view', token: `tok-${EVENT}-view` });
        expect(await s.joinCodes.resolve('ABCDEF', T2)).toBeUndefined();
        expect(await s.joinCodes.resolve('ZZZZZZ', T1)).toBeUndefined();
        await expect(s.joinCodes.insert(code('ABCDEF', T2))).rejects.toThrow();
      });

      it('reuses the code that stays valid longest; purges expired codes', async () => {
        await s.joinCodes.insert(code('SHORTX', T1));
        await s.joinCodes.insert(code('LONGER', '2026-04-26T00:00:00.000Z'));
        await s.joinCodes.insert(code('EDITXX', '2026-04-27T00:00:00.000Z', { role: 'edit', tokenHash: `hash-${EVENT}-edit` }));
        expect(await s.joinCodes.reusable('sessaaaaaaaaaaaa', 'view', `hash-${EVENT}-view`, T2)).toEqual({ code: 'LONGER', expiresAt: '2026-04-26T00:00:00.000Z' });
        expect(await s.joinCodes.reusable('sessaaaaaaaaaaaa', 'view', `hash-${EVENT}-view`, '2026-04-26T00:00:00.000Z')).toBeUndefined();
        await s.joinCodes.purgeExpired(T2);
        // Purged: the code is free to be issued again.
        await s.joinCodes.insert(code('SHORTX', '2026-04-28T00:00:00.000Z'));
        expect(await s.joinCodes.resolve('SHORTX', T2)).toMatchObject({ sessionId: 'sessaaaaaaaaaaaa' });
      });

      it('dies with its link (rotated) and with its session (deleted)', async () => {
        await s.joinCodes.insert(code('VIEWXX', '2026-04-28T00:00:00.000Z'));
        await s.joinCodes.insert(code('EDITXX', '2026-04-28T00:00:00.000Z', { role: 'edit', tokenHash: `hash-${EVENT}-edit` }));
        await s.tokens.rotate(EVENT, 'view', { token: 'tok-new-view', hash: 'hash-new-view' }, T1);
        expect(await s.joinCodes.resolve('VIEWXX', T1)).toBeUndefined();
        expect(await s.joinCodes.resolve('EDITXX', T1)).toMatchObject({ role: 'edit', token: `tok-${EVENT}-edit` });
        await s.sessions.delete('sessaaaaaaaaaaaa', T1);
        expect(await s.joinCodes.resolve('EDITXX', T1)).toBeUndefined();
      });
    });
  });
}
