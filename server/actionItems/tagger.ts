import * as Y from 'yjs';
import { ownerKey } from '../../shared/actionItems/owners.js';
import { parseActionItem, type ParsedActionItem } from '../../shared/actionItems/parse.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { newId } from '../newId.js';
import { stableItemId } from './stableItemId.js';
import type { Logger } from '../logger.js';
import type { Connection } from '../collab/connection.js';
import type { Room } from '../collab/room.js';
import type { RoomExtension, Rooms, TakenBatch } from '../collab/roomExtension.js';
import { mirrorLinked, type TaggedBlocks } from './linkedStatus.js';
import type { ActionItemRow, ActionItemStore, ActionItemUpsert } from '../storage/ports.js';
import { actionItemIdOf, collectParagraphs, describeParagraph, isAlive, isItemLine, mayBeActionItem, PositionIndex } from './blocks.js';

/** Origin of the tagger's own writes: its observer skips them, so tagging never loops. */
export const TAGGER_ORIGIN = Symbol('roundtable-tagger');

export interface SessionContext {
  eventId: string;
  /** The session's local date (YYYY-MM-DD) in the event's time zone, for year-less due dates. */
  sessionDate: string | null;
  /** The session's moderators and note-takers: a known name opening an item owns it (SPEC AI-O7). */
  knownNames?: readonly string[];
}

export interface TaggerOptions {
  repo: ActionItemStore;
  log: Logger;
  sessionContext(sessionId: string): Promise<SessionContext | null>;
  /** Called after the index of a session changed. */
  changed(eventId: string, sessionId: string): void;
  /** Quiet time after the last edit before tagging runs. */
  debounceMs?: number;
  /** Tagging runs at least this often while people keep typing. */
  maxWaitMs?: number;
  now?: () => Date;
  /**
   * With several processes: tagging as people type runs only where the
   * session's lease is held (server/bus/sessionLease.ts). The holder sees
   * every process's edits (fan-out and catch-up), so it tags them all; a
   * process that takes the lease over re-reads the whole document.
   * Explicit flushes (a write that depends on the index) run anywhere:
   * item ids come from paragraph identity, so any process tags alike.
   */
  lease?: { holds(docId: string): boolean; onGained(listener: (docId: string) => void): void };
}

interface RoomState {
  /** The server's rooms, for mirroring a ticked item into its linked copies. */
  rooms: Rooms;
  dirty: Set<Y.XmlElement>;
  fullScan: boolean;
  tracked: Map<string, Y.XmlElement>;
  /** Each tracked item's stored position, so moved items are re-indexed only when they really moved. */
  positions: Map<string, string>;
  /** Each tracked item's stored owners (JSON), so parsing items again for new names re-indexes only those it changed. */
  owners: Map<string, string>;
  /** Sibling indexes, valid until blocks are added or removed anywhere (typing keeps them valid). */
  positionIndex: PositionIndex;
  /** Blocks were added or removed since the last run: every tracked item may have moved. */
  structureChanged: boolean;
  timer: NodeJS.Timeout | null;
  firstDirtyAt: number;
  lastDirtyAt: number;
  /** The run in progress (runs of a room never overlap: each reads what the one before it stored). */
  running: Promise<void>;
  /** Ids previews gave new items, by live paragraph, until a run indexes them. */
  reserved: Map<Y.XmlElement, string>;
  /**
   * Ids the run in progress has written into the notes but not yet into the
   * index: a note-taker can see the tag (and tick it on the board) before
   * the index write lands, slow with PostgreSQL.
   */
  indexing: Set<string>;
  /**
   * Names of the room's note-takers known here, whether or not storage has
   * recorded them yet (a note-taker's name is written after her first commit,
   * and with PostgreSQL that write may land after the run that tags her line).
   */
  writers: Set<string>;
  /** Connections whose edits came since the last run: their presence names are writers' names, read once per run. */
  editors: Set<object>;
  /** The known names (their ownerKeys) the tracked items were last parsed with: when they change, every item is parsed again. */
  namesKey: string | null;
  observer: (events: Y.YEvent<Y.XmlElement>[], tr: Y.Transaction) => void;
}

/**
 * Recognises action items while people type. It marks each action-item
 * paragraph with a stable `actionItemId` (and `actionStatus`) in the shared
 * document, so every screen shows it, and keeps the index in step. Work is
 * incremental: only paragraphs touched since the last run are parsed.
 *
 * A room extension: it starts watching a room when it loads, writes what is
 * pending before the room's last write, and stops when it unloads. An item
 * ticked in the notes is mirrored into its carried-forward copies.
 */
