import type { SessionFields } from '../../shared/sessionFields.js';

type Placed = Pick<SessionFields, 'rooms' | 'startsAt' | 'endsAt'> & { id: string };

const natural = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

function contiguous(order: readonly string[], rooms: readonly string[]): boolean {
  const at = rooms.map((r) => order.indexOf(r)).sort((a, b) => a - b);
  return at.every((x, i) => i === 0 || x === at[i - 1]! + 1);
}

/**
 * The order of the room columns: natural order ("Room 2" before "Room 10"),
 * changed only as far as needed to put the rooms of multi-room sessions side
 * by side, so such a session can span its rooms. Groups are placed largest
 * (then most frequent) first; a move that would split an earlier group is
 * not made, and that session is shown in each of its rooms instead.
 */
export function roomOrder(sessions: readonly Placed[]): string[] {
  let order = [...new Set(sessions.flatMap((s) => s.rooms))].sort(natural);
  const counts = new Map<string, { rooms: string[]; n: number }>();
  for (const s of sessions) {
    if (s.rooms.length < 2) continue;
    const rooms = [...new Set(s.rooms)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const key = rooms.join('\u0000');
    counts.set(key, { rooms, n: (counts.get(key)?.n ?? 0) + 1 });
  }
  const groups = [...counts.values()].sort((a, b) => b.rooms.length - a.rooms.length || b.n - a.n || natural(a.rooms.join(), b.rooms.join()));
  const kept: string[][] = [];
  for (const { rooms } of groups) {
    if (!contiguous(order, rooms)) {
      const anchor = Math.min(...rooms.map((r) => order.indexOf(r)));
      const rest = order.filter((r) => !rooms.includes(r));
      const before = order.slice(0, anchor).filter((r) => !rooms.includes(r)).length;
      const candidate = [...rest.slice(0, before), ...rooms, ...rest.slice(before)];
      if (kept.every((g) => contiguous(candidate, g))) order = candidate;
    }
    if (contiguous(order, rooms)) kept.push(rooms);
  }
  return order;
}

export interface GridPlacement<S extends Placed> {
  session: S;
  /** First column (0 = the first room column) and how many columns it covers. */
  column: number;
  span: number;
  /** The same session shown again in another of its rooms (rooms not side by side): hidden in the phone list. */
  duplicate: boolean;
  /** Rooms it also takes place in, shown on the card when it cannot span them. */
  alsoIn: string[];
  /**
   * Sessions that run at the same time in one room sit side by side: each
   * column is split into `lanes[column]` lanes, and this card takes `laneSpan`
   * of them from `lane` on (a card that overlaps nothing spans them all). A
   * card spanning several columns overlaps nothing and covers all their lanes.
   */
  lane: number;
  laneSpan: number;
}

export interface DayLayout<S extends Placed> {
  /** Column headers: the rooms, and last a "no room" column when a session without a room overlaps others. */
  columns: string[];
  noRoomColumn: boolean;
  /** How many lanes each column is split into (1 where nothing overlaps). */
  lanes: number[];
  placements: GridPlacement<S>[];
}

const HOUR = 3_600_000;
function interval(s: Placed): [number, number] | null {
  if (!s.startsAt) return null;
  const start = Date.parse(s.startsAt);
  return [start, s.endsAt ? Math.max(Date.parse(s.endsAt), start + 1) : start + HOUR];
}

/**
 * Where each session of one day goes in the grid. A session in several rooms
 * spans its columns when they are side by side (see roomOrder), otherwise it
 * appears in each, marked. A session without a room (a plenary, or "all
 * rooms") spans the whole row, unless something else runs at the same time:
 * then it goes to a "no room" column at the end rather than cover it.
 */
export function layoutDay<S extends Placed>(visible: readonly S[], order: readonly string[]): DayLayout<S> {
  const used = new Set(visible.flatMap((s) => s.rooms));
  const rooms = order.filter((r) => used.has(r));
  const overlaps = (s: S) => {
    const a = interval(s);
    return visible.some((o) => {
      if (o === s) return false;
      if (!a) return !o.startsAt;
      const b = interval(o);
      return b !== null && a[0] < b[1] && b[0] < a[1];
    });
  };
  const homeless = visible.filter((s) => s.rooms.length === 0);
  const noRoomColumn = rooms.length === 0 ? homeless.length > 0 : homeless.some(overlaps);
  const columns = noRoomColumn || rooms.length === 0 ? [...rooms, ''] : rooms;
  let placements: GridPlacement<S>[] = [];
  const place = (session: S, column: number, span: number, duplicate = false, alsoIn: string[] = []) => placements.push({ session, column, span, duplicate, alsoIn, lane: 0, laneSpan: 1 });
  const eachRoom = (s: S, at: number[]) => at.forEach((column, i) => place(s, column, 1, i > 0, s.rooms.filter((r) => r !== rooms[column])));
  for (const s of visible) {
    if (s.rooms.length === 0) {
      if (noRoomColumn && (rooms.length === 0 || overlaps(s))) place(s, columns.length - 1, 1);
      else place(s, 0, rooms.length);
      continue;
    }
    const at = s.rooms.map((r) => rooms.indexOf(r)).filter((i) => i >= 0).sort((a, b) => a - b);
    if (contiguous(rooms, s.rooms)) place(s, at[0]!, at.length);
    else eachRoom(s, at);
  }
  // A session spanning rooms that would cover a card in one of them is shown in each of its rooms instead.
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of placements) {
      if (p.span < 2 || p.session.rooms.length < 2) continue;
      const clash = placements.some((o) => o !== p && o.column < p.column + p.span && p.column < o.column + o.span && !sameCell(o, p) && rowsOverlap(o.session, p.session));
      if (!clash) continue;
      const at = p.session.rooms.map((r) => rooms.indexOf(r)).filter((i) => i >= 0).sort((a, b) => a - b);
      const { session } = p;
      placements = placements.filter((o) => o !== p);
      eachRoom(session, at);
      changed = true;
      break;
    }
  }
  return { columns, noRoomColumn, lanes: assignLanes(placements, columns.length), placements };
}

