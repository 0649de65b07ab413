import * as decoding from 'lib0/decoding';
import { LIMITS } from '../../shared/limits.js';

/**
 * A structural check of a Yjs v1 update that runs in time linear in its size,
 * before Yjs sees it. Yjs trusts counts and lengths in the encoding, and
 * hostile updates with huge counts have hung servers (yjs #479, #687): every
 * count here must fit in the bytes that remain, and clocks stay far below
 * 2^53 so arithmetic on them stays exact. Every string must be valid UTF-8
 * (Yjs' decoder throws on it later, in places that are not ready for it),
 * and embedded JSON must parse and stay shallow (JSON.stringify recurses).
 *
 * What depends on the document (nesting depth through stored content,
 * missing dependencies) is checked afterwards by `admitUpdate`.
 */
const MAX_CLOCK = 2 ** 40;

class Invalid extends Error {}

/** `fatal: true`: invalid UTF-8 throws instead of becoming U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function remaining(d: decoding.Decoder): number {
  return d.arr.length - d.pos;
}

function count(d: decoding.Decoder, what: string): number {
  const n = decoding.readVarUint(d);
  if (n > remaining(d)) throw new Invalid(`${what} count ${n} exceeds the message`);
  return n;
}

function clock(d: decoding.Decoder, what: string): number {
  const n = decoding.readVarUint(d);
  if (n > MAX_CLOCK) throw new Invalid(`${what} ${n} out of range`);
  return n;
}

function skipBytes(d: decoding.Decoder): void {
  const len = decoding.readVarUint(d);
  if (len > remaining(d)) throw new Invalid('byte string exceeds the message');
  d.pos += len;
}

/**
 * Reads a length-prefixed UTF-8 string, refusing invalid UTF-8, and returns
 * its length in UTF-16 code units (what Yjs counts as a string's length).
 * ASCII, most of any notes, is valid UTF-8 of that many units: only other
 * bytes go through the decoder, which costs several times the scan.
 */
function readString(d: decoding.Decoder, what: string): number {
  const len = decoding.readVarUint(d);
  if (len > remaining(d)) throw new Invalid(`${what} exceeds the message`);
  const start = d.pos;
  d.pos += len;
  const arr = d.arr;
  for (let i = start; i < start + len; i++) {
    if (arr[i]! >= 0x80) {
      try {
        return utf8.decode(arr.subarray(start, start + len)).length;
      } catch {
        throw new Invalid(`${what} is not valid UTF-8`);
      }
    }
  }
  return len;
}

/** A length-prefixed UTF-8 string as text (for JSON), refusing invalid UTF-8. */
function readText(d: decoding.Decoder, what: string): string {
  const len = decoding.readVarUint(d);
  if (len > remaining(d)) throw new Invalid(`${what} exceeds the message`);
  const bytes = d.arr.subarray(d.pos, d.pos + len);
  d.pos += len;
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Invalid(`${what} is not valid UTF-8`);
  }
}

/**
 * Nesting depth of a JSON text, found by one scan of its brackets outside
 * strings, so JSON.parse is only called on text that cannot nest deeply.
 */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

function readJson(d: decoding.Decoder, what: string, allowUndefined = false): void {
  const text = readText(d, what);
  if (allowUndefined && text === 'undefined') return;
  if (jsonDepth(text) > LIMITS.maxValueDepth) throw new Invalid(`${what} nested too deeply`);
  try {
    JSON.parse(text);
  } catch {
    throw new Invalid(`${what} is not valid JSON`);
  }
}

function readAnyBounded(d: decoding.Decoder, depth: number): void {
  if (depth > LIMITS.maxValueDepth) throw new Invalid('value nested too deeply');
  if (remaining(d) < 1) throw new Invalid('truncated value');
  const type = decoding.readUint8(d);
  switch (type) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125: // integer
      decoding.readVarInt(d);
      return;
    case 124: // float32
      if (remaining(d) < 4) throw new Invalid('truncated float');
      d.pos += 4;
      return;
    case 123: // float64
    case 122: // bigint64
      if (remaining(d) < 8) throw new Invalid('truncated number');
      d.pos += 8;
      return;
    case 119: // string
      readString(d, 'string value');
      return;
    case 116: // Uint8Array
      skipBytes(d);
      return;
    case 118: {
      // object
      const n = count(d, 'object key');
      for (let i = 0; i < n; i++) {
        readString(d, 'object key');
        readAnyBounded(d, depth + 1);
      }
      return;
    }
    case 117: {
      // array
      const n = count(d, 'array');
      for (let i = 0; i < n; i++) readAnyBounded(d, depth + 1);
      return;
    }
    default:
      throw new Invalid(`unknown value type ${type}`);
  }
}

