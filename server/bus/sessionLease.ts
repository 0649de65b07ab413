import type { Room } from '../collab/room.js';
import type { RoomExtension } from '../collab/roomExtension.js';
import type { DocStore } from '../storage/docStore.js';

/**
 * Who does a session's once-only work (action-item tagging, compaction and
 * the history checkpoints folded in with it) when the session is open on
 * several processes. What features read: `holds` before such work, and
 * `onGained` to catch up on what another holder may have left undone.
 */
export interface SessionLease {
  /** Whether this process does `docId`'s once-only work right now. */
  holds(docId: string): boolean;
  /** `listener` runs when this process takes over a session it has open (its previous holder left or died). */
  onGained(listener: (docId: string) => void): void;
}

/** The leases of one process: it competes for the sessions it has open, and lets go when it unloads them. */
export interface SessionLeases extends SessionLease {
  /**
   * This process competes for `docId` and does not hold it: another process
   * may. False for a session it does not compete for (a damaged room, which
   * runs no hooks until it is repaired, must still be able to compact).
   */
  deferred(docId: string): boolean;
  /** Starts competing for `docId` (one attempt is made before this resolves). */
  track(docId: string): Promise<void>;
  /** Stops competing, releasing the lease if held. */
  untrack(docId: string): Promise<void>;
  close(): Promise<void>;
}

/** One process alone: it holds every lease, always (nothing changes without REDIS_URL). */
export function soleLeases(): SessionLeases {
  return {
    holds: () => true,
    deferred: () => false,
    onGained: () => undefined,
    track: () => Promise.resolve(),
    untrack: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

/** In the room pipeline: a process competes for a session's lease while it has the session loaded. */
export class SessionLeaseExtension implements RoomExtension {
  readonly name = 'session lease';
  constructor(private readonly leases: SessionLeases) {}

  loaded(room: Room): Promise<void> {
    return this.leases.track(room.docId);
  }

  unloaded(room: Room): Promise<void> {
    return this.leases.untrack(room.docId);
  }
}

/**
 * The document store as the commit queue uses it: a process that competes
 * for a session's lease without holding it skips its compactions (and with
 * them the history folded at compaction). Skipping never loses anything: the
 * update log keeps every update until the holder compacts.
 */
export function compactOnlyWithLease(docs: DocStore, leases: Pick<SessionLeases, 'deferred'>): DocStore {
  const guarded = Object.create(docs) as DocStore;
  guarded.compact = (docId, state, uptoSeq) => (leases.deferred(docId) ? Promise.resolve() : docs.compact(docId, state, uptoSeq));
  return guarded;
}
