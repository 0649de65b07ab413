import type { Room } from '../collab/room.js';
import type { RoomExtension } from '../collab/roomExtension.js';

export interface AnnounceLiveDeps {
  /** The event a session belongs to (null when it is gone). */
  eventOf(sessionId: string): Promise<string | null>;
  /** Tells the event's streams that something changed (they send the deltas). */
  changed(eventId: string): void;
}

/** Someone joined or left a session's notes: the schedule's live counts change on every open page. */
export class AnnounceLive implements RoomExtension {
  readonly name = 'announce live counts';

  /** A session's event never changes: looked up once per loaded room, not on every join and leave. */
  private readonly eventIds = new Map<string, string>();

  constructor(private readonly deps: AnnounceLiveDeps) {}

  presenceChanged(room: Room): void | Promise<void> {
    const known = this.eventIds.get(room.docId);
    if (known) {
      this.deps.changed(known);
      return;
    }
    return this.deps.eventOf(room.docId).then((eventId) => {
      if (!eventId) return;
      this.eventIds.set(room.docId, eventId);
      this.deps.changed(eventId);
    });
  }

  unloaded(room: Room): void {
    this.eventIds.delete(room.docId);
  }
}
