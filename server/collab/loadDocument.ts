import * as Y from 'yjs';
import type { DocStore } from '../storage/docStore.js';
import { measureNesting } from './docShape.js';
import { validateUpdateV1 } from './updateValidation.js';

/** What loading found: the document as far as it could be rebuilt, and what was wrong. */
export interface LoadedDocument {
  doc: Y.Doc;
  /** Highest stored update sequence number covered (including skipped ones). */
  lastSeq: number;
  /** Stored updates after the latest snapshot. */
  updatesSinceSnapshot: number;
  /** Why the document cannot be served for writing, or null when it is healthy. */
  damage: string | null;
  /** Stored parts (snapshots or updates) that could not be read and were left out. */
  skippedParts: number;
}

/** The stored notes cannot be read at all (the database itself is damaged there). */
export class DocumentUnreadable extends Error {}

export interface LoadOptions {
  /** Deeper nesting than this marks the document damaged (LIMITS.maxNestingDepth). */
  maxDepth: number;
  /** Origin of the transactions that load stored state. */
  origin: unknown;
}

function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

function tryApply(doc: Y.Doc, update: Uint8Array, origin: unknown): boolean {
  if (validateUpdateV1(update) !== null) return false;
  try {
    Y.applyUpdate(doc, update, origin);
    return true;
  } catch {
    return false;
  }
}

/** Drops what Yjs parked because it depends on changes that were never stored (or were skipped). */
function dropDangling(doc: Y.Doc): boolean {
  const store = doc.store as { pendingStructs: unknown; pendingDs: unknown };
  const dangling = store.pendingStructs !== null || store.pendingDs !== null;
  store.pendingStructs = null;
  store.pendingDs = null;
  return dangling;
}

/**
 * Rebuilds a document from storage, as far as it can be rebuilt. The fast
 * path applies the snapshot and the updates after it in one go. If any part
 * is malformed or Yjs throws on it, the slow path starts again part by part:
 * the newest checkpoint that reads, then every later update that reads, each
 * on its own, skipping the rest. A document that nests deeper than the limit
 * (stored before the limit existed) loads, but comes back damaged: it may be
 * read, not written, until a moderator repairs it.
 *
 * Throws DocumentUnreadable when SQLite reports corruption where this
 * document is stored; other storage errors are passed on as they are.
 */
export async function loadDocument(store: DocStore, docId: string, opts: LoadOptions): Promise<LoadedDocument> {
  let stored: Awaited<ReturnType<DocStore['load']>>;
  try {
    stored = await store.load(docId);
  } catch (err) {
    if (isCorruption(err)) throw new DocumentUnreadable(`stored notes cannot be read: ${(err as Error).message}`);
    throw err;
  }
  const problems: string[] = [];
  let skippedParts = 0;
  const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;

  let doc: Y.Doc | null = new Y.Doc({ gc: true });
  if (parts.length > 0 && !(parts.every((p) => validateUpdateV1(p) === null) && applyAll(doc, parts, opts.origin))) {
    doc.destroy();
    doc = null;
  }
  if (!doc) {
    const slow = await loadPartByPart(store, docId, stored, opts.origin);
    doc = slow.doc;
    skippedParts = slow.skipped;
    problems.push(...slow.problems);
  }
  if (dropDangling(doc)) problems.push('some stored changes depend on changes that could not be read');

  const { maxDepth } = measureNesting(doc);
  if (maxDepth > opts.maxDepth) problems.push(`content nests ${maxDepth} levels deep (the limit is ${opts.maxDepth})`);
  return {
    doc,
    lastSeq: stored.lastSeq,
    updatesSinceSnapshot: stored.updates.length,
    damage: problems.length > 0 ? problems.join('; ') : null,
    skippedParts,
  };
}

/**
 * Applies well-formed parts in order, in one transaction; false when Yjs
 * throws (the doc is then half-applied: the slow path starts again). The
 * same state as applying their merge, for less: on a long document after a
 * restart, Y.mergeUpdates cost about as much as the apply itself.
 */
function applyAll(doc: Y.Doc, parts: Uint8Array[], origin: unknown): boolean {
  try {
    doc.transact(() => {
      for (const p of parts) Y.applyUpdate(doc, p, origin);
    }, origin);
    return true;
  } catch {
    return false;
  }
}

async function loadPartByPart(
  store: DocStore,
  docId: string,
  stored: Awaited<ReturnType<DocStore['load']>>,
  origin: unknown,
): Promise<{ doc: Y.Doc; skipped: number; problems: string[] }> {
  const problems: string[] = [];
  let skipped = 0;
  let doc = new Y.Doc({ gc: true });
  if (stored.snapshot && !tryApply(doc, stored.snapshot, origin)) {
    skipped++;
    doc.destroy();
    doc = new Y.Doc({ gc: true });
    // The latest checkpoint is unreadable: the newest older one that reads is the best base left.
    let base = false;
    for (const cp of (await store.checkpoints(docId)).slice(1)) {
      if (tryApply(doc, cp.data, origin)) {
        base = true;
        problems.push(`the latest checkpoint is unreadable; loaded the one from ${new Date(cp.createdAt).toISOString()}`);
        break;
      }
      skipped++;
      doc.destroy();
      doc = new Y.Doc({ gc: true });
    }
    if (!base) problems.push('no stored checkpoint is readable');
  }
  let badUpdates = 0;
  for (const u of stored.updates) {
    if (!tryApply(doc, u, origin)) badUpdates++;
  }
  if (badUpdates > 0) problems.push(`${badUpdates} stored change${badUpdates === 1 ? ' is' : 's are'} unreadable`);
  return { doc, skipped: skipped + badUpdates, problems };
}