/**
 * The rows a card covers in the grid: from its start to its end (a session
 * without an end only its own row; unscheduled sessions share the last row).
 */
const UNSCHEDULED = Number.MAX_SAFE_INTEGER - 2;
function rows(s: Placed): [number, number] {
  const start = s.startsAt ? Date.parse(s.startsAt) : UNSCHEDULED;
  return [start, s.startsAt && s.endsAt ? Math.max(Date.parse(s.endsAt), start + 1) : start + 1];
}
function rowsOverlap(a: Placed, b: Placed): boolean {
  const [x, y] = [rows(a), rows(b)];
  return x[0] < y[1] && y[0] < x[1];
}
/** Sessions that start together in the same columns share one cell, stacked (see ScheduleGrid). */
function sameCell(a: GridPlacement<Placed>, b: GridPlacement<Placed>): boolean {
  return a.column === b.column && a.span === b.span && (a.session.startsAt ?? '') === (b.session.startsAt ?? '');
}

/**
 * Splits each column into lanes so that cards running at the same time sit
 * side by side, as calendar apps do: cells (sessions starting together share
 * one) are taken by start, longest first, and each goes to the first lane free
 * at its start; then each widens to the right over lanes that nothing
 * overlapping it uses. Returns the number of lanes per column.
 */
function assignLanes<S extends Placed>(placements: GridPlacement<S>[], columnCount: number): number[] {
  const lanes = new Array<number>(columnCount).fill(1);
  for (let column = 0; column < columnCount; column++) {
    const cells: { members: GridPlacement<S>[]; start: number; end: number; lane: number }[] = [];
    for (const p of placements) {
      if (p.span !== 1 || p.column !== column) continue;
      const [start, end] = rows(p.session);
      const cell = cells.find((c) => sameCell(c.members[0]!, p));
      if (cell) {
        cell.members.push(p);
        cell.end = Math.max(cell.end, end);
      } else cells.push({ members: [p], start, end, lane: 0 });
    }
    cells.sort((a, b) => a.start - b.start || b.end - a.end);
    const laneEnds: number[] = [];
    for (const cell of cells) {
      let lane = laneEnds.findIndex((end) => end <= cell.start);
      if (lane < 0) lane = laneEnds.length;
      laneEnds[lane] = cell.end;
      cell.lane = lane;
    }
    const n = Math.max(1, laneEnds.length);
    lanes[column] = n;
    for (const cell of cells) {
      const blocked = cells.filter((o) => o.lane > cell.lane && o.start < cell.end && cell.start < o.end).map((o) => o.lane);
      const laneSpan = Math.min(n, ...blocked) - cell.lane;
      for (const p of cell.members) Object.assign(p, { lane: cell.lane, laneSpan });
    }
  }
  for (const p of placements) if (p.span !== 1) Object.assign(p, { lane: 0, laneSpan: lanes.slice(p.column, p.column + p.span).reduce((a, b) => a + b, 0) });
  return lanes;
}
