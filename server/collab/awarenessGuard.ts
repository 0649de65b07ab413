import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface AwarenessLimits {
  maxStateBytes: number;
  maxClientsPerConnection: number;
}

export interface AwarenessOwnership {
  /** Ids this connection already speaks for. */
  owned: ReadonlySet<number>;
  /** True when this connection may not take the id for its presence (it is, or was, someone else's); asked only for a state, never for a removal. */
  isForeign(clientId: number, state: object): boolean;
  /** Told every state this connection may show (its own ids', kept): what the id shows now. */
  shown?(clientId: number, state: object): void;
}

export type AwarenessCheck =
  | { ok: true; update: Uint8Array | null; claimed: number[] }
  | { ok: false; reason: string; code: 'malformed' | 'rejected' };

interface Entry {
  clientId: number;
  clock: number;
  json: string;
}

/**
 * Checks an awareness update before y-protocols applies it. Stock y-websocket
 * clients relay every awareness change they hear, so entries about other
 * clients are normal: they are dropped, never applied, so nobody can speak
 * for someone else. A connection may claim a few new ids of its own (limit),
 * and states must be small JSON objects (or null for "gone").
 * Returns the update re-encoded with only this connection's entries.
 */
export function checkAwarenessUpdate(update: Uint8Array, own: AwarenessOwnership, limits: AwarenessLimits): AwarenessCheck {
  const d = decoding.createDecoder(update);
  const kept: Entry[] = [];
  const claimed: number[] = [];
  try {
    const n = decoding.readVarUint(d);
    if (n > d.arr.length - d.pos) return { ok: false, code: 'malformed', reason: 'awareness count exceeds the message' };
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const len = decoding.readVarUint(d);
      if (len > d.arr.length - d.pos) return { ok: false, code: 'malformed', reason: 'awareness state exceeds the message' };
      if (len > limits.maxStateBytes) return { ok: false, code: 'rejected', reason: 'awareness state too large' };
      const bytes = decoding.readUint8Array(d, len);
      let json: string;
      let state: unknown;
      try {
        json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        state = JSON.parse(json);
      } catch {
        return { ok: false, code: 'malformed', reason: 'awareness state is not JSON' };
      }
      if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
        return { ok: false, code: 'malformed', reason: 'awareness state must be an object or null' };
      }
      if (own.owned.has(clientId) || claimed.includes(clientId)) {
        kept.push({ clientId, clock, json });
        if (state !== null) own.shown?.(clientId, state);
      } else if (state !== null && !own.isForeign(clientId, state)) {
        claimed.push(clientId);
        if (own.owned.size + claimed.length > limits.maxClientsPerConnection) {
          return { ok: false, code: 'rejected', reason: 'too many awareness client ids on one connection' };
        }
        kept.push({ clientId, clock, json });
        own.shown?.(clientId, state);
      }
    }
    if (d.pos !== d.arr.length) return { ok: false, code: 'malformed', reason: 'trailing bytes after awareness update' };
  } catch {
    return { ok: false, code: 'malformed', reason: 'truncated awareness update' };
  }
  if (kept.length === 0) return { ok: true, update: null, claimed };
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, kept.length);
  for (const k of kept) {
    encoding.writeVarUint(e, k.clientId);
    encoding.writeVarUint(e, k.clock);
    encoding.writeVarString(e, k.json);
  }
  return { ok: true, update: encoding.toUint8Array(e), claimed };
}
