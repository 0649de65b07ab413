import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CLOSE_CODES, FATAL_CLOSE_CODES } from '../../shared/closeCodes.js';
import { EDITOR_SCHEMA_VERSION, MESSAGE_TYPES, NOTES_FRAGMENT, SYNC_TYPES } from '../../shared/protocol.js';
import type { Role } from '../../shared/roles.js';
import { browserTimers, LivenessWatch, type Timers } from './livenessWatch.js';
import { applyRescue, keepLostTyping, RecentTyping, type Rescue } from './lostTyping.js';
import { readerSafeMessage } from './readerGuard.js';
import { onSessionBack } from '../lib/sessionReturn.js';
import { goneRetryDelay, heldClientIdRetry, reconnectDecision } from './reconnectPolicy.js';
import { computeStatus, initialSaveState, isDocMessage, shownStatus, type CollabStatus, type SaveState } from './savedStatus.js';

/** A remote "… is typing" whose presence was not renewed this long goes (their caret moves renew it while they type). */
const TYPING_STALE_MS = 4000;

/** Origin of the edits that put back typing a remote change dropped unseen (lostTyping.ts). */
const LOST_TYPING_ORIGIN = 'roundtable:lost-typing';

export interface PresenceUser {
  clientId: number;
  name: string;
  color: string;
  role: Role;
  typing: boolean;
  isSelf: boolean;
}

export interface CollabSnapshot {
  status: CollabStatus;
  users: PresenceUser[];
  /**
   * The notes are here: the server synced once, or this device holds a copy.
   * Typing before that would land in an empty document and interleave with
   * the template when it arrives.
   */
  contentReady: boolean;
  /** The server's own words when it ended the connection for good (4409, 4422, …), if it gave any. */
  closeReason: string | null;
}

/** Timings of the connection's health checks (tests shorten nothing: these are the product's values). */
export const CONNECTION_TIMING = {
  /** Silence while an edit waits for confirmation before a probe goes out. */
  probeAfterMs: 1200,
  /** How long the server has to answer that probe. */
  answerWithinMs: 1500,
  /** A socket that has not opened after this long is given up and retried. */
  connectTimeoutMs: 8000,
  /** Confirmation slower than this (with the server answering) says so. */
  slowAfterMs: 5000,
  /** A connection that stayed up this long resets the reconnect backoff. */
  stableAfterMs: 10_000,
  /** How long a graceful restart (1012) may take before it counts as offline. */
  restartGraceMs: 10_000,
  /** "Saved" waits for this pause after the last edit went out (shownStatus). */
  savedSettleMs: 700,
} as const;

export interface CollabDeps {
  timers?: Timers;
  random?: () => number;
  now?: () => number;
}

type AnyTimer = unknown;

/**
 * Owns one session's Y.Doc, its IndexedDB copy (offline edits survive a
 * reload) and its y-websocket provider, and derives the truthful status.
 *
 * Reconnecting is ours, not the provider's: every close backs off with
 * jitter (reconnectPolicy), fatal close codes stop, a graceful restart comes
 * back at once. A connection that may not write (a reader, locked notes, a
 * damaged document) never puts a non-empty update on the wire.
 */
