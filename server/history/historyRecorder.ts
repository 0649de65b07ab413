import * as Y from 'yjs';
import { CLIENT_ID_HELD } from '../../shared/closeCodes.js';
import { TAGGER_ORIGIN } from '../actionItems/tagger.js';
import { Connection } from '../collab/connection.js';
import { REMOTE_ORIGIN, type BatchAuthor, type Room } from '../collab/room.js';
import { describeError } from '../collab/roomFault.js';
import type { Logger } from '../logger.js';
import { cleanColor, cleanName, kindKey, personKey, TAGGER_KEY, type AuthorKey } from './authorKeys.js';
import type { Binding } from './authorRepo.js';
import type { HistoryStore } from './historyStore.js';
import { IMPORT_ORIGIN, RESTORE_ORIGIN } from './origins.js';

type ServerKind = 'server' | 'import' | 'restore';

interface RoomAuthorship {
  room: Room;
  /** Every client id of the document bound to an author (storage, then this room's life). */
  bindings: Map<number, Binding>;
  /** Which connection wrote with a client id while this room is loaded. */
  owners: Map<number, Connection>;
  /** The client ids the server writes with in this room, one per kind (bound when first used). */
  serverIds: Map<ServerKind, number>;
  kinds: Set<AuthorKey>;
  /** The person a restore being applied now is credited to (set only around that one transaction). */
  restorer: AuthorKey | null;
  /** Connections that changed the document at least once (a reconnecting client's no-op sync names it in a batch it has no part in). */
  changers: Set<number>;
  before: (tr: Y.Transaction) => void;
  after: (tr: Y.Transaction) => void;
}

export interface HistoryRecorderDeps {
  store: Pick<HistoryStore, 'bindingsOf' | 'bind'>;
  log: Logger;
  now?: () => number;
}

/** A connection's author, from the presence it publishes (its own awareness ids). */
function presenceOf(room: Room, conn: Connection): { name: string | null; color: string | null } {
  for (const id of conn.awarenessIds) {
    const user = (room.awareness.getStates().get(id) as { user?: { name?: unknown; color?: unknown } } | undefined)?.user;
    const name = cleanName(user?.name);
    if (name) return { name, color: cleanColor(user?.color) };
  }
  return { name: null, color: null };
}

/**
 * Records who wrote what, from the server's side: it plugs into a room's life
 * at `loaded` (watch the document), `admit` (a client update is about to be
 * applied: bind its new client ids, refuse ids bound to someone else),
 * `takeBatchAuthors` (the commit queue takes a batch: who is in it) and
 * `unloaded`. Attribution is never claimed by a client: the first connection
 * that writes with a Yjs client id binds that id to the name and colour its
 * own presence shows; the server's own writes use client ids of their own
 * (one per kind: Roundtable, import, restore), bound as such.
 */
export class HistoryRecorder {
  private readonly rooms = new Map<Room, RoomAuthorship>();
  private readonly now: () => number;

  constructor(private readonly deps: HistoryRecorderDeps) {
    this.now = deps.now ?? Date.now;
  }

  async loaded(room: Room): Promise<void> {
    if (this.rooms.has(room)) return;
    const bindings = await this.deps.store.bindingsOf(room.docId);
    if (this.rooms.has(room)) return;
    const st: RoomAuthorship = {
      room,
      bindings,
      owners: new Map(),
      serverIds: new Map(),
      kinds: new Set(),
      restorer: null,
      changers: new Set(),
      before: (tr) => this.beforeTransaction(st, tr),
      after: (tr) => this.afterTransaction(st, tr),
    };
    room.doc.on('beforeTransaction', st.before);
    room.doc.on('afterTransaction', st.after);
    this.rooms.set(room, st);
  }

  unloaded(room: Room): void {
    const st = this.rooms.get(room);
    if (!st) return;
    room.doc.off('beforeTransaction', st.before);
    room.doc.off('afterTransaction', st.after);
    this.rooms.delete(room);
  }

  /** The bindings of a live room (what storage has, and what this room bound since). */
  bindingsOf(room: Room): ReadonlyMap<number, Binding> | undefined {
    return this.rooms.get(room)?.bindings;
  }

