import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import { HISTORY_PAGE_DEFAULT, type AuthorCharsDto, type HistoryAuthor, type HistoryListDto, type NamedVersionDto, type VersionDocDto, type VersionSummary } from '../../shared/history/history.js';
import { notesToMarkdown } from '../../shared/minutes/markdown.js';
import { notesToText } from '../../shared/minutes/text.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { CommitQueue } from '../collab/commitQueue.js';
import type { Room } from '../collab/room.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import { DomainError } from '../domainError.js';
import type { DocStore } from '../storage/docStore.js';
import { actionItemIdOf } from '../actionItems/blocks.js';
import { describeKey, kindKey, personKey, visibleKeys, visibleLabels, type AuthorKey } from './authorKeys.js';
import type { Binding } from './authorRepo.js';
import type { HistoryRecorder } from './historyRecorder.js';
import type { SchemaLoader } from '../notesSchemaLoader.js';
import type { HistoryStore } from './historyStore.js';
import type { HistoryViews } from './historyViews.js';
import { RESTORE_ORIGIN } from './origins.js';
import { readVersion } from './readVersion.js';
import { BlockNotFound, restoreBlock, restoreWhole, revertAuthor, type LaterRevision } from './restoreChange.js';
import { revisionParts, type Timeline, type TimelineRevision } from './timeline.js';

export interface HistoryServiceDeps {
  store: HistoryStore;
  recorder: HistoryRecorder;
  views: HistoryViews;
  registry: Pick<RoomRegistry, 'get' | 'acquire' | 'release'>;
  commitQueue: Pick<CommitQueue, 'whenIdle'>;
  docStore: Pick<DocStore, 'load'>;
  /** The history schema (notes schema plus author and change marks), built by the first view. */
  schema: SchemaLoader;
  pauseMs: number;
}

/** A restore-like change, read and ready: computed against the live notes in the same turn it is applied. */
interface PreparedChange {
  /** The display name of who asked for the change, credited on its revision next to `restore`. */
  by?: string;
  compute(): Uint8Array | null;
  dispose(): void;
}

/** Text of the notes for md and txt: the history marks and block ids left out. */
function plainNotes(doc: JSONContent): JSONContent {
  const stack: JSONContent[] = [doc];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.marks) {
      n.marks = n.marks.filter((m) => m.type !== 'author' && m.type !== 'change');
      if (n.marks.length === 0) delete n.marks;
    }
    if (n.attrs && 'blockId' in n.attrs) delete n.attrs.blockId;
    for (const c of n.content ?? []) stack.push(c);
  }
  return doc;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Characters (code points) of the visible notes, by the Yjs client id that typed them. */
export function charsByClient(doc: Y.Doc): Map<number, number> {
  const out = new Map<number, number>();
  const stack: Y.AbstractType<unknown>[] = [doc.getXmlFragment(NOTES_FRAGMENT) as unknown as Y.AbstractType<unknown>];
  while (stack.length) {
    const type = stack.pop()!;
    for (let item = type._start; item; item = item.right) {
      if (item.deleted) continue;
      if (item.content instanceof Y.ContentString) {
        const s = item.content.str;
        let n = s.length;
        for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800 && s.charCodeAt(i) <= 0xdbff) n--;
        out.set(item.id.client, (out.get(item.id.client) ?? 0) + n);
      } else if (item.content instanceof Y.ContentType) {
        stack.push(item.content.type as Y.AbstractType<unknown>);
      }
    }
  }
  return out;
}

/** The action items (ids the tagger set on blocks) in the visible notes. */
function actionItemIds(doc: Y.Doc): Set<string> {
  const out = new Set<string>();
  const stack: (Y.XmlFragment | Y.XmlElement)[] = [doc.getXmlFragment(NOTES_FRAGMENT)];
  while (stack.length) {
    for (const child of stack.pop()!.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      const id = actionItemIdOf(child);
      if (id) out.add(id);
      stack.push(child);
    }
  }
  return out;
}

/**
 * History of the notes: the list of revisions, any revision's notes with who
 * wrote each run (or what changed between two), the authors of the current
 * notes, named versions, and restores as forward changes through the live
 * room. Reads come from storage (folded revisions and the update log) and the
 * in-memory views; writes go through the room like every other server write.
 */
