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
  /** By session, when each name was last written. */
  private readonly writtenAt = new Map<string, Map<string, number>>();

  constructor(private readonly deps: NoteTakersDeps) {}

  batchCommitted(room: Room, batch: CommittedBatch): Promise<void> | void {
    if (batch.authors.length === 0) return;
    const t = this.deps.now?.() ?? Date.now();
    // Plain loops: this runs per commit, and nearly always finds nothing due.
    const written = this.writtenAt.get(room.docId);
    let due: string[] | null = null;
    for (const { name } of batch.authors) {
      if (!name) continue;
      const last = written?.get(name);
      if (last !== undefined && t - last < REFRESH_MS) continue;
      if (due === null) due = [name];
      else if (!due.includes(name)) due.push(name);
    }
    if (due === null) return;
    // Marked before the write resolves, so the commits of the next minute do not queue more writes behind it.
    let marks = written;
    if (!marks) this.writtenAt.set(room.docId, (marks = new Map()));
    for (const name of due) marks.set(name, t);
    return this.deps.add(room.docId, due, new Date(t).toISOString());
  }
}
