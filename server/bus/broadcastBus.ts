import { z } from 'zod';
import { ROLES } from '../../shared/roles.js';
import type { CheckResult } from '../storage/storageHealth.js';

/** At most this many writers' names travel with a batch (batches nearly always have one). */
export const MAX_BATCH_NAMES = 100;

/**
 * What one server process tells the others. Document updates travel only
 * once they are durable in the shared storage, so a process that misses one
 * can always read it back (see RoomFanout); everything else is a hint that
 * makes other processes refresh what they show.
 */
export const busMessageSchema = z.discriminatedUnion('kind', [
  /**
   * A committed batch of a session's notes (base64), `n` counting the sender's batches of that session;
   * `names`: the note-takers whose edits are in it (the sender records them in storage only after this).
   */
  z.object({
    kind: z.literal('docUpdate'),
    docId: z.string().min(1),
    update: z.base64(),
    seq: z.number().int().nonnegative(),
    n: z.number().int().positive(),
    names: z.array(z.string().min(1).max(60)).max(MAX_BATCH_NAMES).optional(),
  }),
  /** Presence (awareness) of the sender's note-takers in a session. */
  z.object({ kind: z.literal('awareness'), docId: z.string().min(1), update: z.base64() }),
  /** A process just opened the session: the others send it their note-takers' presence now, not at its next renewal (up to 30 s). */
  z.object({ kind: z.literal('awarenessQuery'), docId: z.string().min(1) }),
  /** The event's schedule changed (live counts, sessions, state): streams send deltas. */
  z.object({ kind: z.literal('eventChanged'), eventId: z.string().min(1) }),
  z.object({ kind: z.literal('notesWritten'), eventId: z.string().min(1), sessionId: z.string().min(1), day: z.string().min(1) }),
  z.object({ kind: z.literal('actionItems'), eventId: z.string().min(1), sessionId: z.string().min(1) }),
  /** A link was rotated: sockets and streams opened with these token hashes end. */
  z.object({ kind: z.literal('revokeTokens'), hashes: z.array(z.string()).max(10_000) }),
  /** The event's link of this role was rotated (after revokeTokens for its old token). */
  z.object({ kind: z.literal('linksRotated'), eventId: z.string().min(1), role: z.enum(ROLES) }),
  z.object({ kind: z.literal('sessionLocked'), sessionId: z.string().min(1), locked: z.boolean() }),
  z.object({ kind: z.literal('sessionClosed'), sessionId: z.string().min(1) }),
  /** The sender's note-takers and readers in a session (zero when it has none any more). */
  z.object({ kind: z.literal('liveCounts'), sessionId: z.string().min(1), editors: z.number().int().nonnegative(), viewers: z.number().int().nonnegative() }),
]);

export type BusMessage = z.infer<typeof busMessageSchema>;

/** A session's notes and presence go on the session's channel; the rest on one channel for all. */
export type BusChannel = { session: string } | 'server';

/** `from` is the sending process's id. */
export type BusHandler = (msg: BusMessage, from: string) => void;

/**
 * Fan-out between the server processes that share one storage. A process
 * never hears its own messages. Delivery is best effort: after a reconnect
 * `onResubscribed` listeners run, and rooms catch up from storage.
 */
export interface BroadcastBus {
  /** Identifies this process on the bus. */
  readonly processId: string;
  publish(channel: BusChannel, msg: BusMessage): void;
  /** Resolves once messages of the channel are being received; the returned function unsubscribes. */
  subscribe(channel: BusChannel, handler: BusHandler): Promise<() => void>;
  /** Runs after the bus reconnected: what was published meanwhile may be lost. */
  onResubscribed(listener: () => void): void;
  /** For /readyz. */
  health(): CheckResult;
  close(): Promise<void>;
}

export function channelName(channel: BusChannel): string {
  return channel === 'server' ? 'rt:server' : `rt:session:${channel.session}`;
}
