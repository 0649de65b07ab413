import { localDate } from '../../shared/schedule/timezone.js';
import type { Room } from '../collab/room.js';
import type { RoomExtension } from '../collab/roomExtension.js';

export interface NotesTodayDeps {
  /** The event of a session and its time zone (null when the session is gone). */
  eventOf(sessionId: string): Promise<{ id: string; timezone: string } | null>;
  /** Notes of a session were stored on this local day; the stream says so when that is news. */
  notesWritten(eventId: string, sessionId: string, localDay: string): void;
  now?: () => number;
}

/** At most one look-up per document per this many ms: a new day is announced up to this late. */
const CHECK_EVERY_MS = 30_000;

/**
 * "Notes today" on the schedule: after a commit, the session's event hears
 * that its notes were written today. This runs after every commit, so the
 * session and the day are looked up at most every 30 s per document, not two
 * queries and a date per keystroke.
 */
export class NotesToday implements RoomExtension {
  readonly name = 'notes today';
  private readonly checkedUntil = new Map<string, number>();

  constructor(private readonly deps: NotesTodayDeps) {}

  async batchCommitted(room: Room): Promise<void> {
    const now = this.deps.now?.() ?? Date.now();
    if (now < (this.checkedUntil.get(room.docId) ?? 0)) return;
    this.checkedUntil.set(room.docId, now + CHECK_EVERY_MS);
    const event = await this.deps.eventOf(room.docId);
    if (event) this.deps.notesWritten(event.id, room.docId, localDate(new Date(now), event.timezone));
  }

  unloaded(room: Room): void {
    this.checkedUntil.delete(room.docId);
  }
}
