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
}

export interface DayLayout<S extends Placed> {
  /** Column headers: the rooms, and last a "no room" column when a session without a room overlaps others. */
  columns: string[];
  noRoomColumn: boolean;
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
  const placements: GridPlacement<S>[] = [];
  for (const s of visible) {
    if (s.rooms.length === 0) {
      if (noRoomColumn && (rooms.length === 0 || overlaps(s))) placements.push({ session: s, column: columns.length - 1, span: 1, duplicate: false, alsoIn: [] });
      else placements.push({ session: s, column: 0, span: rooms.length, duplicate: false, alsoIn: [] });
      continue;
    }
    const at = s.rooms.map((r) => rooms.indexOf(r)).filter((i) => i >= 0).sort((a, b) => a - b);
    if (contiguous(rooms, s.rooms)) {
      placements.push({ session: s, column: at[0]!, span: at.length, duplicate: false, alsoIn: [] });
    } else {
      at.forEach((column, i) => placements.push({ session: s, column, span: 1, duplicate: i > 0, alsoIn: s.rooms.filter((r) => r !== rooms[column]) }));
    }
  }
  return { columns, noRoomColumn, placements };
}
