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

describe('layoutDay: sessions that overlap in one room', () => {
  const at = (hm: string) => `2025-11-22T${hm}:00Z`;
  const t = (rooms: string[], from: string, to: string | null) => s(rooms, at(from), to === null ? null : at(to));
  const lane = (layout: ReturnType<typeof layoutDay>, id: string) => layout.placements.filter((p) => p.session.id === id).map((p) => [p.column, p.lane, p.laneSpan]);

  it('puts two overlapping sessions in one room side by side, each in its own lane', () => {
    const war = t(['Salon C'], '10:00', '10:50');
    const monitoring = t(['Salon C'], '10:40', '11:30');
    const billing = t(['Salon D'], '10:00', '11:30');
    const layout = layoutDay([war, monitoring, billing], ['Salon C', 'Salon D']);
    expect(layout.columns).toEqual(['Salon C', 'Salon D']);
    expect(layout.lanes).toEqual([2, 1]);
    expect(lane(layout, war.id)).toEqual([[0, 0, 1]]);
    expect(lane(layout, monitoring.id)).toEqual([[0, 1, 1]]);
    expect(lane(layout, billing.id)).toEqual([[1, 0, 1]]);
  });

  it('gives a session that overlaps nothing the whole width of its room, and back-to-back sessions do not overlap', () => {
    const a = t(['A'], '09:00', '10:00');
    const b = t(['A'], '10:00', '11:00');
    const c = t(['A'], '10:30', '11:30');
    const d = t(['A'], '11:30', '12:00');
    const layout = layoutDay([a, b, c, d], ['A']);
    expect(layout.lanes).toEqual([2]);
    expect(lane(layout, a.id)).toEqual([[0, 0, 2]]);
    expect(lane(layout, b.id)).toEqual([[0, 0, 1]]);
    expect(lane(layout, c.id)).toEqual([[0, 1, 1]]);
    expect(lane(layout, d.id)).toEqual([[0, 0, 2]]);
  });

  it('reuses a free lane and widens a card into lanes nothing overlapping it uses', () => {
    const long = t(['A'], '09:00', '12:00');
    const b = t(['A'], '09:30', '10:00');
    const c = t(['A'], '09:45', '11:00');
    const d = t(['A'], '10:30', '11:00');
    const e = t(['A'], '11:00', '11:30');
    const layout = layoutDay([long, b, c, d, e], ['A']);
    expect(layout.lanes).toEqual([3]);
    expect(lane(layout, long.id)).toEqual([[0, 0, 1]]);
    expect(lane(layout, b.id)).toEqual([[0, 1, 1]]);
    expect(lane(layout, c.id)).toEqual([[0, 2, 1]]);
    expect(lane(layout, d.id)).toEqual([[0, 1, 1]]);
    expect(lane(layout, e.id)).toEqual([[0, 1, 2]]);
  });

  it('keeps sessions that start together in one room in one cell (stacked, one lane); a later overlapping one gets the next lane', () => {
    const x = t(['A'], '10:00', '10:15');
    const y = t(['A'], '10:00', '11:00');
    const z = t(['A'], '10:30', '11:00');
    const layout = layoutDay([x, y, z], ['A']);
    expect(layout.lanes).toEqual([2]);
    expect(lane(layout, x.id)).toEqual([[0, 0, 1]]);
    expect(lane(layout, y.id)).toEqual([[0, 0, 1]]);
    expect(lane(layout, z.id)).toEqual([[0, 1, 1]]);
  });

  it('shows a session in several rooms in each of them, marked, when it overlaps another session in one of them', () => {
    const ab = t(['A', 'B'], '10:00', '11:00');
    const inA = t(['A'], '10:30', '11:30');
    const layout = layoutDay([ab, inA], ['A', 'B']);
    expect(layout.placements.filter((p) => p.session === ab).map((p) => [p.column, p.span, p.duplicate, p.alsoIn])).toEqual([[0, 1, false, ['B']], [1, 1, true, ['A']]]);
    expect(layout.lanes).toEqual([2, 1]);
    expect(lane(layout, ab.id)).toEqual([[0, 0, 1], [1, 0, 1]]);
    expect(lane(layout, inA.id)).toEqual([[0, 1, 1]]);
  });

  it('counts a session without an end as running only until the next start (its own row)', () => {
    const open = t(['A'], '10:00', null);
    const next = t(['A'], '10:30', '11:00');
    const layout = layoutDay([open, next], ['A']);
    expect(layout.lanes).toEqual([1]);
  });

  it('never lets two cards that share rows share a track (random days)', () => {
    let seed = 7;
    const rnd = (k: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % k;
    };
    const pad = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    for (let run = 0; run < 300; run++) {
      const rooms = ['A', 'B', 'C', 'D'];
      const day = Array.from({ length: 2 + rnd(12) }, () => {
        const from = 8 * 60 + rnd(16) * 15;
        const pick = rooms.filter(() => rnd(3) === 0);
        return t(pick, pad(from), rnd(8) === 0 ? null : pad(from + 10 + rnd(10) * 15));
      });
      const layout = layoutDay(day, roomOrder(day));
      const first = layout.lanes.map((_, c) => layout.lanes.slice(0, c).reduce((x, y) => x + y, 0));
      const cells = layout.placements.map((p) => {
        const from = first[p.column]! + p.lane;
        const to = p.span > 1 ? first[p.column + p.span - 1]! + layout.lanes[p.column + p.span - 1]! : from + p.laneSpan;
        const start = Date.parse(p.session.startsAt!);
        const end = p.session.endsAt ? Math.max(Date.parse(p.session.endsAt), start + 1) : start + 1;
        return { p, from, to, start, end };
      });
      for (const a of cells)
        for (const b of cells) {
          if (a === b || a.start === b.start && a.from === b.from && a.to === b.to) continue; // the same cell, stacked
          const rowsOverlap = a.start < b.end && b.start < a.end;
          const tracksOverlap = a.from < b.to && b.from < a.to;
          if (rowsOverlap && tracksOverlap) expect.fail(`${JSON.stringify(day)}: ${a.p.session.id} covers ${b.p.session.id}`);
        }
    }
  });
});
