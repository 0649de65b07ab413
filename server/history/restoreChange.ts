import * as Y from 'yjs';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { KEPT_ORIGIN, TRACKED_ORIGIN } from './origins.js';

/**
 * Restores as forward changes: nothing stored is rewritten. Each function
 * takes `target`, a document without garbage collection holding the notes as
 * they were at the version to go back to (it is changed: pass a fresh one),
 * and returns the one update that brings the live document back, with every
 * inserted character written by `clientId` (bound to "restore"), or null
 * when nothing differs. The technique: apply to the copy what happened
 * since, as tracked changes, and let a Y.UndoManager undo them there. The
 * undo keeps the identity of everything else, so an edit made concurrently
 * elsewhere (one the server had not seen yet) survives the restore, and an
 * offline client merges its own edits on top when it comes back.
 */

type Scope = Y.AbstractType<Y.YEvent<Y.AbstractType<unknown>>>;

/** What `live` holds beyond `target`: everything inserted since, and every deletion. */
const since = (live: Y.Doc, target: Y.Doc): Uint8Array => Y.encodeStateAsUpdate(live, Y.encodeStateVector(target));

function undoTracked(copy: Y.Doc, um: Y.UndoManager, clientId: number): Uint8Array | null {
  // Set only now: applying updates that hold this client id would make Yjs pick another one.
  copy.clientID = clientId;
  const out: Uint8Array[] = [];
  const capture = (u: Uint8Array, origin: unknown) => {
    if (origin === um) out.push(u);
  };
  copy.on('update', capture);
  try {
    while (um.canUndo()) um.undo();
  } finally {
    copy.off('update', capture);
    um.destroy();
  }
  return out.length === 0 ? null : out.length === 1 ? out[0]! : Y.mergeUpdates(out);
}

function tracker(scope: Scope[]): Y.UndoManager {
  return new Y.UndoManager(scope, { trackedOrigins: new Set([TRACKED_ORIGIN]), captureTimeout: Number.MAX_SAFE_INTEGER });
}

/** The whole notes back to `target`. */
export function restoreWhole(target: Y.Doc, live: Y.Doc, clientId: number): Uint8Array | null {
  const um = tracker([target.getXmlFragment(NOTES_FRAGMENT) as unknown as Scope]);
  Y.applyUpdate(target, since(live, target), TRACKED_ORIGIN);
  return undoTracked(target, um, clientId);
}

export class BlockNotFound extends Error {}

function itemAt(doc: Y.Doc, client: number, clock: number): Y.Item | null {
  if (Y.getState(doc.store, client) <= clock) return null;
  const struct = Y.getItem(doc.store, Y.createID(client, clock)) as Y.Item | Y.GC;
  return struct instanceof Y.Item && struct.id.clock === clock ? struct : null;
}

const alive = (doc: Y.Doc, item: Y.Item): boolean => {
  const there = itemAt(doc, item.id.client, item.id.clock);
  return there !== null && !there.deleted;
};

/**
 * One block (a text block, by its Yjs id `client-clock`) back to how it was
 * in `target`. A block that still exists gets its own changes since undone
 * (text, formatting, attributes); a block deleted since is inserted again
 * where it was: after the nearest block before it that still exists, inside
 * the nearest container that still exists (re-created containers hold only it).
 */
export function restoreBlock(target: Y.Doc, live: Y.Doc, blockId: string, clientId: number): Uint8Array | null {
  const [client, clock] = blockId.split('-').map(Number) as [number, number];
  const item = itemAt(target, client, clock);
  if (!item || item.deleted || !(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.XmlElement)) throw new BlockNotFound(blockId);
  const block = item.content.type;
  if (alive(live, item)) {
    const um = tracker([block as unknown as Scope]);
    Y.applyUpdate(target, since(live, target), TRACKED_ORIGIN);
    return undoTracked(target, um, clientId);
  }
  // Deleted since: the path from the notes down to it, as it was.
  const path: Y.Item[] = [item];
  for (let p = (block.parent as Y.AbstractType<unknown> | null)?._item ?? null; p; p = (p.parent as Y.AbstractType<unknown>)._item) path.unshift(p);
  let anchorDepth = -1;
  for (let i = path.length - 2; i >= 0; i--) {
    if (alive(live, path[i]!)) {
      anchorDepth = i;
      break;
    }
  }
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(live));
    copy.clientID = clientId;
    const container = anchorDepth < 0 ? copy.getXmlFragment(NOTES_FRAGMENT) : ((itemAt(copy, path[anchorDepth]!.id.client, path[anchorDepth]!.id.clock)!.content as Y.ContentType).type as Y.XmlElement);
    const first = path[anchorDepth + 1]!;
    // Where it was: right after the nearest earlier sibling that is still there.
    let index = 0;
    for (let left = first.left; left; left = left.left) {
      if (left.deleted || !(left.content instanceof Y.ContentType)) continue;
      const there = itemAt(copy, left.id.client, left.id.clock);
      if (there && !there.deleted) {
        const siblings = container.toArray() as unknown[];
        index = siblings.indexOf((there.content as Y.ContentType).type) + 1;
        break;
      }
    }
    // The containers that are gone hold only the block; the block comes back whole.
    let node: Y.XmlElement = block.clone();
    for (let i = path.length - 2; i > anchorDepth; i--) {
      const original = (path[i]!.content as Y.ContentType).type as Y.XmlElement;
      const shell = new Y.XmlElement(original.nodeName);
      for (const [k, v] of Object.entries(original.getAttributes())) if (v !== undefined) shell.setAttribute(k, v as string);
      shell.insert(0, [node]);
      node = shell;
    }
    const out: Uint8Array[] = [];
    copy.on('update', (u: Uint8Array) => out.push(u));
    copy.transact(() => container.insert(index, [node]));
    return out[0] ?? null;
  } finally {
    copy.destroy();
  }
}

