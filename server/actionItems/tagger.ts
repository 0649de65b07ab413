import * as Y from 'yjs';
import { parseActionItem, type ParsedActionItem } from '../../shared/actionItems/parse.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { newId } from '../newId.js';
import type { Logger } from '../logger.js';
import type { Room } from '../collab/room.js';
import type { RoomExtension, Rooms } from '../collab/roomExtension.js';
import { mirrorLinked, type TaggedBlocks } from './linkedStatus.js';
import type { ActionItemRepo, ActionItemUpsert } from '../storage/actionItemRepo.js';
import { collectParagraphs, describeParagraph, isAlive, isItemLine, PositionIndex } from './blocks.js';

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
  repo: ActionItemRepo;
  log: Logger;
  sessionContext(sessionId: string): SessionContext | null;
  /** Called after the index of a session changed. */
  changed(eventId: string, sessionId: string): void;
  /** Quiet time after the last edit before tagging runs. */
  debounceMs?: number;
  /** Tagging runs at least this often while people keep typing. */
  maxWaitMs?: number;
  now?: () => Date;
}

interface RoomState {
  /** The server's rooms, for mirroring a ticked item into its linked copies. */
  rooms: Rooms;
  dirty: Set<Y.XmlElement>;
  fullScan: boolean;
  tracked: Map<string, Y.XmlElement>;
  /** Each tracked item's stored position, so moved items are re-indexed only when they really moved. */
  positions: Map<string, string>;
  /** Sibling indexes, valid until blocks are added or removed anywhere (typing keeps them valid). */
  positionIndex: PositionIndex;
  /** Blocks were added or removed since the last run: every tracked item may have moved. */
  structureChanged: boolean;
  timer: NodeJS.Timeout | null;
  firstDirtyAt: number;
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

  constructor(private readonly opts: TaggerOptions) {}

  loaded(room: Room, rooms: Rooms): void {
    const fragment = room.doc.getXmlFragment(NOTES_FRAGMENT);
    const state: RoomState = {
      rooms,
      dirty: new Set(),
      fullScan: true,
      tracked: new Map(),
      positions: new Map(),
      positionIndex: new PositionIndex(),
      structureChanged: false,
      timer: null,
      firstDirtyAt: 0,
      observer: (events, tr) => {
        if (tr.origin === TAGGER_ORIGIN) return;
        for (const ev of events) this.markDirty(state, ev);
        this.schedule(room, state);
      },
    };
    fragment.observeDeep(state.observer);
    this.rooms.set(room, state);
    this.schedule(room, state);
  }

  beforeUnload(room: Room): void {
    this.flush(room);
  }

  unloaded(room: Room): void {
    const state = this.rooms.get(room);
    if (!state) return;
    if (state.timer) clearTimeout(state.timer);
    room.doc.getXmlFragment(NOTES_FRAGMENT).unobserveDeep(state.observer);
    this.rooms.delete(room);
  }

  /** Runs pending tagging now (tests, shutdown, and before answering the API). */
  flush(room: Room): void {
    const state = this.rooms.get(room);
    if (!state) return;
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    this.run(room, state);
  }

