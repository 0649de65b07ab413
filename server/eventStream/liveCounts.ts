import type { LiveCounts as Counts } from '../../shared/schemas.js';
import type { Room } from '../collab/room.js';
import type { RoomExtension } from '../collab/roomExtension.js';

const NOBODY: Counts = { editors: 0, viewers: 0 };

/** Note-takers and readers in each session's notes right now, as the schedule and the API show them. */
export class LiveCounts implements RoomExtension {
  readonly name = 'live counts';
  private readonly counts = new Map<string, Counts>();

  presenceChanged(room: Room): void {
    this.counts.set(room.docId, room.liveCounts());
  }

  unloaded(room: Room): void {
    this.counts.delete(room.docId);
  }

  of(sessionId: string): Counts {
    return this.counts.get(sessionId) ?? NOBODY;
  }
}