/** A revision after the target, and whether its changes are to be undone. */
export interface LaterRevision {
  parts: readonly Uint8Array[];
  undo: boolean;
}

/**
 * Undoes one author's changes since `target`: `later` are the revisions
 * after it, oldest first, those of that author alone marked `undo`; their
 * insertions are removed and their deletions put back, everyone else's
 * changes stay. Text the author typed inside revisions shared with others
 * (`authorClients`: their client ids) is removed too. Returns the update and
 * how many revisions were undone.
 */
export function revertAuthor(target: Y.Doc, later: readonly LaterRevision[], live: Y.Doc, authorClients: ReadonlySet<number>, clientId: number): { update: Uint8Array | null; reverted: number } {
  const fragment = target.getXmlFragment(NOTES_FRAGMENT);
  const startSv = Y.decodeStateVector(Y.encodeStateVector(target));
  const um = tracker([fragment as unknown as Scope]);
  let reverted = 0;
  for (const r of later) {
    if (r.undo) reverted++;
    Y.applyUpdate(target, r.parts.length === 1 ? r.parts[0]! : Y.mergeUpdates(r.parts as Uint8Array[]), r.undo ? TRACKED_ORIGIN : KEPT_ORIGIN);
  }
  Y.applyUpdate(target, since(live, target), KEPT_ORIGIN);
  const othersInAuthorLines = othersTextInBlocksOf(fragment, authorClients, startSv);
  const undone = undoTracked(target, um, clientId);
  // What the author typed in revisions shared with others: still there, theirs, written after the target.
  const out: Uint8Array[] = undone ? [undone] : [];
  const capture = (u: Uint8Array) => out.push(u);
  target.on('update', capture);
  target.transact((tr) => {
    for (const client of authorClients) {
      const start = startSv.get(client) ?? 0;
      const mine = (target.store.clients.get(client) ?? []).filter((s): s is Y.Item => s instanceof Y.Item && !s.deleted && s.id.clock + s.length > start && isIn(s, fragment));
      for (const s of mine) {
        // A run begun before the target: only its part after the target is theirs to remove.
        const part = s.id.clock < start ? Y.getItemCleanStart(tr, Y.createID(client, start)) : s;
        part.delete(tr);
      }
    }
  }, KEPT_ORIGIN);
  // Undoing a line the author wrote takes everything in it, so text someone else typed into it would go too.
  target.transact(() => keepAsOwnLines(fragment, othersInAuthorLines, clientId), KEPT_ORIGIN);
  target.off('update', capture);
  return { update: out.length === 0 ? null : out.length === 1 ? out[0]! : Y.mergeUpdates(out), reverted };
}

function isIn(item: Y.Item, root: Y.XmlFragment): boolean {
  let t = item.parent as Y.AbstractType<unknown> | null;
  while (t && t._item) t = t._item.parent as Y.AbstractType<unknown>;
  return t === (root as unknown as Y.AbstractType<unknown>);
}

/** A top-level block the author wrote after the target, and the lines of text others typed into it. */
interface OthersText {
  block: Y.Item;
  lines: string[];
}

/** Others' text, alive now, inside the top-level blocks written by `authorClients` after `startSv`. */
function othersTextInBlocksOf(fragment: Y.XmlFragment, authorClients: ReadonlySet<number>, startSv: ReadonlyMap<number, number>): OthersText[] {
  const out: OthersText[] = [];
  for (let item = fragment._start; item !== null; item = item.right) {
    if (item.deleted || !authorClients.has(item.id.client) || item.id.clock < (startSv.get(item.id.client) ?? 0) || !(item.content instanceof Y.ContentType)) continue;
    const lines: string[] = [];
    const visit = (type: Y.AbstractType<unknown>) => {
      let line = '';
      for (let child = type._start; child !== null; child = child.right) {
        if (child.deleted) continue;
        if (child.content instanceof Y.ContentType) visit(child.content.type);
        else if (child.content instanceof Y.ContentString && !authorClients.has(child.id.client)) line += child.content.str;
      }
      if (line.trim()) lines.push(line.trim());
    };
    visit(item.content.type);
    if (lines.length > 0) out.push({ block: item, lines });
  }
  return out;
}

/**
 * Puts `kept` back as plain paragraphs where each author's block was, after
 * whatever the undo brought back at that place (the line the author had
 * replaced), for each block the undo deleted.
 */
function keepAsOwnLines(fragment: Y.XmlFragment, kept: readonly OthersText[], clientId: number): void {
  for (const { block, lines } of kept) {
    if (!block.deleted) continue;
    // After the nearest line alive on the left, or the lines the restore wrote right here.
    let anchor: Y.Item | null = null;
    for (let left = block.left; left !== null; left = left.left) {
      if (!left.deleted) {
        anchor = left;
        break;
      }
    }
    for (let right = block.right; right !== null && (right.deleted || right.id.client === clientId); right = right.right) if (!right.deleted) anchor = right;
    let index = 0;
    if (anchor) for (let item = fragment._start; item !== null; item = item.right) {
      if (!item.deleted && item.countable) index++;
      if (item === anchor) break;
    }
    fragment.insert(
      index,
      lines.map((text) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(text)]);
        return p;
      }),
    );
  }
}
