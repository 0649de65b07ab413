import { describe, expect, it } from 'vitest';
import { feedUid, planImport, type ExistingSession } from './planImport.js';
import type { ImportedSession } from './types.js';

const imported = (title: string, startsAt: string | null, extra: Partial<ImportedSession> = {}): ImportedSession => ({
  uid: null, title, startsAt, endsAt: null, rooms: [], track: null, moderators: [], tags: [], description: null, ...extra,
});
const existing = (id: string, s: ImportedSession, hasNotes = false): ExistingSession => ({ id, ...s, hasNotes });

describe('planImport', () => {
  it('matches by UID first, even when title and time changed', () => {
    const before = existing('s1', imported('Old title', '2016-04-25T16:15:00.000Z', { uid: 'u1' }));
    const plan = planImport([before], [imported('New title', '2016-04-25T17:15:00.000Z', { uid: 'u1' })]);
    expect(plan.update).toEqual([expect.objectContaining({ id: 's1', changes: ['title', 'startsAt'] })]);
    expect(plan.create).toEqual([]);
  });

  it('matches by title + start (ignoring case and spacing), else by a unique title so a moved session keeps its notes', () => {
    const a = existing('a', imported('HA for VMs', '2016-04-25T19:50:00.000Z'), true);
    const b = existing('b', imported('Ceph & Storage', '2016-04-25T20:40:00.000Z'));
    const plan = planImport([a, b], [imported('ha  for vms', '2016-04-25T19:50:00.000Z'), imported('Ceph & Storage', '2016-04-26T20:40:00.000Z')]);
    expect(plan.update.map((u) => [u.id, u.changes])).toEqual([['a', ['title']], ['b', ['startsAt']]]);
  });

  it('is idempotent: the same file twice gives only unchanged, also for rows that share title and start', () => {
    const rows = [imported('Lunch', '2016-04-25T17:00:00.000Z', { rooms: ['A'] }), imported('Lunch', '2016-04-25T17:00:00.000Z', { rooms: ['B'] })];
    const after = rows.map((r, i) => existing(`s${i}`, r));
    const plan = planImport(after, rows);
    expect(plan).toEqual({ create: [], update: [], unchanged: [{ id: 's0', title: 'Lunch' }, { id: 's1', title: 'Lunch' }], missing: [] });
  });

  it('matches parallel sessions that share a title and start by their rooms, whatever the order of the rows', () => {
    const at = '2026-12-10T11:00:00.000Z';
    const a = existing('a', imported('Lightning talks', at, { rooms: ['Room A'] }), true);
    const b = existing('b', imported('Lightning talks', at, { rooms: ['Room B'] }), true);
    // The same schedule with the rows swapped: nothing changes.
    const swapped = planImport([a, b], [imported('Lightning talks', at, { rooms: ['Room B'] }), imported('Lightning talks', at, { rooms: ['Room A'] })]);
    expect(swapped).toEqual({ create: [], update: [], unchanged: [{ id: 'b', title: 'Lightning talks' }, { id: 'a', title: 'Lightning talks' }], missing: [] });
    // Titles and rooms compare without case or spacing.
    const respelled = planImport([a, b], [imported('Lightning talks', at, { rooms: ['Room B'] }), imported('lightning  talks', at, { rooms: ['room a'] })]);
    expect(respelled.update.map((u) => [u.id, u.changes])).toEqual([['a', ['title', 'rooms']]]);
    // Room B renamed to Room C, listed first: Room A still keeps its own session, the renamed row takes the other.
    const renamed = planImport([a, b], [imported('Lightning talks', at, { rooms: ['Room C'] }), imported('Lightning talks', at, { rooms: ['Room A'] })]);
    expect(renamed.unchanged).toEqual([{ id: 'a', title: 'Lightning talks' }]);
    expect(renamed.update.map((u) => [u.id, u.index, u.changes])).toEqual([['b', 0, ['rooms']]]);
    // A room added to one of them: the session that shares a room is the one updated.
    const grown = planImport([a, b], [imported('Lightning talks', at, { rooms: ['Room X'] }), imported('Lightning talks', at, { rooms: ['Room B', 'Room B2'] })]);
    expect(grown.update.map((u) => [u.id, u.index])).toEqual([['a', 0], ['b', 1]]);
    // Rooms compare as a set: the same rooms in another order are the same session.
    const multi = existing('m', imported('Plenary', at, { rooms: ['Hall 1', 'Hall 2'] }));
    const other = existing('o', imported('Plenary', at, { rooms: ['Hall 3'] }));
    expect(planImport([other, multi], [imported('Plenary', at, { rooms: ['Hall 2', 'Hall 1'] }), imported('Plenary', at, { rooms: ['Hall 3'] })]).update.map((u) => [u.id, u.changes])).toEqual([['m', ['rooms']]]);
  });

  it('a UID match is never taken by an earlier row that only shares the title and start', () => {
    const at = '2026-12-10T11:00:00.000Z';
    const x = existing('x', imported('Lunch', at, { uid: 'ux', rooms: ['A'] }));
    const y = existing('y', imported('Lunch', at, { uid: 'uy', rooms: ['A'] }));
    const plan = planImport([x, y], [imported('Lunch', at, { rooms: ['A'] }), imported('Lunch', at, { uid: 'ux', rooms: ['A'] })]);
    expect(plan.unchanged).toEqual([{ id: 'y', title: 'Lunch' }, { id: 'x', title: 'Lunch' }]);
  });

  it('never plans a deletion: sessions not in the file are reported as missing, with whether they have notes', () => {
    const kept = existing('k', imported('Only in the event', null), true);
    const plan = planImport([kept], [imported('New one', null)]);
    expect(plan.missing).toEqual([{ id: 'k', title: 'Only in the event', hasNotes: true }]);
    expect(plan.create.map((c) => c.session.title)).toEqual(['New one']);
  });

  it('does not overwrite a description or track the file does not carry', () => {
    const e = existing('e', imported('Keep', '2016-04-25T17:00:00.000Z', { description: 'typed by a moderator', track: 'Ops' }));
    expect(planImport([e], [imported('Keep', '2016-04-25T17:00:00.000Z')]).unchanged).toHaveLength(1);
  });

  it('compares rooms as a list: a second room is a change, the same rooms are not', () => {
    const e = existing('e', imported('Plenary', '2016-04-25T17:00:00.000Z', { rooms: ['Salon A', 'Salon B'] }));
    expect(planImport([e], [imported('Plenary', '2016-04-25T17:00:00.000Z', { rooms: ['Salon A', 'Salon B'] })]).unchanged).toHaveLength(1);
    expect(planImport([e], [imported('Plenary', '2016-04-25T17:00:00.000Z', { rooms: ['Salon A', 'Salon B', 'Salon C'] })]).update[0]!.changes).toEqual(['rooms']);
  });

  it('matches the UID of Roundtable\'s own feed to the session it came from, without storing it', () => {
    const e = existing('abcdefghijklmnop', imported('Fleet Management', '2016-04-25T17:00:00.000Z'));
    const plan = planImport([e], [imported('Fleet Management (moved)', '2016-04-25T18:00:00.000Z', { uid: feedUid('abcdefghijklmnop') })]);
    expect(plan.update).toEqual([expect.objectContaining({ id: 'abcdefghijklmnop', changes: ['title', 'startsAt'] })]);
    expect(plan.update[0]!.after.uid).toBeNull();
  });
});
