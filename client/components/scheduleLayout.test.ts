import { describe, expect, it } from 'vitest';
import { layoutDay, roomOrder } from './scheduleLayout.js';

let n = 0;
const s = (rooms: string[], start: string | null = '2025-11-22T09:00:00Z', end: string | null = '2025-11-22T10:00:00Z') => ({ id: `s${n++}`, rooms, startsAt: start, endsAt: end });

describe('roomOrder', () => {
  it('sorts rooms naturally when nothing spans', () => {
    expect(roomOrder([s(['Room 10']), s(['Room 2']), s(['Room 1'])])).toEqual(['Room 1', 'Room 2', 'Room 10']);
  });

  it('moves the rooms of a multi-room session next to each other', () => {
    expect(roomOrder([s(['A']), s(['B']), s(['C']), s(['A', 'C'])])).toEqual(['A', 'C', 'B']);
  });

  it('keeps a larger group together rather than a smaller one that conflicts with it', () => {
    // A+B+C and C+E can both hold (A B C E D); A+D cannot any more without splitting A+B+C.
    const order = roomOrder([s(['A', 'B', 'C']), s(['C', 'E']), s(['A', 'D']), s(['D'])]);
    expect(order).toEqual(['A', 'B', 'C', 'E', 'D']);
  });
});

describe('layoutDay', () => {
  it('spans adjacent rooms, shows non-adjacent ones in each room with a marker, and a plenary across every room', () => {
    const ab = s(['A', 'B']);
    const ac = s(['A', 'C'], '2025-11-22T11:00:00Z', '2025-11-22T12:00:00Z');
    const b = s(['B'], '2025-11-22T11:00:00Z', '2025-11-22T12:00:00Z');
    const plenary = s([], '2025-11-22T08:00:00Z', '2025-11-22T08:30:00Z');
    const layout = layoutDay([ab, ac, b, plenary], ['A', 'B', 'C']);
    expect(layout.columns).toEqual(['A', 'B', 'C']);
    const place = (id: string) => layout.placements.filter((p) => p.session.id === id).map((p) => [p.column, p.span, p.duplicate, p.alsoIn]);
    expect(place(ab.id)).toEqual([[0, 2, false, []]]);
    expect(place(ac.id)).toEqual([[0, 1, false, ['C']], [2, 1, true, ['A']]]);
    expect(place(plenary.id)).toEqual([[0, 3, false, []]]);
  });

  it('puts a session without a room in its own column when it runs alongside others, instead of covering them', () => {
    const a = s(['A']);
    const handAdded = s([], '2025-11-22T09:30:00Z', '2025-11-22T10:30:00Z');
    const layout = layoutDay([a, handAdded], ['A']);
    expect(layout.columns).toEqual(['A', '']);
    expect(layout.placements.find((p) => p.session === handAdded)).toMatchObject({ column: 1, span: 1 });
  });

  it('gives an event without any rooms one column', () => {
    const layout = layoutDay([s([]), s([], null, null)], []);
    expect(layout.columns).toEqual(['']);
    expect(layout.placements.map((p) => [p.column, p.span])).toEqual([[0, 1], [0, 1]]);
  });
});