export class ActionItemTagger implements RoomExtension, TaggedBlocks {
  readonly name = 'action-item tagger';
  private readonly rooms = new Map<Room, RoomState>();

  constructor(private readonly opts: TaggerOptions) {
    opts.lease?.onGained((docId) => this.leaseGained(docId));
  }

  loaded(room: Room, rooms: Rooms): void {
    const fragment = room.doc.getXmlFragment(NOTES_FRAGMENT);
    const state: RoomState = freshState(rooms, (events, tr) => {
      if (tr.origin === TAGGER_ORIGIN) return;
      // A client's edit (its connection is the origin): who wrote it is read only when a run needs it (this runs per keystroke).
      if (typeof tr.origin === 'object' && tr.origin !== null) state.editors.add(tr.origin);
      for (const ev of events) this.markDirty(state, ev);
      this.schedule(room, state);
    });
    fragment.observeDeep(state.observer);
    this.rooms.set(room, state);
    this.schedule(room, state);
  }

  /** The names of a batch's writers are known from now on, before storage records them (server/contributors/noteTakers.ts). Once per commit. */
  batchTaken(room: Room, batch: TakenBatch): void {
    if (batch.authors.length === 0) return;
    const state = this.rooms.get(room);
    if (!state) return;
    for (const { name } of batch.authors) if (name) state.writers.add(name);
  }

  /** Another process's batch brought edits by these note-takers (server/bus/roomFanout.ts): their names are known here too. */
  writersSeen(room: Room, names: readonly string[]): void {
    const state = this.rooms.get(room);
    if (state) for (const name of names) state.writers.add(name);
  }

  beforeUnload(room: Room): Promise<void> {
    // Another process holds the lease: its tagging covers these notes (or, if it died, the next holder's full scan).
    if (this.opts.lease && !this.opts.lease.holds(room.docId)) return Promise.resolve();
    return this.flush(room);
  }

  /** This process took over `docId`'s tagging: whatever the last holder left undone, a full scan finds. */
  private leaseGained(docId: string): void {
    for (const [room, state] of this.rooms) {
      if (room.docId !== docId) continue;
      state.fullScan = true;
      this.schedule(room, state);
    }
  }

  unloaded(room: Room): void {
    const state = this.rooms.get(room);
    if (!state) return;
    if (state.timer) clearTimeout(state.timer);
    room.doc.getXmlFragment(NOTES_FRAGMENT).unobserveDeep(state.observer);
    this.rooms.delete(room);
  }

  /** Runs pending tagging now (before a write that depends on it, tests, shutdown). */
  flush(room: Room): Promise<void> {
    const state = this.rooms.get(room);
    if (!state) return Promise.resolve();
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    return this.enqueue(room, state);
  }