export class CollabSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly persistence: IndexeddbPersistence;
  private state: SaveState;
  private snapshot: CollabSnapshot;
  private readonly listeners = new Set<() => void>();
  private typingTimer: AnyTimer = null;
  private contentReady = false;
  private closeReason: string | null = null;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly liveness: LivenessWatch;
  private attempt = 0;
  private reconnectTimer: AnyTimer = null;
  private connectTimer: AnyTimer = null;
  private stableTimer: AnyTimer = null;
  private slowTimer: AnyTimer = null;
  private restartTimer: AnyTimer = null;
  private settleTimer: AnyTimer = null;
  private typingStaleTimer: AnyTimer = null;
  /** While the session is removed (4404): the next look whether it is back. */
  private goneTimer: AnyTimer = null;
  private goneAttempt = 0;
  /** The stream said the session is back while a look was under way: if that look still hears 4404, look again at once. */
  private backAnnounced = false;
  private stopListeningBack: () => void = () => {};
  private readonly now: () => number;
  private lastSendAt = -Infinity;
  /** Content was kept off the wire while we could not write; it goes out on the next handshake we may write in. */
  private heldBack = false;
  private damagedRetried = false;
  /** Tried once more after "client id held by another live connection" (4400) since the last stable connection. */
  private heldIdRetried = false;
  private destroyed = false;
  private stopKeepingTyping: () => void = () => {};
  private readonly recentTyping = new RecentTyping();
  private typingRescuer: ((rescues: readonly Rescue[]) => void) | null = null;

  constructor(
    sessionId: string,
    token: string,
    readonly role: Role,
    user: { name: string; color: string } | null,
    deps: CollabDeps = {},
  ) {
    this.timers = deps.timers ?? browserTimers;
    this.random = deps.random ?? Math.random;
    this.now = deps.now ?? (() => performance.now());
    this.state = { ...initialSaveState, canWrite: role !== 'view', browserOffline: typeof navigator !== 'undefined' && navigator.onLine === false };
    // The provider opens its socket inside its constructor, and the socket reports here at once.
    this.snapshot = { status: computeStatus(this.state), users: [], contentReady: false, closeReason: null };
    this.liveness = new LivenessWatch({
      probeAfterMs: CONNECTION_TIMING.probeAfterMs,
      answerWithinMs: CONNECTION_TIMING.answerWithinMs,
      timers: this.timers,
      sendProbe: () => this.sendProbe(),
      onUnresponsive: () => this.onUnresponsive(),
    });
    // A reader keeps its own copy on this device: edits another tab (an edit link in the same browser) left
    // unsent must never become part of what a reader holds, or it would offer them to the server.
    this.persistence = new IndexeddbPersistence(role === 'view' ? `roundtable:${sessionId}:reader` : `roundtable:${sessionId}`, this.doc);
    const session = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the socket class below reports to this session
    class CountingWebSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        session.socketCreated(this);
        this.addEventListener('message', () => {
          if (session.provider?.ws === this) session.liveness.received();
        });
      }
      override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
        if (!(data instanceof Uint8Array)) return super.send(data);
        let out = data;
        if (!session.mayWrite()) {
          const safe = readerSafeMessage(out);
          if (safe.withheld) session.heldBack = true;
          out = safe.data;
        }
        if (isDocMessage(out)) {
          session.lastSendAt = session.now();
          session.update({ sent: session.state.sent + 1, unsentLocalEdits: false });
          session.waitForConfirmation();
        }
        super.send(out);
      }
    }
    const wsOrigin = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
    this.provider = new WebsocketProvider(wsOrigin, sessionId, this.doc, {
      // A view session asks the server to treat it as a reader even when its link could write.
      params: { token, ack: '1', schema: String(EDITOR_SCHEMA_VERSION), ...(role === 'view' ? { readonly: '1' } : {}) },
      WebSocketPolyfill: CountingWebSocket as unknown as typeof WebSocket,
      // We decide about every reconnect ourselves (onClose), with backoff and jitter.
      shouldReconnect: () => false,
      // Tabs of one browser share edits over a BroadcastChannel; a reader must not take in a writer's unsent edits.
      disableBc: role === 'view',
    });
    if (role !== 'view') {
      this.stopKeepingTyping = keepLostTyping(this.doc, this.doc.getXmlFragment(NOTES_FRAGMENT), {
        recent: this.recentTyping,
        online: () => this.provider.wsconnected,
        // The editor puts it back where its caret follows; without one, Yjs does.
        apply: (rescues) => (this.typingRescuer ? this.typingRescuer(rescues) : applyRescue(this.doc, rescues, LOST_TYPING_ORIGIN)),
      });
    }
    this.provider.messageHandlers[MESSAGE_TYPES.saved] = (_encoder, decoder) => {
      this.update({ acked: decoding.readVarUint(decoder) });
    };
    this.provider.on('status', ({ status }: { status: string }) => {
      const connected = status === 'connected';
      if (connected) this.clearTimer('connectTimer');
      if (connected) this.recentTyping.connected();
      this.update({ connected, everConnected: this.state.everConnected || connected, synced: connected ? this.state.synced : false });
    });
    this.provider.on('sync', (synced: boolean) => {
      if (synced && this.state.fatalCode === CLOSE_CODES.unknownSession) {
        // The session is back (undeleted) and the server served its notes: an ordinary connection again.
        // Whatever was typed before it went is in the doc and went out with this handshake.
        this.clearTimer('goneTimer');
        this.goneAttempt = 0;
        this.backAnnounced = false;
        this.attempt = 0;
        this.closeReason = null;
        this.state = { ...this.state, fatalCode: null };
      }
      if (synced) {
        this.contentReady = true;
        this.clearTimer('restartTimer');
        this.clearTimer('stableTimer');
        // Backoff resets only once a connection has proved itself, so "open, sync, closed at once" still backs off.
        this.stableTimer = this.timers.setTimeout(() => {
          this.stableTimer = null;
          this.attempt = 0;
          this.heldIdRetried = false;
        }, CONNECTION_TIMING.stableAfterMs);
      }
      this.update(synced ? { synced, unresponsive: false, restarting: false } : { synced });
    });
    this.persistence.on('synced', () => {
      if (this.doc.getXmlFragment(NOTES_FRAGMENT).length > 0) this.contentReady = true;
      this.emit();
    });
    this.provider.on('connection-close', (event: CloseEvent | null) => this.onClose(event));
    this.doc.on('update', (_u: Uint8Array, origin: unknown) => {
      // The provider sends local updates synchronously when connected; otherwise they wait for the next SyncStep2.
      if (origin !== this.provider && !this.provider.wsconnected && this.mayWrite()) this.update({ unsentLocalEdits: true });
    });
    this.provider.awareness.setLocalStateField('user', { ...(user ?? { name: '', color: '#57606a' }), role, typing: false });
    this.provider.awareness.on('change', () => this.emit());
    if (typeof window !== 'undefined') {
      window.addEventListener('offline', this.onBrowserOffline);
      window.addEventListener('online', this.onBrowserOnline);
    }
    // A removed session brought back (a moderator's Undo): the event stream says so, and we reconnect at once.
    if (typeof window !== 'undefined') this.stopListeningBack = onSessionBack(window, sessionId, () => this.lookAgainIfGone());
    this.snapshot = this.computeSnapshot().snapshot;
  }

  /** Who puts back typing a remote change dropped (lostTyping.ts): the editor while one shows these notes. */
  setTypingRescuer(rescuer: ((rescues: readonly Rescue[]) => void) | null): void {
    this.typingRescuer = rescuer;
  }

  /** May this connection put document content on the wire right now? */
  mayWrite(): boolean {
    return this.state.canWrite && !this.state.locked && !this.state.damaged;
  }

  setLocked(locked: boolean): void {
    if (locked === this.state.locked) return;
    this.update({ locked });
    // Edits kept back while locked go out in a fresh handshake now that the server takes them.
    if (!locked && this.heldBack && this.mayWrite() && this.provider.wsconnected) this.restartConnection();
  }

  setUser(user: { name: string; color: string }): void {
    const prev = (this.provider.awareness.getLocalState()?.user ?? {}) as Record<string, unknown>;
    this.provider.awareness.setLocalStateField('user', { ...prev, ...user });
  }

  /** Marks the local user as typing for a moment (presence only; never touches the document). */
  noteTyping(): void {
    const prev = (this.provider.awareness.getLocalState()?.user ?? {}) as Record<string, unknown>;
    if (!prev.typing) this.provider.awareness.setLocalStateField('user', { ...prev, typing: true });
    this.clearTimer('typingTimer');
    this.typingTimer = this.timers.setTimeout(() => {
      this.typingTimer = null;
      const cur = (this.provider.awareness.getLocalState()?.user ?? {}) as Record<string, unknown>;
      this.provider.awareness.setLocalStateField('user', { ...cur, typing: false });
    }, 1500);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): CollabSnapshot => this.snapshot;

  private socketCreated(ws: WebSocket): void {
    this.update({ sent: 0, acked: 0, slow: false });
    this.clearTimer('slowTimer');
    this.clearTimer('connectTimer');
    // A server that accepts the TCP connection but never answers the upgrade (a hung process) would leave us "connecting" forever.
    this.connectTimer = this.timers.setTimeout(() => {
      this.connectTimer = null;
      if (this.provider.ws !== ws || this.provider.wsconnected) return;
      this.provider.disconnect();
      this.scheduleReconnect(null);
    }, CONNECTION_TIMING.connectTimeoutMs);
  }

  private waitForConfirmation(): void {
    this.liveness.expectAnswer();
    if (this.slowTimer === null && !this.state.slow) {
      this.slowTimer = this.timers.setTimeout(() => {
        this.slowTimer = null;
        if (this.state.acked < this.state.sent) this.update({ slow: true });
      }, CONNECTION_TIMING.slowAfterMs);
    }
  }

  /**
   * A question the server must answer. The server handles one socket's messages in order, and answers a
   * sync step 1 only once pending writes are stored, so a slow disk would look like a dead server; a query
   * for presence is answered at once, but only when someone is present. So: the presence query whenever
   * we know someone is (a note-taker's own presence always is), else a sync step 1.
   */
  private sendProbe(): void {
    const ws = this.provider.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const someonePresent = this.role !== 'view' || this.provider.awareness.getStates().size > 1;
    if (someonePresent) return ws.send(Uint8Array.of(MESSAGE_TYPES.queryAwareness));
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_TYPES.sync);
    encoding.writeVarUint(e, SYNC_TYPES.step1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(this.doc));
    ws.send(encoding.toUint8Array(e));
  }

  private onUnresponsive(): void {
    if (this.destroyed) return;
    this.update({ unresponsive: true });
    this.provider.disconnect();
    this.scheduleReconnect(null);
  }

  private onBrowserOffline = (): void => {
    this.update({ browserOffline: true });
    // If the socket survived, the probe's answer shows it; if not, we stop waiting for it.
    if (this.provider.wsconnected) this.liveness.probeNow();
  };

  private onBrowserOnline = (): void => {
    this.update({ browserOffline: false });
    this.attempt = 0;
    if (this.provider.wsconnected) this.liveness.probeNow();
    else if (!this.stopped()) {
      this.clearTimer('reconnectTimer');
      this.provider.connect();
    }
  };

  private stopped(): boolean {
    return this.destroyed || this.state.fatalCode !== null;
  }

  private onClose(event: CloseEvent | null): void {
    this.liveness.stop();
    this.clearTimer('connectTimer');
    this.clearTimer('stableTimer');
    this.clearTimer('slowTimer');
    // A close we asked for (disconnect) reports no event; whoever asked decides what comes next.
    if (!event || this.destroyed) return;
    const { code, reason } = event;
    if (code === CLOSE_CODES.documentDamaged) {
      this.closeReason = reason || null;
      if (!this.damagedRetried) {
        // Read-only until a moderator repairs it: come back once as a reader, so the notes stay readable.
        this.damagedRetried = true;
        this.provider.params = { ...this.provider.params, readonly: '1' };
        this.update({ damaged: true });
        this.scheduleReconnect(null);
      } else this.update({ damaged: true, fatalCode: code });
      return;
    }
    const heldRetryMs = heldClientIdRetry(code, reason, this.heldIdRetried, this.random);
    if (heldRetryMs !== null) {
      // Most likely our own old socket, left open on the server by a network drop: it is dropped there unless it
      // answers, and the retry then sends every edit this page holds (nothing is lost meanwhile: it is all in the Y.Doc).
      this.heldIdRetried = true;
      this.clearTimer('reconnectTimer');
      this.reconnectTimer = this.timers.setTimeout(() => {
        this.reconnectTimer = null;
        if (!this.stopped()) this.provider.connect();
      }, heldRetryMs);
      return;
    }
    if (code === CLOSE_CODES.unknownSession) {
      // Removed from the schedule, perhaps by mistake: shown as gone, read-only, but a moderator's Undo brings it back.
      // We look again when the event stream says it is back (lookAgainIfGone), and otherwise now and then.
      this.closeReason = reason || null;
      this.update({ fatalCode: code });
      this.scheduleGoneLook(this.backAnnounced ? 250 : undefined);
      this.backAnnounced = false;
      return;
    }
    if (FATAL_CLOSE_CODES.has(code)) {
      this.closeReason = reason || null;
      this.update({ fatalCode: code });
      return;
    }
    if (code === CLOSE_CODES.serviceRestart) {
      this.clearTimer('restartTimer');
      this.restartTimer = this.timers.setTimeout(() => {
        this.restartTimer = null;
        this.update({ restarting: false });
      }, CONNECTION_TIMING.restartGraceMs);
      this.update({ restarting: true });
    }
    this.scheduleReconnect(code);
  }

  private scheduleReconnect(code: number | null): void {
    // A look whether a removed session is back that failed otherwise (timeout, network): the slow schedule goes on.
    if (!this.destroyed && this.state.fatalCode === CLOSE_CODES.unknownSession) return this.scheduleGoneLook();
    if (this.stopped()) return;
    this.clearTimer('reconnectTimer');
    const decision = reconnectDecision(this.attempt, code, this.random);
    this.attempt++;
    if (decision.kind === 'stop') return;
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.destroyed) this.provider.connect();
    }, decision.delayMs);
  }

  private scheduleGoneLook(delayMs?: number): void {
    this.clearTimer('goneTimer');
    if (this.destroyed) return;
    this.goneTimer = this.timers.setTimeout(() => {
      this.goneTimer = null;
      this.lookAgainIfGone();
    }, delayMs ?? goneRetryDelay(this.goneAttempt++, this.random));
  }

  /**
   * While the session is removed (4404), connects once more to see whether it is back: the server closes
   * with 4404 again if not (still shown as gone), or serves the notes (the status leaves 'gone' on sync).
   */
  lookAgainIfGone(): void {
    if (this.destroyed || this.state.fatalCode !== CLOSE_CODES.unknownSession) return;
    this.clearTimer('goneTimer');
    // A look already under way may have been refused before the session came back: it looks again if so.
    if (this.provider.ws) {
      this.backAnnounced = true;
      return;
    }
    this.provider.connect();
  }

  private restartConnection(): void {
    this.heldBack = false;
    this.provider.disconnect();
    this.provider.connect();
  }

  private clearTimer(name: 'typingTimer' | 'reconnectTimer' | 'connectTimer' | 'stableTimer' | 'slowTimer' | 'restartTimer' | 'settleTimer' | 'goneTimer' | 'typingStaleTimer'): void {
    if (this[name] !== null) this.timers.clearTimeout(this[name]);
    this[name] = null;
  }

  private update(patch: Partial<SaveState>): void {
    this.state = { ...this.state, ...patch };
    if (this.state.acked >= this.state.sent) {
      // Everything sent is confirmed: nothing to watch, nothing slow.
      this.liveness.settled();
      this.clearTimer('slowTimer');
      if (this.state.slow) this.state = { ...this.state, slow: false };
    }
    this.emit();
  }

  /** Runs emit again after `ms` (null: not), when what is shown depends on time passing. */
  private emitAgainIn(name: 'settleTimer' | 'typingStaleTimer', ms: number | null): void {
    this.clearTimer(name);
    if (ms === null || this.destroyed) return;
    this[name] = this.timers.setTimeout(() => {
      this[name] = null;
      this.emit();
    }, ms);
  }

  private emit(): void {
    const { snapshot: truth, typingRecheckMs } = this.computeSnapshot();
    const shown = shownStatus(this.snapshot.status, truth.status, this.now() - this.lastSendAt, CONNECTION_TIMING.savedSettleMs);
    this.emitAgainIn('settleTimer', shown.recheckInMs);
    this.emitAgainIn('typingStaleTimer', typingRecheckMs);
    const next = { ...truth, status: shown.status };
    if (
      next.status === this.snapshot.status &&
      next.contentReady === this.snapshot.contentReady &&
      next.closeReason === this.snapshot.closeReason &&
      JSON.stringify(next.users) === JSON.stringify(this.snapshot.users)
    )
      return;
    this.snapshot = next;
    for (const l of this.listeners) l();
  }

  /** The snapshot as things are, and when a remote "… is typing" in it goes stale (see TYPING_STALE_MS). */
  private computeSnapshot(): { snapshot: CollabSnapshot; typingRecheckMs: number | null } {
    const users: PresenceUser[] = [];
    // Awareness stamps its states with Date.now.
    const now = Date.now();
    let typingRecheckMs: number | null = null;
    for (const [clientId, state] of this.provider?.awareness.getStates() ?? []) {
      const u = (state as { user?: { name?: unknown; color?: unknown; role?: unknown; typing?: unknown } }).user;
      // A reader who gave no name is only counted, never listed.
      if (!u || typeof u.name !== 'string' || !u.name.trim()) continue;
      // Someone typing moves their caret, which renews their presence; one whose network went away renews nothing,
      // and their "… is typing" would stay until presence times out (30 s). It goes once their presence is this old.
      let typing = u.typing === true;
      if (typing && clientId !== this.doc.clientID) {
        const age = now - (this.provider.awareness.meta.get(clientId)?.lastUpdated ?? now);
        typing = age < TYPING_STALE_MS;
        if (typing) typingRecheckMs = Math.min(typingRecheckMs ?? Infinity, TYPING_STALE_MS - age + 50);
      }
      users.push({
        clientId,
        name: u.name.slice(0, 60),
        color: typeof u.color === 'string' && /^#[0-9a-f]{6}$/i.test(u.color) ? u.color : '#57606a',
        role: u.role === 'view' || u.role === 'moderate' ? u.role : 'edit',
        typing,
        isSelf: clientId === this.doc.clientID,
      });
    }
    users.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name));
    return { snapshot: { status: computeStatus(this.state), users, contentReady: this.contentReady, closeReason: this.closeReason }, typingRecheckMs };
  }

  destroy(): void {
    this.destroyed = true;
    for (const t of ['typingTimer', 'reconnectTimer', 'connectTimer', 'stableTimer', 'slowTimer', 'restartTimer', 'settleTimer', 'goneTimer', 'typingStaleTimer'] as const) this.clearTimer(t);
    this.stopListeningBack();
    this.liveness.stop();
    if (typeof window !== 'undefined') {
      window.removeEventListener('offline', this.onBrowserOffline);
      window.removeEventListener('online', this.onBrowserOnline);
    }
    this.stopKeepingTyping();
    this.provider.destroy();
    void this.persistence.destroy();
    this.doc.destroy();
  }
}