  /**
   * Called with an admitted client update before it is applied (`to`: per
   * client, the clock past its last struct). Binds client ids new to the
   * document to this connection; refuses (returns why) when the update
   * extends a client id bound to the server or to another author, or one
   * that another live connection announces in its presence (unless that
   * connection shows the same name: another tab of the same person). A
   * person may come back on a new connection (a reconnect) with the same
   * name, and a reloaded tab may send offline edits under an old client id
   * no live connection holds any more.
   */
  admit(room: Room, conn: Connection, to: ReadonlyMap<number, number>): string | null {
    const st = this.rooms.get(room);
    if (!st) return null;
    for (const [client, clock] of to) {
      if (clock <= Y.getState(room.doc.store, client)) continue;
      const owner = st.owners.get(client);
      if (owner === conn) continue;
      const binding = st.bindings.get(client);
      const me = presenceOf(room, conn);
      if (binding && !binding.key.startsWith('p:') && binding.key !== kindKey('anonymous')) return 'update writes with a client id that belongs to the server';
      if (binding?.key.startsWith('p:') && me.name !== null && personKey(me.name) !== binding.key) return 'update writes with a client id bound to another author';
      // Every participant sees everyone's client id in presence: an id a live connection announces is that
      // connection's, written with or not, so nobody can take a colleague's id before they type and lock them out.
      // Presence ids are claimed first come, so an announcer whose name does not fit the person the id is bound to proves nothing.
      const announcer = conn.awarenessIds.has(client) ? conn : room.awarenessOwner(client);
      const announcerName = announcer === conn ? me.name : announcer ? presenceOf(room, announcer).name : null;
      const rightful = announcer !== undefined && !announcer.closed && (!binding?.key.startsWith('p:') || (announcerName !== null && personKey(announcerName) === binding.key));
      if (rightful && announcer !== conn && !samePerson(me.name, announcerName)) return this.held(room, conn, announcer);
      // The rightful announcer itself may always write with its id. Otherwise, while another live connection writes
      // with the id, it is theirs; a client back from offline may show no name yet (its presence is taken again only
      // once its old socket is gone, and under the name the id last showed: collab/presenceClaims.ts), so with a name
      // bound that is all that is checked.
      if (!(rightful && announcer === conn) && owner && owner !== conn && !owner.closed && (me.name === null || !binding?.key.startsWith('p:'))) return this.held(room, conn, owner);
      st.owners.set(client, conn);
      if (!binding || (binding.key !== (me.name ? personKey(me.name) : kindKey('anonymous')) && me.name !== null)) this.bindPerson(st, client, me);
    }
    return null;
  }

  /**
   * Refuses an update whose client id `holder` holds. For an honest client the
   * holder is its own old socket, which a silent network drop left open here:
   * if it does not answer a ping, it is dropped, and the client's next try
   * (CLIENT_ID_HELD) goes through.
   */
  private held(room: Room, conn: Connection, holder: Connection): string {
    this.deps.log.info('update writes with a client id another live connection holds: refused; checking that connection', { docId: room.docId, conn: conn.id, holder: holder.id });
    void holder.checkAlive(CLIENT_ID_HELD.holderAnswerMs).then((alive) => {
      if (!alive) this.deps.log.info('the connection holding a client id did not answer: gone', { docId: room.docId, conn: holder.id });
    });
    return CLIENT_ID_HELD.reason;
  }

  /**
   * The authors of a committed batch: the people the room named in it (its
   * connections' names and client ids), plus the kinds of server writes seen
   * since the last batch (and the person credited with a restore among them).
   * A name shown only now, or a new one, rebinds the client ids that
   * connection wrote with.
   */
  batchAuthors(room: Room, people: readonly BatchAuthor[]): AuthorKey[] | undefined {
    const st = this.rooms.get(room);
    if (!st) return undefined;
    const keys = new Set<AuthorKey>();
    for (const a of people) {
      if (!st.changers.has(a.connectionId)) continue;
      const name = cleanName(a.name);
      keys.add(name ? personKey(name) : kindKey('anonymous'));
      if (!name) continue;
      for (const client of a.clientIds) {
        const b = st.bindings.get(client);
        if (b && !b.key.startsWith('p:') && b.key !== kindKey('anonymous')) continue;
        if (!b || b.key !== personKey(name)) this.bindPerson(st, client, { name, color: b?.color ?? null });
      }
    }
    for (const k of st.kinds) keys.add(k);
    st.kinds.clear();
    return [...keys];
  }