function nonEmpty(n: number, what: string): number {
  // Yjs never writes an empty item; a zero-length struct would share its clock with the next one.
  if (n === 0) throw new Invalid(`empty ${what}`);
  return n;
}

/** Reads one item's content; returns its length in clock units, as Yjs counts it. */
function readContent(d: decoding.Decoder, ref: number): number {
  switch (ref) {
    case 1: // ContentDeleted
      return nonEmpty(clock(d, 'deleted length'), 'deleted content');
    case 2: {
      // ContentJSON (legacy): each entry is JSON text or "undefined"
      const n = nonEmpty(count(d, 'JSON'), 'JSON content');
      for (let i = 0; i < n; i++) readJson(d, 'JSON content', true);
      return n;
    }
    case 3: // ContentBinary
      skipBytes(d);
      return 1;
    case 4: // ContentString
      return nonEmpty(readString(d, 'text'), 'text');
    case 5: // ContentEmbed
      readJson(d, 'embed');
      return 1;
    case 6: // ContentFormat
      readString(d, 'format key');
      readJson(d, 'format value');
      return 1;
    case 7: {
      // ContentType
      const typeRef = decoding.readVarUint(d);
      if (typeRef > 6) throw new Invalid(`unknown type ref ${typeRef}`);
      if (typeRef === 3 || typeRef === 5) readString(d, 'element name'); // XmlElement / XmlHook name
      return 1;
    }
    case 8: {
      // ContentAny
      const n = nonEmpty(count(d, 'value'), 'value list');
      for (let i = 0; i < n; i++) readAnyBounded(d, 0);
      return n;
    }
    case 9:
      // ContentDoc: Yjs would create a subdocument on the server; notes never contain one.
      throw new Invalid('subdocuments are not accepted');
    default:
      throw new Invalid(`unknown content type ${ref}`);
  }
}

/**
 * What admission needs of an update's structs and deletions, read in the
 * validating pass so that nothing decodes the update a second time before
 * Yjs applies it: flat arrays of numbers, not one object per struct.
 *
 * `structs` holds STRUCT_FIELDS numbers per struct, in the update's order
 * (see the S_* offsets); a missing reference is -1. `blocks` holds
 * (client, first struct, end struct) per client, `deletes` (client, clock,
 * length) per delete range, `names` the root names structs refer to.
 */
export interface UpdateShape {
  structs: number[];
  blocks: number[];
  deletes: number[];
  names: string[];
  /** Where the structs end in the update's bytes (its delete set begins). */
  structsEnd: number;
}

export const STRUCT_FIELDS = 11;
/** Offsets into a struct's fields. `S_REF` is the struct's content ref: 0 GC, 10 Skip, 4 ContentString, 7 ContentType, ... */
export const S_CLIENT = 0;
export const S_CLOCK = 1;
export const S_LENGTH = 2;
export const S_REF = 3;
export const S_ORIGIN_CLIENT = 4;
export const S_ORIGIN_CLOCK = 5;
export const S_RIGHT_CLIENT = 6;
export const S_RIGHT_CLOCK = 7;
/** PARENT_NONE (the parent comes from a neighbour), PARENT_ROOT (S_PARENT_A indexes `names`) or PARENT_ID (S_PARENT_A, S_PARENT_B: client, clock). */
export const S_PARENT_KIND = 8;
export const S_PARENT_A = 9;
export const S_PARENT_B = 10;
export const PARENT_NONE = 0;
export const PARENT_ROOT = 1;
export const PARENT_ID = 2;
/** S_REF of a struct this check reads but Yjs' decoder throws on. */
export const REF_UNREADABLE = -1;

export function emptyShape(): UpdateShape {
  return { structs: [], blocks: [], deletes: [], names: [], structsEnd: 0 };
}

