import type { Room } from '../collab/room.js';
import type { RoomExtension } from '../collab/roomExtension.js';

export interface AnnounceLiveDeps {
  /** The event a session belongs to (null when it is gone). */
  eventOf(sessionId: string): string | null;
  /** Tells the event's streams that something changed (they send the deltas). */
  changed(eventId: string): void;
}

/** Someone joined or left a session's notes: the schedule's live counts change on every open page. */
export class AnnounceLive implements RoomExtension {
  readonly name = 'announce live counts';

  constructor(private readonly deps: AnnounceLiveDeps) {}

  presenceChanged(room: Room): void {
    const eventId = this.deps.eventOf(room.docId);
    if (eventId) this.deps.changed(eventId);
  }
}