  /**
   * The session's action items as they will be once pending tagging has run,
   * and the notes with that tagging in them, computed on a copy of the
   * document: a read (the API's lists, the minutes) never writes into the
   * live notes. Null when nothing is pending (the index is up to date).
   * The ids shown for new items are reserved: the run that tags them uses them.
   */
  preview(room: Room): Promise<TaggingPreview | null> {
    const state = this.rooms.get(room);
    if (!state) return Promise.resolve(null);
    // In the room's queue: after the run in progress (which only finishes what it started), and
    // before the next one, which then finds every id this preview reserved.
    const next = state.running.then(() => this.previewNow(room, state));
    state.running = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  private async previewNow(room: Room, state: RoomState): Promise<TaggingPreview | null> {
    if (!state.timer && !state.fullScan && state.dirty.size === 0 && !state.structureChanged) return null;
    const copy = new Y.Doc();
    try {
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
      // The copy has the live document's paragraphs in the same order: a new item's id is reserved on
      // the live paragraph, and the run that tags it for real uses the same one.
      const live = collectParagraphs(room.doc.getXmlFragment(NOTES_FRAGMENT));
      const copied = collectParagraphs(copy.getXmlFragment(NOTES_FRAGMENT));
      const liveOf = new Map(copied.map((el, i) => [el, live[i]]));
      const plan = await this.plan(
        { doc: copy, docId: room.docId, broken: room.broken },
        freshState(state.rooms, () => {}),
        (el) => {
          const original = liveOf.get(el);
          if (!original) return newId();
          const id = state.reserved.get(original) ?? stableItemId(room.docId, original);
          state.reserved.set(original, id);
          return id;
        },
        () => writersOf(room, state),
      );
      if (!plan) return null;
      const stored = new Map((await this.opts.repo.listBySession(room.docId)).map((r) => [r.id, r]));
      const now = (this.opts.now?.() ?? new Date()).toISOString();
      const items = plan.upserts
        .map((u): ActionItemRow => {
          const was = stored.get(u.id);
          const row = { ...u, owners: JSON.stringify(u.owners), tags: JSON.stringify(u.tags) };
          const same = was !== undefined && was.text === row.text && was.owners === row.owners && was.due === row.due && was.tags === row.tags && was.status === row.status;
          return {
            id: u.id,
            event_id: u.eventId,
            session_id: u.sessionId,
            text: row.text,
            owners: row.owners,
            due: row.due,
            tags: row.tags,
            status: row.status,
            source: row.source,
            position: row.position,
            linked_id: was?.linked_id ?? null,
            first_seen_at: was?.first_seen_at ?? now,
            updated_at: same ? was.updated_at : now,
            removed_at: null,
          };
        })
        .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
      return { items, notesState: Y.encodeStateAsUpdate(copy) };
    } finally {
      copy.destroy();
    }
  }

  /**
   * A room whose tagging will index `id` (an id a preview showed before it
   * ran, or one the run in progress is storing): a write to that item waits
   * for that tagging first.
   */
  roomReserving(id: string): Room | undefined {
    for (const [room, state] of this.rooms) {
      if (state.indexing.has(id)) return room;
      for (const reserved of state.reserved.values()) if (reserved === id) return room;
    }
    return undefined;
  }

  /**
   * Whether a room loaded here carries `id` in its notes while another
   * process holds its lease: that process tagged it, and its index write
   * lands a few ms after the notes reached this one.
   */
  taggedElsewhere(id: string): boolean {
    for (const room of this.rooms.keys()) {
      if (!this.opts.lease || this.opts.lease.holds(room.docId)) continue;
      if (collectParagraphs(room.doc.getXmlFragment(NOTES_FRAGMENT)).some((p) => p.getAttribute('actionItemId') === id)) return true;
    }
    return false;
  }

  /** The context year-less due dates of `sessionId` resolve against. */
  contextOf(sessionId: string): Promise<SessionContext | null> {
    return this.opts.sessionContext(sessionId);
  }

  private enqueue(room: Room, state: RoomState): Promise<void> {
    const next = state.running.then(() =>
      this.run(room, state).catch((err: unknown) => {
        // The run may have taken its changes out of the room's state before failing (the database went away, say): the next one re-reads everything.
        state.fullScan = true;
        throw err;
      }),
    );
    state.running = next.catch(() => undefined);
    return next;
  }

  /** The paragraph carrying an action item, if the tagger has seen it. */
  elementFor(room: Room, id: string): Y.XmlElement | undefined {
    const el = this.rooms.get(room)?.tracked.get(id);
    return el && isAlive(el) ? el : undefined;
  }

  /** An item ticked in the notes: its carried-forward copies follow, in their own notes. */
  private mirror(state: RoomState, id: string, status: 'open' | 'done'): void {
    mirrorLinked({ repo: this.opts.repo, rooms: state.rooms, tagger: this, now: this.opts.now }, id, status).catch((err: unknown) =>
      this.opts.log.warn('linked status update failed', { id, error: String(err) }),
    );
  }

  private markDirty(state: RoomState, ev: Y.YEvent<Y.XmlElement>): void {
    const target = ev.target as unknown;
    if (target instanceof Y.XmlText) {
      const parent = target.parent;
      if (parent instanceof Y.XmlElement && parent.nodeName === 'paragraph') state.dirty.add(parent);
      return;
    }
    if (ev.changes.added.size > 0 || ev.changes.deleted.size > 0) {
      state.structureChanged = true;
      state.positionIndex.clear();
    }
    if (target instanceof Y.XmlElement) {
      // Attribute changes (a ticked checkbox) and children changes both matter.
      for (const p of collectParagraphsShallow(target)) state.dirty.add(p);
    }
    for (const item of ev.changes.added) {
      for (const content of item.content.getContent() as unknown[]) {
        if (content instanceof Y.XmlElement) collectParagraphs(content).forEach((p) => state.dirty.add(p));
      }
    }
  }

  /**
   * Tagging runs `debounceMs` after the last edit, and at most `maxWaitMs`
   * after the first. This runs on every edit: it only notes the time, and the
   * one timer, when it fires, waits on if the deadline moved meanwhile
   * (re-arming a timer per keystroke cost more than the tagging itself).
   */
  private schedule(room: Room, state: RoomState): void {
    const now = Date.now();
    state.lastDirtyAt = now;
    if (state.timer) return;
    state.firstDirtyAt = now;
    this.arm(room, state, Math.min(this.opts.debounceMs ?? 300, this.opts.maxWaitMs ?? 900));
  }

  private arm(room: Room, state: RoomState, wait: number): void {
    state.timer = setTimeout(() => this.fire(room, state), Math.max(0, wait));
    state.timer.unref();
  }

  private fire(room: Room, state: RoomState): void {
    state.timer = null;
    const due = Math.min(state.lastDirtyAt + (this.opts.debounceMs ?? 300), state.firstDirtyAt + (this.opts.maxWaitMs ?? 900));
    const now = Date.now();
    if (now < due) return this.arm(room, state, due - now);
    // Tag durable notes only (a commit is in flight for a few ms): the index never runs ahead of the stored notes.
    if (room.hasUncommitted() && !room.broken) return this.arm(room, state, 5);
    // Not ours to tag: what changed stays marked, for a preview here or for the day this process takes over
    // (with its writers' names: the connections themselves are not kept that long).
    if (this.opts.lease && !this.opts.lease.holds(room.docId)) return void writersOf(room, state);
    this.enqueue(room, state).catch((err: unknown) => {
      this.opts.log.error('action-item tagging failed', { docId: room.docId, error: err instanceof Error ? err.stack : String(err) });
    });
  }

  private async run(room: Room, state: RoomState): Promise<void> {
    const plan = await this.plan(
      room,
      state,
      (el) => {
        // The id a preview showed for this paragraph, so what a reader saw is what gets indexed.
        const reserved = state.reserved.get(el);
        state.reserved.delete(el);
        return reserved ?? stableItemId(room.docId, el);
      },
      () => writersOf(room, state),
    );
    for (const el of state.reserved.keys()) if (!isAlive(el)) state.reserved.delete(el);
    if (!plan) return;
    const { ctx, upserts, removed, moved } = plan;
    const now = (this.opts.now?.() ?? new Date()).toISOString();
    if (upserts.length > 0 || removed.length > 0 || plan.fullScan) {
      state.indexing = new Set(upserts.map((u) => u.id));
      try {
        const before = await Promise.all(upserts.map((u) => this.opts.repo.find(u.id)));
        const flipped = upserts.filter((u, i) => before[i] !== undefined && before[i].status !== u.status);
        await this.opts.repo.apply(upserts, removed, now, moved);
        this.opts.changed(ctx.eventId, room.docId);
        for (const u of flipped) this.mirror(state, u.id, u.status);
      } finally {
        state.indexing = new Set();
      }
    } else if (moved.length > 0) {
      await this.opts.repo.apply([], [], now, moved);
      this.opts.changed(ctx.eventId, room.docId);
    }
  }

  /**
   * Tags what changed in `room`'s document (writing ids and statuses into it)
   * and says what the index must change; reads the index, never writes it.
   */
  private async plan(room: TaggableDoc, state: RoomState, freshId: (el: Y.XmlElement) => string, writers: () => ReadonlySet<string>): Promise<TaggingPlan | null> {
    if (room.broken) return null;
    const ctx = await this.opts.sessionContext(room.docId);
    if (!ctx) return null;
    const fragment = room.doc.getXmlFragment(NOTES_FRAGMENT);
    // Where the ids on blocks this room does not track yet were indexed (a paragraph pasted from
    // another session carries that session's id). Read before the document part, which runs in one go.
    const lookup = (state.fullScan ? collectParagraphs(fragment) : [...state.dirty].filter(isAlive))
      .map(actionItemIdOf)
      .filter((id): id is string => id !== null && !state.tracked.has(id));
    const indexedIn = lookup.length > 0 ? await this.opts.repo.sessionsOf(lookup) : new Map<string, string>();
    const looked = new Set(lookup);
    const local = new Set(state.tracked.keys());
    if (room.broken) return null;
    // Read after the awaits, with the paragraphs: edits that came meanwhile are read too, and so are their writers.
    const knownNames = withWriters(ctx.knownNames ?? [], writers());
    const namesKey = knownNamesKey(knownNames);
    const candidates = state.fullScan ? collectParagraphs(fragment) : [...state.dirty].filter(isAlive);
    // A name became known (or stopped being): items tagged without it are parsed again; a name only ever changes an item's owners.
    const recheck = new Set<Y.XmlElement>();
    if (!state.fullScan && state.namesKey !== null && state.namesKey !== namesKey) {
      const dirty = new Set(candidates);
      for (const el of state.tracked.values()) if (isAlive(el) && !dirty.has(el)) recheck.add(el);
      candidates.push(...recheck);
    }
    state.namesKey = namesKey;
    const fullScan = state.fullScan;
    const structureChanged = state.structureChanged;
    state.fullScan = false;
    state.structureChanged = false;
    state.dirty.clear();

    const removed: string[] = [];
    for (const [id, el] of state.tracked) {
      if (!isAlive(el) || el.getAttribute('actionItemId') !== id) {
        untrack(state, id);
        removed.push(id);
      }
    }

    const upserts: ActionItemUpsert[] = [];
    const writes: (() => void)[] = [];
    const seenThisRun = new Set<string>();
    const read = candidates.map((el) => {
      const block = describeParagraph(el);
      const maybe = isItemLine(el) && (block.kind === 'taskItem' || mayBeActionItem(block.text));
      const parsed: ParsedActionItem | null = maybe ? parseActionItem(block, { sessionDate: ctx.sessionDate, knownNames }) : null;
      return { el, block, parsed };
    });
    // Blocks that stopped being items first: they release their ids before anything claims one,
    // whatever order the changes came in.
    read.sort((a, b) => Number(a.parsed !== null) - Number(b.parsed !== null));
    for (const { el, block, parsed } of read) {
      // Not an id (any value a client wrote): an item gets a fresh one, any other block loses it.
      const currentId = actionItemIdOf(el) ?? undefined;
      if (!parsed) {
        if (el.getAttribute('actionItemId') !== undefined) {
          writes.push(() => {
            el.removeAttribute('actionItemId');
            el.removeAttribute('actionStatus');
          });
          // Only the block that owns the id takes the item with it: Enter at the start of an action
          // line leaves an empty copy of its attributes above it, and the item itself lives on below.
          if (currentId !== undefined && state.tracked.get(currentId) === el) {
            untrack(state, currentId);
            removed.push(currentId);
          }
        }
        continue;
      }
      let id = currentId;
      // A split or copied paragraph carries its original's id: the copy gets its own. So does a
      // paragraph pasted from another session's notes, whose id belongs to that session's item.
      const owner = id ? state.tracked.get(id) : undefined;
      // An id that appeared while the look-up ran was not looked up: it gets a fresh id, which is always safe.
      const foreign = id !== undefined && !owner && !local.has(id) && (!looked.has(id) || (indexedIn.has(id) && indexedIn.get(id) !== room.docId));
      if (!id || seenThisRun.has(id) || (owner && owner !== el && isAlive(owner)) || foreign) {
        const fresh = freshId(el);
        // A block's own stable id already taken here (by a copy of it) falls back to a random one.
        id = fresh === currentId || seenThisRun.has(fresh) || (state.tracked.has(fresh) && state.tracked.get(fresh) !== el) ? newId() : fresh;
      }
      seenThisRun.add(id);
      state.tracked.set(id, el);
      // A real checkbox or a typed box ("[x]") is the truth; other items keep the status set on the
      // board, but a copy starts from its own text, not from the status its original had.
      const boardStatus = id === currentId ? statusAttr(el) : undefined;
      const status = block.kind === 'taskItem' || parsed.source === 'task' ? parsed.status : boardStatus ?? parsed.status;
      if (id !== currentId || el.getAttribute('actionStatus') !== status) {
        const finalId = id;
        writes.push(() => {
          if (el.getAttribute('actionItemId') !== finalId) el.setAttribute('actionItemId', finalId);
          if (el.getAttribute('actionStatus') !== status) el.setAttribute('actionStatus', status);
        });
      }
      const owners = JSON.stringify(parsed.owners);
      // Parsed again only for the names, and its owners (and place) are the same: nothing to index.
      if (recheck.has(el) && id === currentId && state.owners.get(id) === owners && state.positions.get(id) === state.positionIndex.positionOf(el)) continue;
      state.owners.set(id, owners);
      upserts.push({
        id,
        eventId: ctx.eventId,
        sessionId: room.docId,
        text: parsed.text,
        owners: parsed.owners,
        due: parsed.due,
        tags: parsed.tags,
        status,
        source: parsed.source,
        position: state.positionIndex.positionOf(el),
      });
      state.positions.set(id, upserts[upserts.length - 1]!.position);
    }
    const stillRemoved = removed.filter((id) => !seenThisRun.has(id));
    // Blocks added or removed above an item move it: re-index the positions that changed, nothing else.
    const moved: { id: string; position: string }[] = [];
    if (structureChanged && !fullScan) {
      for (const [id, el] of state.tracked) {
        if (seenThisRun.has(id)) continue;
        const position = state.positionIndex.positionOf(el);
        if (state.positions.get(id) !== position) {
          state.positions.set(id, position);
          moved.push({ id, position });
        }
      }
    }
    if (writes.length > 0) {
      room.doc.transact(() => {
        for (const w of writes) w();
      }, TAGGER_ORIGIN);
    }
    if (fullScan) {
      // The document is the truth: index rows for blocks that no longer exist go.
      const known = new Set(upserts.map((u) => u.id));
      for (const row of await this.opts.repo.listBySession(room.docId)) if (!known.has(row.id)) stillRemoved.push(row.id);
    }
    return { ctx, upserts, removed: stillRemoved, moved, fullScan };
  }
}

export interface TaggingPreview {
  /** The session's live items, in document order (what `listBySession` will return after the run). */
  items: ActionItemRow[];
  /** The notes with the pending tagging in them (a Yjs update of the whole document). */
  notesState: Uint8Array;
}

function freshState(rooms: Rooms, observer: RoomState['observer']): RoomState {
  return {
    rooms,
    dirty: new Set(),
    fullScan: true,
    tracked: new Map(),
    positions: new Map(),
    owners: new Map(),
    positionIndex: new PositionIndex(),
    structureChanged: false,
    timer: null,
    firstDirtyAt: 0,
    lastDirtyAt: 0,
    running: Promise.resolve(),
    reserved: new Map(),
    indexing: new Set(),
    writers: new Set(),
    editors: new Set(),
    namesKey: null,
    observer,
  };
}

function untrack(state: RoomState, id: string): void {
  state.tracked.delete(id);
  state.positions.delete(id);
  state.owners.delete(id);
}

/**
 * The names of everyone whose edits the room has seen: batches' writers
 * (this process's and, through the bus, others'), and the presence names of
 * those who edited since the last run (their batch may not be taken yet).
 */
function writersOf(room: Room, state: RoomState): ReadonlySet<string> {
  for (const origin of state.editors) {
    const conn = origin as Connection;
    const name = room.conns.has(conn) ? room.nameOf(conn) : null;
    if (name) state.writers.add(name);
  }
  state.editors.clear();
  return state.writers;
}

function withWriters(known: readonly string[], writers: ReadonlySet<string>): readonly string[] {
  return writers.size === 0 ? known : [...known, ...writers];
}

/** The known names as the parser compares them, in one string. */
function knownNamesKey(names: readonly string[]): string {
  return [...new Set(names.map(ownerKey))].sort().join('\n');
}

/** What tagging reads and writes of a room: its document (the live one, or a copy for a preview). */
type TaggableDoc = Pick<Room, 'doc' | 'docId' | 'broken'>;

interface TaggingPlan {
  ctx: SessionContext;
  upserts: ActionItemUpsert[];
  removed: string[];
  moved: { id: string; position: string }[];
  /** Every item of the document is in `upserts` (the first run, or a preview). */
  fullScan: boolean;
}

function statusAttr(el: Y.XmlElement): 'open' | 'done' | undefined {
  const v = el.getAttribute('actionStatus') as unknown;
  return v === 'open' || v === 'done' ? v : undefined;
}

/** Paragraphs that are `el` itself or its direct item lines (a ticked task item's line). */
function collectParagraphsShallow(el: Y.XmlElement): Y.XmlElement[] {
  if (el.nodeName === 'paragraph') return [el];
  if (el.nodeName === 'taskItem' || el.nodeName === 'listItem') {
    return el.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
  }
  return [];
}
