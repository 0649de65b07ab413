import * as decoding from 'lib0/decoding';

/**
 * A structural check of a Yjs v1 update that runs in time linear in its size,
 * before Yjs sees it. Yjs trusts counts and lengths in the encoding, and
 * hostile updates with huge counts have hung servers (yjs #479, #687): every
 * count here must fit in the bytes that remain, and clocks stay far below
 * 2^53 so arithmetic on them stays exact.
 */
const MAX_CLOCK = 2 ** 40;
const MAX_ANY_DEPTH = 32;

class Invalid extends Error {}

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

function readAnyBounded(d: decoding.Decoder, depth: number): void {
  if (depth > MAX_ANY_DEPTH) throw new Invalid('value nested too deeply');
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
    case 116: // Uint8Array
      skipBytes(d);
      return;
    case 118: {
      // object
      const n = count(d, 'object key');
      for (let i = 0; i < n; i++) {
        skipBytes(d);
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

function readContent(d: decoding.Decoder, ref: number): void {
  switch (ref) {
    case 1: // ContentDeleted
      clock(d, 'deleted length');
      return;
    case 2: {
      // ContentJSON
      const n = count(d, 'JSON');
      for (let i = 0; i < n; i++) skipBytes(d);
      return;
    }
    case 3: // ContentBinary
    case 4: // ContentString
    case 5: // ContentEmbed
      skipBytes(d);
      return;
    case 6: // ContentFormat
      skipBytes(d);
      skipBytes(d);
      return;
    case 7: {
      // ContentType
      const typeRef = decoding.readVarUint(d);
      if (typeRef > 6) throw new Invalid(`unknown type ref ${typeRef}`);
      if (typeRef === 3 || typeRef === 5) skipBytes(d); // XmlElement / XmlHook name
      return;
    }
    case 8: {
      // ContentAny
      const n = count(d, 'value');
      for (let i = 0; i < n; i++) readAnyBounded(d, 0);
      return;
    }
    case 9: // ContentDoc
      skipBytes(d);
      readAnyBounded(d, 0);
      return;
    default:
      throw new Invalid(`unknown content type ${ref}`);
  }
}

function readStruct(d: decoding.Decoder): void {
  if (remaining(d) < 1) throw new Invalid('truncated struct');
  const info = decoding.readUint8(d);
  const ref = info & 0b11111;
  if (ref === 0 || ref === 10) {
    // GC or Skip: only a length
    const len = clock(d, 'length');
    if (len === 0) throw new Invalid('zero-length struct');
    return;
  }
  if (info & 0b10000000) {
    clock(d, 'origin client');
    clock(d, 'origin clock');
  }
  if (info & 0b01000000) {
    clock(d, 'right origin client');
    clock(d, 'right origin clock');
  }
  if ((info & 0b11000000) === 0) {
    const parentIsKey = decoding.readVarUint(d) === 1;
    if (parentIsKey) skipBytes(d);
    else {
      clock(d, 'parent client');
      clock(d, 'parent clock');
    }
    if (info & 0b00100000) skipBytes(d); // parentSub
  }
  readContent(d, ref);
}

/**
 * Returns null when `update` is a well-formed Yjs v1 update, or a reason it
 * is not. Never throws.
 */
export function validateUpdateV1(update: Uint8Array): string | null {
  const d = decoding.createDecoder(update);
  try {
    const clients = count(d, 'client');
    for (let i = 0; i < clients; i++) {
      const structs = count(d, 'struct');
      clock(d, 'client id');
      clock(d, 'clock');
      for (let j = 0; j < structs; j++) readStruct(d);
    }
    const dsClients = count(d, 'delete-set client');
    for (let i = 0; i < dsClients; i++) {
      clock(d, 'client id');
      const ranges = count(d, 'delete range');
      for (let j = 0; j < ranges; j++) {
        clock(d, 'delete clock');
        clock(d, 'delete length');
      }
    }
    if (remaining(d) !== 0) return 'trailing bytes after the update';
    return null;
  } catch (err) {
    if (err instanceof Invalid) return err.message;
    return 'truncated or malformed update';
  }
}
