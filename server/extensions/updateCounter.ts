import type { Room } from '../collab/room.js';
import type { IncomingUpdate, RoomExtension } from '../collab/roomExtension.js';

/**
 * Counts the document updates each live room took from its clients: the
 * README's example of a room extension, one file plus one entry in the
 * composition (server/createServer.ts, or `extensions` in ServerOptions).
 *
 * Composed after the extensions that may refuse an update, it sees only the
 * ones they let through. Updates that change nothing (the empty SyncStep2 a
 * fresh client answers with) are not counted.
 */
export class UpdateCounter implements RoomExtension {
  readonly name = 'update counter';
  private readonly counts = new Map<string, number>();

  updateReceived(room: Room, incoming: IncomingUpdate): void {
    if (incoming.clients.size === 0) return;
    this.counts.set(room.docId, this.of(room.docId) + 1);
  }

  unloaded(room: Room): void {
    this.counts.delete(room.docId);
  }

  /** Updates taken since the room was loaded (0 for a room not in memory). */
  of(docId: string): number {
    return this.counts.get(docId) ?? 0;
  }
}
