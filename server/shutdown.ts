import { TIMINGS } from '../shared/limits.js';
import type { CollabServer } from './collab/collabServer.js';
import type { CommitQueue } from './collab/commitQueue.js';
import type { RoomRegistry } from './collab/roomRegistry.js';
import type { HttpFront } from './httpFront.js';

/** What a graceful stop takes down, in the order it does. */
export interface StoppableParts {
  front: HttpFront;
  collab: CollabServer;
  commitQueue: CommitQueue;
  registry: RoomRegistry;
  /** Stops accepting at once (the event streams end, newcomers get 503). */
  stopAccepting(): void;
  /** Worker pools and the like, stopped in this order after every room's final write (the search's catch-up before the PostgreSQL pool it reads). */
  workers: { close(): Promise<void> }[];
  /** Last: timers, history, the database. */
  closeStorage(): void;
}

/**
 * Graceful stop within `timeoutMs`: unready and closed to newcomers at
 * once; everything received so far committed and acknowledged; clients told
 * 1012 (reconnect); requests in flight finished or answered 503; every room
 * written; whatever is left at the deadline cut off.
 */
export async function stopGracefully(parts: StoppableParts, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(0, deadline - Date.now());
  parts.stopAccepting();
  parts.collab.stopAccepting();
  parts.front.server.close();
  // Everything received so far becomes durable and acknowledged before clients are told to go.
  await within(parts.commitQueue.whenIdle(), left());
  // Keep time for the final write of every room: clients that never read must not eat all of it.
  const reserve = Math.min(2_000, timeoutMs / 3);
  await Promise.all([
    parts.collab.closeAll(Math.min(TIMINGS.socketCloseGraceMs, Math.max(0, left() - reserve))),
    waitUntil(() => parts.front.unfinished().length === 0, Math.max(0, left() - reserve)),
  ]);
  await within(parts.registry.closeAll(), left());
  parts.front.cutUnfinished();
  for (const w of parts.workers) await within(w.close(), left());
  parts.front.server.closeAllConnections();
  parts.closeStorage();
}

/** Resolves when `p` settles or after `ms`, whichever is first; never rejects. */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}