  private bindPerson(st: RoomAuthorship, client: number, me: { name: string | null; color: string | null }): void {
    const binding: Binding = { key: me.name ? personKey(me.name) : kindKey('anonymous'), color: me.color };
    st.bindings.set(client, binding);
    // The change itself is stored whatever happens here; only who wrote it would be unknown after a restart.
    this.deps.store.bind(st.room.docId, client, 'person', me.name ?? '', me.color, new Date(this.now()).toISOString()).catch((err: unknown) => {
      this.deps.log.error('history: could not record an author', { docId: st.room.docId, error: describeError(err) });
    });
  }

  /**
   * Runs `apply` (which applies a restore to the room) crediting the person
   * who asked for it: their key joins `restore` among the batch's authors, so
   * the restore's revision names them. Only the revision: the restored text
   * stays written by the restore's own client id, as any restore's is.
   */
  crediting<T>(room: Room, name: string | null, apply: () => T): T {
    const st = this.rooms.get(room);
    const clean = cleanName(name);
    if (!st || !clean) return apply();
    st.restorer = personKey(clean);
    try {
      return apply();
    } finally {
      st.restorer = null;
    }
  }

  /** The server's client id for a kind of write in this room (bound as that kind the first time). */
  serverClientId(room: Room, kind: ServerKind): number {
    const st = this.rooms.get(room);
    if (!st) return room.doc.clientID;
    let id = st.serverIds.get(kind);
    if (id !== undefined) return id;
    do id = Math.floor(Math.random() * 0xffffffff) + 1;
    while (st.bindings.has(id) || Y.getState(room.doc.store, id) > 0);
    st.serverIds.set(kind, id);
    st.bindings.set(id, { key: kindKey(kind), color: null });
    this.deps.store.bind(room.docId, id, kind, '', null, new Date(this.now()).toISOString()).catch((err: unknown) => {
      this.deps.log.error('history: could not record the server as an author', { docId: room.docId, error: describeError(err) });
    });
    return id;
  }

  private beforeTransaction(st: RoomAuthorship, tr: Y.Transaction): void {
    // Clients' updates (and restores, which bring their own client id) are applied, not written here.
    if (!tr.local || tr.origin instanceof Connection) return;
    st.room.doc.clientID = this.serverClientId(st.room, tr.origin === IMPORT_ORIGIN ? 'import' : tr.origin === RESTORE_ORIGIN ? 'restore' : 'server');
  }

  private afterTransaction(st: RoomAuthorship, tr: Y.Transaction): void {
    if (tr.deleteSet.clients.size === 0 && !changedState(tr)) return;
    const origin = tr.origin;
    // Another process's committed changes (server/bus): that process recorded who wrote them.
    if (origin === REMOTE_ORIGIN) return;
    // Clients' changes are named by the room in each batch (BatchAuthor); only the server's kinds are noted here.
    if (origin instanceof Connection) {
      st.changers.add(origin.id);
      return;
    }
    if (origin === TAGGER_ORIGIN) st.kinds.add(TAGGER_KEY);
    else if (origin === RESTORE_ORIGIN) {
      st.kinds.add(kindKey('restore'));
      if (st.restorer) st.kinds.add(st.restorer);
    }
    else if (origin === IMPORT_ORIGIN) st.kinds.add(kindKey('import'));
    else st.kinds.add(kindKey('server'));
  }
}

/** Two connections showing the same name are one person (two tabs of one browser forward each other's edits). */
function samePerson(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && personKey(a) === personKey(b);
}

function changedState(tr: Y.Transaction): boolean {
  for (const [client, clock] of tr.afterState) if ((tr.beforeState.get(client) ?? 0) !== clock) return true;
  return false;
}