export class HistoryService {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: HistoryServiceDeps) {}

  /** Client id bindings of a document: storage, plus what a live room bound since it loaded. */
  async bindings(docId: string): Promise<ReadonlyMap<number, Binding>> {
    const room = this.deps.registry.get(docId);
    return (room && this.deps.recorder.bindingsOf(room)) ?? (await this.deps.store.bindingsOf(docId));
  }

  async timeline(docId: string): Promise<Timeline> {
    return this.deps.store.timeline(docId, await this.bindings(docId));
  }

  private colors(bindings: ReadonlyMap<number, Binding>): Map<AuthorKey, string> {
    const out = new Map<AuthorKey, string>();
    for (const b of bindings.values()) if (b.color && !out.has(b.key)) out.set(b.key, b.color);
    return out;
  }

  private authorOf(bindings: ReadonlyMap<number, Binding>, colors: ReadonlyMap<AuthorKey, string>): (client: number) => HistoryAuthor {
    const cache = new Map<number, HistoryAuthor>();
    return (client) => {
      let a = cache.get(client);
      if (!a) cache.set(client, (a = describeKey(bindings.get(client)?.key ?? kindKey('unknown'), colors)));
      return a;
    };
  }

  async list(docId: string, opts: { before?: number; limit?: number }): Promise<HistoryListDto> {
    const timeline = await this.timeline(docId);
    const named = new Map((await this.deps.store.versions(docId)).map((v) => [v.rev, v.name]));
    const limit = opts.limit ?? HISTORY_PAGE_DEFAULT;
    const older = timeline.revisions.filter((r) => opts.before === undefined || r.rev < opts.before);
    const page = older.slice(-limit).reverse();
    const colors = this.colors(await this.bindings(docId));
    const people = new Map<string, HistoryAuthor>();
    const versions = page.map((r): VersionSummary => {
      for (const k of visibleKeys(r.authors)) {
        const a = describeKey(k, colors);
        people.set(`${a.kind}:${a.name}`, a);
      }
      return {
        rev: r.rev,
        at: iso(r.endedAt),
        startedAt: iso(r.startedAt),
        authors: visibleLabels(r.authors),
        ...(named.has(r.rev) ? { named: named.get(r.rev)! } : {}),
        ...(r.base ? { kind: 'base' as const } : {}),
      };
    });
    return { versions, latest: timeline.revisions.at(-1)?.rev ?? 0, more: older.length > page.length, people: [...people.values()] };
  }

  private revisionOr404(timeline: Timeline, rev: number): TimelineRevision {
    const r = timeline.revisions.find((x) => x.rev === rev);
    if (!r) throw new DomainError('revision_not_found', { rev, latest: timeline.revisions.at(-1)?.rev ?? 0 });
    return r;
  }

  /** A revision's notes with authorship (or, with `diff`, what changed since that revision). */
  async version(docId: string, rev: number, opts: { diff?: number } = {}): Promise<VersionDocDto> {
    const timeline = await this.timeline(docId);
    this.revisionOr404(timeline, rev);
    if (opts.diff !== undefined && opts.diff !== 0) this.revisionOr404(timeline, opts.diff);
    // A diff reads the later version and marks what changed since the earlier one (0: the empty notes).
    const lo = opts.diff === undefined ? undefined : Math.min(opts.diff, rev);
    const hi = opts.diff === undefined ? rev : Math.max(opts.diff, rev);
    const bindings = await this.bindings(docId);
    const view = await this.deps.views.viewFor(docId, timeline, lo ? lo : hi);
    const read = readVersion(view.doc, {
      at: view.snapshot(hi),
      from: lo === undefined ? undefined : lo === 0 ? Y.emptySnapshot : view.snapshot(lo),
      authorOf: this.authorOf(bindings, this.colors(bindings)),
      schema: await this.deps.schema(),
    });
    return {
      rev: hi,
      at: iso(timeline.revisions.find((x) => x.rev === hi)!.endedAt),
      ...(lo !== undefined ? { diffFrom: lo } : {}),
      doc: read.doc,
      authors: read.authors.map(({ name, kind, color }) => ({ name, kind, color })),
    };
  }

  /** A revision's notes as Markdown or plain text. */
  async versionText(docId: string, rev: number, format: 'md' | 'txt'): Promise<string> {
    const { doc } = await this.version(docId, rev);
    const plain = plainNotes(doc as JSONContent);
    return format === 'md' ? notesToMarkdown(plain) + '\n' : notesToText(plain);
  }

  /** The document as it was right after `rev`, rebuilt from the nearest checkpoint (gc off). */
  async docAt(docId: string, rev: number, known?: Timeline): Promise<Y.Doc> {
    const timeline = known ?? (await this.timeline(docId));
    this.revisionOr404(timeline, rev);
    const stored = await this.deps.store.checkpointAt(docId, rev);
    const checkpoint = stored ?? (timeline.pendingBase && rev >= 1 ? { rev: 1, data: timeline.pendingBase } : undefined);
    const doc = new Y.Doc({ gc: false });
    const parts: Uint8Array[] = checkpoint ? [checkpoint.data] : [];
    for (const r of timeline.revisions) {
      if (r.rev > (checkpoint?.rev ?? 0) && r.rev <= rev) parts.push(...(await revisionParts(this.deps.store, docId, timeline, r)));
    }
    if (parts.length > 0) Y.applyUpdate(doc, parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts));
    return doc;
  }

  /** Who wrote the current notes: characters per author, most first, with the client ids each is bound to. */
  async authorsNow(docId: string): Promise<AuthorCharsDto[]> {
    const room = this.deps.registry.get(docId);
    let chars: Map<number, number>;
    if (room) chars = charsByClient(room.doc);
    else {
      const stored = await this.deps.docStore.load(docId);
      const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
      const doc = new Y.Doc();
      try {
        if (parts.length) Y.applyUpdate(doc, parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts));
        chars = charsByClient(doc);
      } finally {
        doc.destroy();
      }
    }
    const bindings = await this.bindings(docId);
    const colors = this.colors(bindings);
    const byAuthor = new Map<string, AuthorCharsDto>();
    const add = (key: AuthorKey, client: number, n: number) => {
      const a = describeKey(key, colors);
      const id = `${a.kind}:${a.name}`;
      let e = byAuthor.get(id);
      if (!e) byAuthor.set(id, (e = { ...a, chars: 0, clients: [] }));
      e.chars += n;
      if (!e.clients.includes(client)) e.clients.push(client);
    };
    for (const [client, n] of chars) add(bindings.get(client)?.key ?? kindKey('unknown'), client, n);
    // People bound to the notes whose text is all gone still wrote: they count from 0.
    for (const [client, b] of bindings) if (b.key.startsWith('p:')) add(b.key, client, 0);
    return [...byAuthor.values()].sort((a, b) => b.chars - a.chars || a.name.localeCompare(b.name));
  }

  /** Note-takers of a version for the minutes: people by how much of that version's text they wrote. */
  async noteTakersAt(docId: string, doc: Y.Doc): Promise<string[]> {
    const bindings = await this.bindings(docId);
    const byName = new Map<string, number>();
    for (const [client, n] of charsByClient(doc)) {
      const key = bindings.get(client)?.key;
      if (key?.startsWith('p:') && n > 0) byName.set(key.slice(2), (byName.get(key.slice(2)) ?? 0) + n);
    }
    return [...byName.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([n]) => n);
  }

  /** Note-takers of the current notes: people by characters of the text that is theirs, most first. */
  async noteTakers(docId: string): Promise<string[]> {
    return (await this.authorsNow(docId)).filter((a) => a.kind === 'person' && a.chars > 0).map((a) => a.name);
  }

  /** What the minutes take from history (server/minutes/minutesSource.ts). */
  readonly minutes = {
    noteTakers: (docId: string): Promise<string[]> => this.noteTakers(docId),
    version: (docId: string, rev: number) => this.minutesVersion(docId, rev),
  };

  /** A past version for the minutes: its state, its note-takers, the action items in it. */
  async minutesVersion(docId: string, rev: number): Promise<{ state: Uint8Array; noteTakers: string[]; actionItemIds: Set<string> }> {
    const doc = await this.docAt(docId, rev);
    try {
      return { state: Y.encodeStateAsUpdate(doc), noteTakers: await this.noteTakersAt(docId, doc), actionItemIds: actionItemIds(doc) };
    } finally {
      doc.destroy();
    }
  }

  versions(docId: string): Promise<NamedVersionDto[]> {
    return this.deps.store.versions(docId);
  }

  async nameVersion(docId: string, rev: number, name: string): Promise<NamedVersionDto> {
    this.revisionOr404(await this.timeline(docId), rev);
    const at = new Date().toISOString();
    await this.deps.store.nameVersion(docId, rev, name, at);
    return { rev, name, at };
  }

  /**
   * Restores the notes (or one block) to a revision, as a forward change every
   * open editor receives; `by` (a display name) is credited on its revision.
   */
  restore(docId: string, rev: number, blockId?: string, by?: string): Promise<{ rev: number }> {
    return this.withRoom(docId, async (room) => {
      const timeline = await this.timeline(docId);
      this.revisionOr404(timeline, rev);
      const target = await this.docAt(docId, rev, timeline);
      const clientId = this.deps.recorder.serverClientId(room, 'restore');
      return {
        by,
        compute: () => {
          try {
            return blockId ? restoreBlock(target, room.doc, blockId, clientId) : restoreWhole(target, room.doc, clientId);
          } catch (err) {
            if (err instanceof BlockNotFound) throw new DomainError('block_not_found', { blockId: err.message, rev });
            throw err;
          }
        },
        dispose: () => target.destroy(),
      };
    });
  }

  /**
   * Undoes what one author wrote or deleted since a time: their revisions
   * after it are undone, everyone else's changes stay; `by` (a display name,
   * the moderator's) is credited on its revision next to `restore`.
   */
  async revertAuthor(docId: string, name: string, sinceMs: number, by?: string): Promise<{ rev: number; reverted: number }> {
    let reverted = 0;
    const key = personKey(name);
    const result = await this.withRoom(docId, async (room) => {
      const timeline = await this.timeline(docId);
      if (!timeline.revisions.some((r) => r.authors.includes(key))) throw new DomainError('author_not_found', { name });
      // The version just before: the newest revision that ended before the time (none: from the empty notes).
      const base = timeline.revisions.filter((r) => r.endedAt < sinceMs).at(-1);
      const target = base ? await this.docAt(docId, base.rev, timeline) : new Y.Doc({ gc: false });
      const later: LaterRevision[] = [];
      for (const r of timeline.revisions) {
        if (r.rev <= (base?.rev ?? 0)) continue;
        // A restore's revision names who asked for it, but its text is the restore's, not theirs: never undone as theirs
        // (what anyone typed into the same batch is still removed below, by client id).
        const restore = r.authors.includes(kindKey('restore'));
        const undo = !restore && r.authors.filter((k) => k.startsWith('p:') || k === kindKey('anonymous')).every((k) => k === key) && r.authors.includes(key);
        later.push({ parts: await revisionParts(this.deps.store, docId, timeline, r), undo });
      }
      const clients = new Set([...(await this.bindings(docId))].filter(([, b]) => b.key === key).map(([c]) => c));
      return {
        by,
        compute: () => {
          const out = revertAuthor(target, later, room.doc, clients, this.deps.recorder.serverClientId(room, 'restore'));
          reverted = out.reverted;
          return out.update;
        },
        dispose: () => target.destroy(),
      };
    });
    return { rev: result.rev, reverted };
  }

  /**
   * Runs a restore-like change on the live room: one at a time per document;
   * what it needs is read first, then the change is computed against the live
   * notes and applied in one go (or not at all), then committed; answers the
   * revision that holds it.
   */
  private withRoom(docId: string, prepare: (room: Room) => Promise<PreparedChange>): Promise<{ rev: number }> {
    const job = (this.locks.get(docId) ?? Promise.resolve()).then(() => this.applyToRoom(docId, prepare));
    const settled = job.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(docId, settled);
    void settled.then(() => {
      if (this.locks.get(docId) === settled) this.locks.delete(docId);
    });
    return job;
  }

  private async applyToRoom(docId: string, prepare: (room: Room) => Promise<PreparedChange>): Promise<{ rev: number }> {
    const room = await this.deps.registry.acquire(docId);
    room.pins++;
    try {
      if (room.damaged) throw new DomainError('notes_damaged');
      const prepared = await prepare(room);
      let update: Uint8Array | null;
      const before = room.lastSeq;
      try {
        if (room.damaged) throw new DomainError('notes_damaged');
        if (room.broken) throw new DomainError('restore_failed');
        // Computed and applied in one turn of the event loop: nothing else changes the room in between.
        const computed = (update = prepared.compute());
        if (computed) {
          try {
            this.deps.recorder.crediting(room, prepared.by ?? null, () => Y.applyUpdate(room.doc, computed, RESTORE_ORIGIN));
          } catch (err) {
            room.fault('applying a restore', err);
            throw new DomainError('restore_failed');
          }
        }
      } finally {
        prepared.dispose();
      }
      await this.deps.commitQueue.whenIdle();
      if (room.broken) throw new DomainError('restore_failed');
      const timeline = await this.timeline(docId);
      const restoreKey = kindKey('restore');
      const mine = update ? timeline.revisions.find((r) => r.lastSeq > before && r.authors.includes(restoreKey)) : undefined;
      return { rev: mine?.rev ?? timeline.revisions.at(-1)?.rev ?? 0 };
    } finally {
      room.pins--;
      this.deps.registry.release(room);
    }
  }
}