/** Reads one struct (recording it in `shape`, if given); returns its length in clock units. */
function readStruct(d: decoding.Decoder, shape: UpdateShape | undefined, client: number, at: number): number {
  if (remaining(d) < 1) throw new Invalid('truncated struct');
  const info = decoding.readUint8(d);
  const ref = info & 0b11111;
  if (ref === 0 || ref === 10) {
    // GC or Skip: only a length
    const len = clock(d, 'length');
    if (len === 0) throw new Invalid('zero-length struct');
    // Yjs reads a Skip only from an info byte of exactly 10; with flags set it reads an item, and throws on its content.
    shape?.structs.push(client, at, len, ref === 10 && info !== 10 ? REF_UNREADABLE : ref, -1, -1, -1, -1, PARENT_NONE, -1, -1);
    return len;
  }
  let originClient = -1;
  let originClock = -1;
  let rightClient = -1;
  let rightClock = -1;
  let parentKind = PARENT_NONE;
  let parentA = -1;
  let parentB = -1;
  if (info & 0b10000000) {
    originClient = clock(d, 'origin client');
    originClock = clock(d, 'origin clock');
  }
  if (info & 0b01000000) {
    rightClient = clock(d, 'right origin client');
    rightClock = clock(d, 'right origin clock');
  }
  if ((info & 0b11000000) === 0) {
    const parentIsKey = decoding.readVarUint(d) === 1;
    if (parentIsKey) {
      const start = d.pos;
      readString(d, 'root name');
      if (shape) {
        parentKind = PARENT_ROOT;
        parentA = shape.names.length;
        shape.names.push(rootName(d.arr, start));
      }
    } else {
      parentKind = PARENT_ID;
      parentA = clock(d, 'parent client');
      parentB = clock(d, 'parent clock');
    }
    if (info & 0b00100000) readString(d, 'map key'); // parentSub
  }
  const len = readContent(d, ref);
  shape?.structs.push(client, at, len, ref, originClient, originClock, rightClient, rightClock, parentKind, parentA, parentB);
  return len;
}

/** The (already checked) length-prefixed string at `start`, as text. */
function rootName(arr: Uint8Array, start: number): string {
  const d = decoding.createDecoder(arr);
  d.pos = start;
  return utf8.decode(decoding.readVarUint8Array(d));
}

/**
 * The clock range an update covers for each client that has structs in it:
 * from its first struct's clock to the end of its last (what
 * `Y.parseUpdateMeta` returns, read in the same pass as the validation).
 */
export interface UpdateRanges {
  from: Map<number, number>;
  to: Map<number, number>;
}

/**
 * Returns null when `update` is a well-formed Yjs v1 update, or a reason it
 * is not. Never throws. With `ranges`, also records the clock range of each
 * client in it; with `shape`, what admission reads of its structs (both only
 * meaningful when it returns null).
 */
export function validateUpdateV1(update: Uint8Array, ranges?: UpdateRanges, shape?: UpdateShape): string | null {
  const d = decoding.createDecoder(update);
  try {
    const clients = count(d, 'client');
    // Yjs keeps only the last block of a client listed twice: what it applies would not be what we checked.
    // One client (a keystroke) needs no set to tell.
    let firstClient = -1;
    let seen: Set<number> | null = null;
    for (let i = 0; i < clients; i++) {
      const structs = count(d, 'struct');
      const client = clock(d, 'client id');
      if (i === 1) seen = new Set([firstClient]);
      if (i === 0) firstClient = client;
      else if (seen!.has(client)) throw new Invalid('a client is listed twice');
      else seen!.add(client);
      const first = clock(d, 'clock');
      const startIndex = shape ? shape.structs.length / STRUCT_FIELDS : 0;
      let end = first;
      for (let j = 0; j < structs; j++) end += readStruct(d, shape, client, end);
      if (structs > 0) {
        if (ranges) {
          ranges.from.set(client, first);
          ranges.to.set(client, end);
        }
        shape?.blocks.push(client, startIndex, startIndex + structs);
      }
    }
    if (shape) shape.structsEnd = d.pos;
    const dsClients = count(d, 'delete-set client');
    for (let i = 0; i < dsClients; i++) {
      const client = clock(d, 'client id');
      const deletes = count(d, 'delete range');
      for (let j = 0; j < deletes; j++) {
        const at = clock(d, 'delete clock');
        const len = clock(d, 'delete length');
        shape?.deletes.push(client, at, len);
      }
    }
    if (remaining(d) !== 0) return 'trailing bytes after the update';
    return null;
  } catch (err) {
    if (err instanceof Invalid) return err.message;
    return 'truncated or malformed update';
  }
}
