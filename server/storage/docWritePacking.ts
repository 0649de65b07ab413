import type { DocWrite } from './docStore.js';

/**
 * A group commit as one ArrayBuffer, moved to the writer thread (transfer
 * list) instead of structured-cloned: cloning the DocWrite objects cost the
 * event loop ~100 µs per commit, mostly because a Uint8Array is cloned with
 * its whole backing ArrayBuffer (a WebSocket frame's, or a pool's).
 *
 * Layout, little-endian: f64 request id, u32 write count, then per write:
 * u32 docId byte length, docId (UTF-8); u32 update length, update;
 * u32 authors byte length + 1 (0: no authors), authors (UTF-8).
 */
export function packDocWrites(id: number, writes: readonly DocWrite[], utf8: TextEncoder = new TextEncoder()): ArrayBuffer {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: size for the worst case, write once.
  let max = 12;
  for (const w of writes) max += 12 + 3 * w.docId.length + w.update.byteLength + 3 * (w.authors?.length ?? 0);
  const buf = new ArrayBuffer(max);
  const bytes = new Uint8Array(buf);
  const view = new DataView(buf);
  view.setFloat64(0, id, true);
  view.setUint32(8, writes.length, true);
  let at = 12;
  for (const w of writes) {
    const id8 = utf8.encodeInto(w.docId, bytes.subarray(at + 4));
    // Cannot happen with the size above; a cut string must never go to storage silently.
    if (id8.read !== w.docId.length) throw new Error('packing a group commit: buffer too small');
    const idLen = id8.written;
    view.setUint32(at, idLen, true);
    at += 4 + idLen;
    view.setUint32(at, w.update.byteLength, true);
    bytes.set(w.update, at + 4);
    at += 4 + w.update.byteLength;
    if (w.authors === undefined) {
      view.setUint32(at, 0, true);
      at += 4;
    } else {
      const a8 = utf8.encodeInto(w.authors, bytes.subarray(at + 4));
      if (a8.read !== w.authors.length) throw new Error('packing a group commit: buffer too small');
      const aLen = a8.written;
      view.setUint32(at, aLen + 1, true);
      at += 4 + aLen;
    }
  }
  // The unused tail goes along (moved, not copied); the reader checks the written length.
  return buf;
}

/**
 * Reads a packed group commit back (in the writer thread): the updates are
 * views into the buffer, not copies. Throws on anything that does not fit
 * the layout, or on text that is not UTF-8 (pass a decoder with `fatal`;
 * the thread keeps one). Self-contained: the writer thread runs its source as is.
 */
export function unpackDocWrites(buf: ArrayBuffer, utf8: TextDecoder = new TextDecoder('utf-8', { fatal: true })): { id: number; writes: DocWrite[] } {
  const view = new DataView(buf);
  const take = (at: number, len: number): Uint8Array => {
    if (at + len > buf.byteLength) throw new Error('malformed group commit: a field runs past the end');
    return new Uint8Array(buf, at, len);
  };
  const u32 = (at: number): number => {
    if (at + 4 > buf.byteLength) throw new Error('malformed group commit: a field runs past the end');
    return view.getUint32(at, true);
  };
  if (buf.byteLength < 12) throw new Error('malformed group commit: too short');
  const id = view.getFloat64(0, true);
  const count = view.getUint32(8, true);
  if (!Number.isSafeInteger(id) || id < 1) throw new Error('malformed group commit: bad request id');
  const writes: DocWrite[] = [];
  let at = 12;
  for (let i = 0; i < count; i++) {
    const idLen = u32(at);
    const docId = utf8.decode(take(at + 4, idLen));
    at += 4 + idLen;
    const updateLen = u32(at);
    const update = take(at + 4, updateLen);
    at += 4 + updateLen;
    const authorsLen = u32(at);
    at += 4;
    if (authorsLen === 0) writes.push({ docId, update });
    else {
      writes.push({ docId, update, authors: utf8.decode(take(at, authorsLen - 1)) });
      at += authorsLen - 1;
    }
  }
  return { id, writes };
}

/**
 * The thread's answer to a packed group commit, also one moved buffer:
 * f64 request id, then each written document's last sequence number, in
 * the order the documents first appear in the request. Self-contained.
 */
export function packSeqs(id: number, last: Map<string, number>): ArrayBuffer {
  const out = new Float64Array(1 + last.size);
  out[0] = id;
  let i = 1;
  for (const seq of last.values()) out[i++] = seq;
  return out.buffer;
}

/** The request id of a packed answer (to find its job), or null when it is not one. */
export function packedSeqsId(buf: ArrayBuffer): number | null {
  if (buf.byteLength < 8 || buf.byteLength % 8 !== 0) return null;
  const id = new Float64Array(buf, 0, 1)[0]!;
  return Number.isSafeInteger(id) && id >= 1 ? id : null;
}

/** Each document's last sequence number, from a packed answer to `writes`; throws when it does not match them. */
export function unpackSeqs(buf: ArrayBuffer, writes: readonly DocWrite[]): Map<string, number> {
  const docIds = new Set<string>();
  for (const w of writes) docIds.add(w.docId);
  const seqs = new Float64Array(buf);
  if (seqs.length !== 1 + docIds.size) throw new Error(`malformed writer reply: ${seqs.length - 1} sequence numbers for ${docIds.size} documents`);
  const last = new Map<string, number>();
  let i = 1;
  for (const docId of docIds) {
    const seq = seqs[i++]!;
    if (!Number.isSafeInteger(seq) || seq < 1) throw new Error(`malformed writer reply: sequence number ${seq}`);
    last.set(docId, seq);
  }
  return last;
}
