import * as encoding from 'lib0/encoding';
import type * as awarenessProtocol from 'y-protocols/awareness';
import type { AwarenessOwnership } from './awarenessGuard.js';
import type { Connection } from './connection.js';
import { encodeAwarenessMessage } from './messages.js';
import { presenceName } from './presenceName.js';
import type { Room } from './room.js';

/**
 * Which Yjs client ids a connection may show presence under. A stock
 * y-websocket client keeps its client id across reconnects, and the room
 * keeps the awareness meta of every id it saw (y-protocols never forgets
 * one), so "seen before" cannot mean "someone else's": after a dropped
 * connection the person would never be shown again while the room stays
 * loaded, and their edits would be credited to nobody (History binds a
 * write to the name its connection's presence shows).
 *
 * The rules, with History's (historyRecorder `admit`: an id a live
 * connection announces is that connection's, and a presence claim never
 * beats a binding):
 * 1. An id a connection of this room holds (live, or closing: its removal
 *    would take the new state away), or that is shown from another process
 *    (scale-out), is foreign to every other connection; except that an id
 *    shown from another process may be claimed as under 3., under the name
 *    that process shows for it: a client whose process was killed moves
 *    here with its id, and that process will never send the removal.
 * 2. An id never seen in this room is free: first come (unchanged).
 * 3. An id seen before whose holder has left may be claimed again, once per
 *    message, as the first presence of a connection that shows none yet:
 *    a reconnecting stock client announces its own id first, before it can
 *    hear (and relay) anyone else's, so a peer relaying the last state of
 *    someone who just left cannot take their id. And the claim must show
 *    the name the id last showed here, if it showed one: Mallory cannot take
 *    Alice's id while Alice is away, so Alice's presence, and with it her
 *    standing as the id's rightful announcer in History (her edits credited
 *    to her name), is hers again when she comes back. An id that showed no
 *    name is claimed by whoever comes first, as a new one. Names are not
 *    authenticated: a client that shows Alice's name is Alice to the server
 *    (as for History's bindings). After the room unloads nothing is
 *    remembered: rule 2, and History's "a claim never beats a binding" keeps
 *    Alice writing.
 * 4. Readers' private presence follows the same rules (its own meta).
 */
export function presenceOwnership(room: Room, conn: Connection): AwarenessOwnership {
  let reclaimed = false;
  return {
    owned: conn.awarenessIds,
    isForeign(clientId, state) {
      if (room.awarenessOwner(clientId) !== undefined) return true;
      // The name a claim must show (undefined: any). An id shown with no connection here holding it is another
      // process's (scale-out), whose removal comes through the bus; unless that process died (kill -9): then none
      // comes, and its person's client, moved here, would not be shown until the state times out (30 s), its
      // offline edits listed as anonymous meanwhile. So it may be claimed, under the name shown for it.
      let mustShow: string | undefined;
      const remote = room.awareness.states.get(clientId);
      if (remote !== undefined) {
        const shown = presenceName(remote);
        if (shown === null) return true;
        mustShow = shown;
      } else {
        if (!room.awareness.meta.has(clientId) && !room.readerAwareness.meta.has(clientId)) return false;
        mustShow = room.presenceNames.get(clientId);
      }
      if (reclaimed || conn.awarenessIds.size > 0) return true;
      if (mustShow !== undefined && presenceName(state) !== mustShow) return true;
      reclaimed = true;
      return false;
    },
    shown(clientId, state) {
      const name = presenceName(state);
      if (name === null) room.presenceNames.delete(clientId);
      else if (room.presenceNames.get(clientId) !== name) room.presenceNames.set(clientId, name);
    },
  };
}

/**
 * After a claim of an id seen before, y-protocols ignores the state unless
 * its clock is past the one the room kept (the removal's); a stock client
 * comes back with the clock it left with, and would show again only at its
 * next change or renewal (up to 15 s). Telling it that its state was
 * removed, at the room's clock, makes it announce itself at once with a
 * newer clock (y-protocols: "never let a remote client remove this local
 * state"), which every peer then takes.
 */
export function askToAnnounceAgain(awareness: awarenessProtocol.Awareness, conn: Connection, claimed: readonly number[]): void {
  let stale: number[] | null = null;
  for (const id of claimed) if (!awareness.states.has(id) && awareness.meta.has(id)) (stale ??= []).push(id);
  if (!stale) return;
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, stale.length);
  for (const id of stale) {
    encoding.writeVarUint(e, id);
    encoding.writeVarUint(e, awareness.meta.get(id)!.clock);
    encoding.writeVarString(e, 'null');
  }
  conn.send(encodeAwarenessMessage(encoding.toUint8Array(e)));
}
