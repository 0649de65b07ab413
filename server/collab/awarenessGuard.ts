import * as decoding from 'lib0/decoding';

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  stateJsonBytes: number;
}

export type AwarenessCheck =
  | { ok: true; entries: AwarenessEntry[] }
  | { ok: false; reason: string; code: 'malformed' | 'rejected' };

export interface AwarenessLimits {
  maxStateBytes: number;
  maxClientsPerConnection: number;
}

/**
 * Checks an awareness update before y-protocols applies it: a connection may
 * only speak for the client ids it owns (claiming new ones up to a small
 * limit), states are small JSON objects, and the encoding is well formed.
 * `owned` is the connection's set; ids owned by another connection are refused.
 */
export function checkAwarenessUpdate(
  update: Uint8Array,
  owned: ReadonlySet<number>,
  ownedElsewhere: (clientId: number) => boolean,
  limits: AwarenessLimits,
): AwarenessCheck {
  const d = decoding.createDecoder(update);
  const entries: AwarenessEntry[] = [];
  try {
    const n = decoding.readVarUint(d);
    if (n > d.arr.length - d.pos) return { ok: false, code: 'malformed', reason: 'awareness count exceeds the message' };
    const claimed = new Set(owned);
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const len = decoding.readVarUint(d);
      if (len > d.arr.length - d.pos) return { ok: false, code: 'malformed', reason: 'awareness state exceeds the message' };
      if (len > limits.maxStateBytes) return { ok: false, code: 'rejected', reason: 'awareness state too large' };
      const json = decoding.readUint8Array(d, len);
      let state: unknown;
      try {
        state = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
      } catch {
        return { ok: false, code: 'malformed', reason: 'awareness state is not JSON' };
      }
      if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
        return { ok: false, code: 'malformed', reason: 'awareness state must be an object or null' };
      }
      if (!claimed.has(clientId)) {
        if (ownedElsewhere(clientId)) return { ok: false, code: 'rejected', reason: 'awareness client id belongs to another connection' };
        claimed.add(clientId);
        if (claimed.size > limits.maxClientsPerConnection) {
          return { ok: false, code: 'rejected', reason: 'too many awareness client ids on one connection' };
        }
      }
      entries.push({ clientId, clock, stateJsonBytes: len });
    }
    if (d.pos !== d.arr.length) return { ok: false, code: 'malformed', reason: 'trailing bytes after awareness update' };
    return { ok: true, entries };
  } catch {
    return { ok: false, code: 'malformed', reason: 'truncated awareness update' };
  }
}
