import * as decoding from 'lib0/decoding';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';

/** True for y-websocket messages that carry document content (SyncStep2 or Update). */
export function isDocMessage(data: Uint8Array): boolean {
  try {
    const d = decoding.createDecoder(data);
    if (decoding.readVarUint(d) !== MESSAGE_TYPES.sync) return false;
    const sub = decoding.readVarUint(d);
    return sub === SYNC_TYPES.step2 || sub === SYNC_TYPES.update;
  } catch {
    return false;
  }
}

export type CollabStatus =
  | 'connecting'
  | 'syncing'
  | 'saving'
  | 'slow'
  | 'saved'
  | 'offline'
  | 'reconnecting'
  | 'readonly'
  | 'locked'
  | 'damaged'
  | 'revoked'
  | 'unauthorized'
  | 'gone'
  | 'reload'
  | 'refused';

/** Statuses after which this page can no longer save anything: the editor turns read-only and a banner says why. */
export const BLOCKING_STATUSES: ReadonlySet<CollabStatus> = new Set(['damaged', 'revoked', 'unauthorized', 'gone', 'reload', 'refused']);

export interface SaveState {
  /** The socket is open. */
  connected: boolean;
  /** The first sync on this socket completed. */
  synced: boolean;
  /** Ever connected since the page loaded (offline vs. first connect). */
  everConnected: boolean;
  /** Document messages sent on the current socket. */
  sent: number;
  /** Of those, how many the server says are durably stored. */
  acked: number;
  /** A local edit happened while no socket could carry it. */
  unsentLocalEdits: boolean;
  /** A close code after which reconnecting cannot help. */
  fatalCode: number | null;
  canWrite: boolean;
  locked: boolean;
  /** The browser says there is no network (its `offline` event). */
  browserOffline: boolean;
  /** The socket looked open but the server did not answer a probe. */
  unresponsive: boolean;
  /** The server announced a graceful restart (1012) and we are reconnecting. */
  restarting: boolean;
  /** The server closed us with 4422: the stored notes are damaged; we stay a reader. */
  damaged: boolean;
  /** Confirmation of our edits is taking unusually long, though the server answers. */
  slow: boolean;
}

export const initialSaveState: SaveState = {
  connected: false,
  synced: false,
  everConnected: false,
  sent: 0,
  acked: 0,
  unsentLocalEdits: false,
  fatalCode: null,
  canWrite: true,
  locked: false,
  browserOffline: false,
  unresponsive: false,
  restarting: false,
  damaged: false,
  slow: false,
};

/**
 * The status shown to the user. "Saved" only when the server has confirmed
 * every document message this socket sent and nothing local is unsent;
 * never "saved" or "online" while disconnected.
 */
export function computeStatus(s: SaveState): CollabStatus {
  if (s.fatalCode === CLOSE_CODES.tokenRevoked) return 'revoked';
  if (s.fatalCode === CLOSE_CODES.unauthorized) return 'unauthorized';
  if (s.fatalCode === CLOSE_CODES.unknownSession) return 'gone';
  if (s.fatalCode === CLOSE_CODES.editorVersionMismatch) return 'reload';
  if (s.damaged) return 'damaged';
  if (s.fatalCode !== null) return 'refused';
  // The browser's word and an unanswered probe beat an open-looking socket.
  if (s.browserOffline || s.unresponsive) return 'offline';
  // A graceful restart is announced and short: no alarm while it lasts.
  if (!s.connected) return s.restarting ? 'reconnecting' : s.everConnected || s.unsentLocalEdits ? 'offline' : 'connecting';
  if (!s.synced) return 'syncing';
  if (s.unsentLocalEdits || s.acked < s.sent) return s.canWrite && !s.locked ? (s.slow ? 'slow' : 'saving') : s.locked ? 'locked' : 'readonly';
  if (s.locked) return 'locked';
  if (!s.canWrite) return 'readonly';
  return 'saved';
}

/**
 * What the badge shows, given what it shows now and the truth. Everything is
 * shown as it happens except one step: "Saving…" becomes "Saved" only once
 * the last edit went out `settleMs` ago. While someone types, the server
 * confirms each keystroke within milliseconds, so the truth flips between
 * saving and saved on every key: the badge would flicker, and each flip
 * re-renders the page, which in a long note costs a walk of the whole
 * editor's DOM (React reads the focused editor's selection on every commit).
 * Holding "Saving…" a moment longer is never untrue; "Saved" never comes early.
 */
export function shownStatus(
  shown: CollabStatus,
  truth: CollabStatus,
  msSinceLastSend: number,
  settleMs: number,
): { status: CollabStatus; recheckInMs: number | null } {
  if (truth === 'saved' && (shown === 'saving' || shown === 'slow') && msSinceLastSend < settleMs) {
    return { status: shown, recheckInMs: settleMs - msSinceLastSend };
  }
  return { status: truth, recheckInMs: null };
}
