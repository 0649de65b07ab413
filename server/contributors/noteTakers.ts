import type { Room } from '../collab/room.js';
import type { CommittedBatch, RoomExtension } from '../collab/roomExtension.js';

export interface NoteTakersDeps {
  /** Records that these names wrote in the session's notes (first and last time). */
  add(sessionId: string, names: readonly string[], now: string): Promise<void>;
  now?: () => number;
}

/** A name already recorded is written again (its last time) at most once a minute. */
const REFRESH_MS = 60_000;

/**
 * Who took notes in a session (the minutes' note-takers, the contributors
 * report): the names of the connections whose edits were in a committed
 * batch. Runs after every commit, i.e. per keystroke: a known name is not
 * written again within a minute (one write per name was an fsync each).
 */
export class NoteTakers implements RoomExtension {
  readonly name = 'note-takers';
  private readonly writtenAt = new Map<string, number>();

  constructor(private readonly deps: NoteTakersDeps) {}

  batchCommitted(room: Room, batch: CommittedBatch): Promise<void> | void {
    if (batch.authors.length === 0) return;
    const t = this.deps.now?.() ?? Date.now();
    const key = (name: string) => `${room.docId}\u0000${name}`;
    const names = new Set<string>();
    for (const a of batch.authors) if (a.name) names.add(a.name);
    const due = [...names].filter((name) => {
      const last = this.writtenAt.get(key(name));
      return last === undefined || !(t - last < REFRESH_MS);
    });
    if (due.length === 0) return;
    // Marked before the write resolves, so the commits of the next minute do not queue more writes behind it.
    for (const name of due) this.writtenAt.set(key(name), t);
    return this.deps.add(room.docId, due, new Date(t).toISOString());
  }
}
