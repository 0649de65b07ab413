import * as decoding from 'lib0/decoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { FATAL_CLOSE_CODES } from '../../shared/closeCodes.js';
import { EDITOR_SCHEMA_VERSION, MESSAGE_TYPES, NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { Role } from '../../shared/roles.js';
import { computeStatus, initialSaveState, isDocMessage, type CollabStatus, type SaveState } from './savedStatus.js';

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
}

/**
 * Owns one session's Y.Doc, its IndexedDB copy (offline edits survive a
 * reload) and its y-websocket provider, and derives the truthful status.
 */
export class CollabSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly persistence: IndexeddbPersistence;
  private state: SaveState;
  private snapshot: CollabSnapshot;
  private readonly listeners = new Set<() => void>();
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private contentReady = false;

  constructor(
    sessionId: string,
    token: string,
    readonly role: Role,
    user: { name: string; color: string },
  ) {
    this.state = { ...initialSaveState, canWrite: role !== 'view' };
    // The provider opens its socket inside its constructor, and the socket reports here at once.
    this.snapshot = { status: computeStatus(this.state), users: [], contentReady: false };
    this.persistence = new IndexeddbPersistence(`roundtable:${sessionId}`, this.doc);
    const session = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the socket class below reports to this session
    class CountingWebSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        session.update({ sent: 0, acked: 0 });
      }
      override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
        if (data instanceof Uint8Array && isDocMessage(data)) session.update({ sent: session.state.sent + 1, unsentLocalEdits: false });
        super.send(data);
      }
    }
    const wsOrigin = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
    this.provider = new WebsocketProvider(wsOrigin, sessionId, this.doc, {
      // A view session asks the server to treat it as a reader even when its link could write.
      params: { token, ack: '1', schema: String(EDITOR_SCHEMA_VERSION), ...(role === 'view' ? { readonly: '1' } : {}) },
      WebSocketPolyfill: CountingWebSocket as unknown as typeof WebSocket,
      maxBackoffTime: 5000,
      // Locked notes (4403) and rate limits (4429) pass; only a dead link or an old schema stops us.
      shouldReconnect: (event) => !FATAL_CLOSE_CODES.has(event.code),
    });
    this.provider.messageHandlers[MESSAGE_TYPES.saved] = (_encoder, decoder) => {
      this.update({ acked: decoding.readVarUint(decoder) });
    };
    this.provider.on('status', ({ status }: { status: string }) => {
      const connected = status === 'connected';
      this.update({ connected, everConnected: this.state.everConnected || connected, synced: connected ? this.state.synced : false });
    });
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.contentReady = true;
      this.update({ synced });
    });
    this.persistence.on('synced', () => {
      if (this.doc.getXmlFragment(NOTES_FRAGMENT).length > 0) this.contentReady = true;
      this.emit();
    });
    this.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event && FATAL_CLOSE_CODES.has(event.code)) this.update({ fatalCode: event.code });
    });
    this.doc.on('update', (_u: Uint8Array, origin: unknown) => {
      // The provider sends local updates synchronously when connected; otherwise they wait for the next SyncStep2.
      if (origin !== this.provider && !this.provider.wsconnected) this.update({ unsentLocalEdits: true });
    });
    this.provider.awareness.setLocalStateField('user', { ...user, role, typing: false });
    this.provider.awareness.on('change', () => this.emit());
    this.snapshot = this.computeSnapshot();
  }

  setLocked(locked: boolean): void {
    if (locked !== this.state.locked) this.update({ locked });
  }

  setUser(user: { name: string; color: string }): void {
    const prev = (this.provider.awareness.getLocalState()?.user ?? {}) as Record<string, unknown>;
    this.provider.awareness.setLocalStateField('user', { ...prev, ...user });
  }

  /** Marks the local user as typing for a moment (presence only; never touches the document). */
  noteTyping(): void {
    const prev = (this.provider.awareness.getLocalState()?.user ?? {}) as Record<string, unknown>;
    if (!prev.typing) this.provider.awareness.setLocalStateField('user', { ...prev, typing: true });
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => {
      const cur = (this.provider.awareness.getLocalState()?.user ?? {}) as Record<string, unknown>;
      this.provider.awareness.setLocalStateField('user', { ...cur, typing: false });
    }, 1500);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): CollabSnapshot => this.snapshot;

  private update(patch: Partial<SaveState>): void {
    this.state = { ...this.state, ...patch };
    this.emit();
  }

  private emit(): void {
    const next = this.computeSnapshot();
    if (next.status === this.snapshot.status && next.contentReady === this.snapshot.contentReady && JSON.stringify(next.users) === JSON.stringify(this.snapshot.users)) return;
    this.snapshot = next;
    for (const l of this.listeners) l();
  }

  private computeSnapshot(): CollabSnapshot {
    const users: PresenceUser[] = [];
    for (const [clientId, state] of this.provider?.awareness.getStates() ?? []) {
      const u = (state as { user?: { name?: unknown; color?: unknown; role?: unknown; typing?: unknown } }).user;
      if (!u || typeof u.name !== 'string') continue;
      users.push({
        clientId,
        name: u.name.slice(0, 60),
        color: typeof u.color === 'string' && /^#[0-9a-f]{6}$/i.test(u.color) ? u.color : '#57606a',
        role: u.role === 'view' || u.role === 'moderate' ? u.role : 'edit',
        typing: u.typing === true,
        isSelf: clientId === this.doc.clientID,
      });
    }
    users.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name));
    return { status: computeStatus(this.state), users, contentReady: this.contentReady };
  }

  destroy(): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.provider.destroy();
    void this.persistence.destroy();
    this.doc.destroy();
  }
}