  /** The context year-less due dates of `sessionId` resolve against. */
  contextOf(sessionId: string): SessionContext | null {
    return this.opts.sessionContext(sessionId);
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

  private schedule(room: Room, state: RoomState): void {
    const debounce = this.opts.debounceMs ?? 300;
    const maxWait = this.opts.maxWaitMs ?? 900;
    const now = Date.now();
    if (!state.timer) state.firstDirtyAt = now;
    else clearTimeout(state.timer);
    const wait = Math.max(0, Math.min(debounce, state.firstDirtyAt + maxWait - now));
    const fire = () => {
      state.timer = null;
      // Tag durable notes only (a commit is in flight for a few ms): then the note-takers of those edits are known too.
      if (room.hasUncommitted() && !room.broken) {
        state.timer = setTimeout(fire, 5);
        state.timer.unref();
        return;
      }
      try {
        this.run(room, state);
      } catch (err) {
        this.opts.log.error('action-item tagging failed', { docId: room.docId, error: err instanceof Error ? err.stack : String(err) });
      }
    };
    state.timer = setTimeout(fire, wait);
    state.timer.unref();
  }

  private run(room: Room, state: RoomState): void {
    if (room.broken) return;
    const ctx = this.opts.sessionContext(room.docId);
    if (!ctx) return;
    const fragment = room.doc.getXmlFragment(NOTES_FRAGMENT);
    const candidates = state.fullScan ? collectParagraphs(fragment) : [...state.dirty].filter(isAlive);
    const fullScan = state.fullScan;
    const structureChanged = state.structureChanged;
    state.fullScan = false;
    state.structureChanged = false;
    state.dirty.clear();

    const removed: string[] = [];
    for (const [id, el] of state.tracked) {
      if (!isAlive(el) || el.getAttribute('actionItemId') !== id) {
        state.tracked.delete(id);
        state.positions.delete(id);
        removed.push(id);
      }
    }

    const upserts: ActionItemUpsert[] = [];
    const writes: (() => void)[] = [];
    const seenThisRun = new Set<string>();
    const read = candidates.map((el) => {
      const block = describeParagraph(el);
      const parsed: ParsedActionItem | null = isItemLine(el) ? parseActionItem(block, { sessionDate: ctx.sessionDate, knownNames: ctx.knownNames }) : null;
      return { el, block, parsed };
    });
    // Blocks that stopped being items first: they release their ids before anything claims one,
    // whatever order the changes came in.
    read.sort((a, b) => Number(a.parsed !== null) - Number(b.parsed !== null));
    for (const { el, block, parsed } of read) {
      const currentId = el.getAttribute('actionItemId') as string | undefined;
      if (!parsed) {
        if (currentId) {
          writes.push(() => {
            el.removeAttribute('actionItemId');
            el.removeAttribute('actionStatus');
          });
          // Only the block that owns the id takes the item with it: Enter at the start of an action
          // line leaves an empty copy of its attributes above it, and the item itself lives on below.
          if (state.tracked.get(currentId) === el) {
            state.tracked.delete(currentId);
            state.positions.delete(currentId);
            removed.push(currentId);
          }
        }
        continue;
      }
      let id = currentId;
      // A split or copied paragraph carries its original's id: the copy gets its own. So does a
      // paragraph pasted from another session's notes, whose id belongs to that session's item.
      const owner = id ? state.tracked.get(id) : undefined;
      const indexedIn = id && !owner ? this.opts.repo.sessionOf(id) : undefined;
      if (!id || seenThisRun.has(id) || (owner && owner !== el && isAlive(owner)) || (indexedIn !== undefined && indexedIn !== room.docId)) {
        id = newId();
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
    if (upserts.length > 0 || stillRemoved.length > 0 || fullScan) {
      if (fullScan) {
        // The document is the truth: index rows for blocks that no longer exist go.
        const known = new Set(upserts.map((u) => u.id));
        for (const row of this.opts.repo.listBySession(room.docId)) if (!known.has(row.id)) stillRemoved.push(row.id);
      }
      const flipped = upserts.filter((u) => {
        const prev = this.opts.repo.find(u.id);
        return prev !== undefined && prev.status !== u.status;
      });
      this.opts.repo.apply(upserts, stillRemoved, (this.opts.now?.() ?? new Date()).toISOString(), moved);
      this.opts.changed(ctx.eventId, room.docId);
      for (const u of flipped) this.mirror(state, u.id, u.status);
    } else if (moved.length > 0) {
      this.opts.repo.apply([], [], (this.opts.now?.() ?? new Date()).toISOString(), moved);
      this.opts.changed(ctx.eventId, room.docId);
    }
  }
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
