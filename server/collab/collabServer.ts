import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { isId } from '../../shared/ids.js';
import { LIMITS } from '../../shared/limits.js';
import { EDITOR_SCHEMA_VERSION } from '../../shared/protocol.js';
import type { Role } from '../../shared/roles.js';
import type { Logger } from '../logger.js';
import type { CommitQueue } from './commitQueue.js';
import { Connection } from './connection.js';
import { handleMessage, sendAwarenessSnapshot } from './handleMessage.js';
import { TokenBucket } from './rateLimiter.js';
import type { Room } from './room.js';
import type { RoomRegistry } from './roomRegistry.js';
import { raiseStep1, type ColdAnswer } from './coldAnswer.js';
import { DocumentUnreadable } from './loadDocument.js';
import { encodeSyncStep1 } from './messages.js';
import { describeError } from './roomFault.js';
import * as Y from 'yjs';

export interface CollabAccess {
  /** Resolves a token for a session (server/access): its role, or why not. */
  authorize(sessionId: string, token: string): Promise<{ ok: true; role: Role; tokenHash: string } | { ok: false; why: 'unknown_session' | 'link_invalid' }>;
}

export interface CollabServerOptions {
  registry: RoomRegistry;
  commitQueue: CommitQueue;
  access: CollabAccess;
  log: Logger;
  pingIntervalMs: number;
  /** Whether a browser page from this Origin may connect (absent Origin: not a browser; allowed). */
  originAllowed?(origin: string | undefined, host: string | undefined): boolean;
  /** False while storage refuses writes (files replaced under the server): writers are turned away with 4500. */
  acceptingWrites?(): boolean;
  /** Told about every close the server sends a connection (metrics). */
  observer?: { closed(code: number, reason: string): void };
  /**
   * Bytes a connection may have waiting in its socket, beyond its largest
   * single reply (its first sync), before a broadcast closes it with 4408
   * instead of buffering more [LIMITS.maxSendBacklogBytes].
   */
  maxSendBacklogBytes?: number;
  /** Answers a fresh client from storage while its room loads (coldAnswer.ts). */
  coldAnswer?: ColdAnswer;
}

/** Close reasons (at most 123 bytes) the clients show or log. */
export const CLOSE_REASONS = {
  damaged: 'notes are damaged: read-only until a moderator repairs them',
  unreadable: 'stored notes cannot be read: a moderator must restore them',
  storage: 'storage unavailable: edits are kept on your device; reconnect later',
  restart: 'server restarting, reconnect',
} as const;

function refuseUpgrade(socket: Duplex, status: string, message: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${message}\n`);
}

const PATH_PREFIX = '/collab/';

/**
 * The WebSocket side: plain y-websocket at /collab/<sessionId>?token=…
 * Authentication happens before the room is touched; messages that arrive
 * while the room loads are buffered (bounded) and replayed in order.
 */
export class CollabServer {
  private readonly wss: WebSocketServer;
  private readonly byToken = new Map<string, Set<Connection>>();
  /** Every open connection of a session, its room loaded or still loading (a session deleted meanwhile closes them too). */
  private readonly bySession = new Map<string, Set<Connection>>();
  /** Live sockets and whether each answered the last ping. */
  private readonly sockets = new Map<WebSocket, { alive: boolean }>();
  private nextConnId = 1;
  private readonly pingTimer: NodeJS.Timeout;
  private draining = false;

  constructor(private readonly opts: CollabServerOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });
    this.pingTimer = setInterval(() => this.pingAll(), opts.pingIntervalMs);
    this.pingTimer.unref();
  }

  /** For http.Server 'upgrade'; returns false if the path is not ours. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      refuseUpgrade(socket, '400 Bad Request', 'invalid URL');
      return true;
    }
    if (!url.pathname.startsWith(PATH_PREFIX)) return false;
    let sessionId: string;
    try {
      sessionId = decodeURIComponent(url.pathname.slice(PATH_PREFIX.length));
    } catch {
      sessionId = '';
    }
    if (!isId(sessionId)) {
      refuseUpgrade(socket, '400 Bad Request', 'invalid session id');
      return true;
    }
    if (this.draining) {
      refuseUpgrade(socket, '503 Service Unavailable', 'server restarting, reconnect');
      return true;
    }
    // A browser always sends Origin on a WebSocket upgrade: a page elsewhere may not use a visitor's link here.
    const origin = req.headers.origin;
    if (this.opts.originAllowed && !this.opts.originAllowed(origin, req.headers.host)) {
      this.opts.log.warn('WebSocket upgrade from a foreign origin refused', { origin: String(origin).slice(0, 200) });
      refuseUpgrade(socket, '403 Forbidden', 'origin not allowed');
      return true;
    }
    // The link is checked before the upgrade completes, so no message can arrive before its role is known.
    this.opts.access.authorize(sessionId, url.searchParams.get('token') ?? '').then(
      (auth) =>
        this.wss.handleUpgrade(req, socket, head, (ws) => {
          try {
            this.accept(ws, socket, sessionId, url.searchParams, auth);
          } catch (err) {
            this.opts.log.error('accepting a connection failed', { docId: sessionId, error: describeError(err) });
            ws.close(CLOSE_CODES.internalError, 'internal error');
          }
        }),
      (err: unknown) => {
        this.opts.log.error('checking a link failed', { docId: sessionId, error: describeError(err) });
        refuseUpgrade(socket, '503 Service Unavailable', 'storage unavailable');
      },
    );
    return true;
  }

  private accept(ws: WebSocket, socket: Duplex, sessionId: string, params: URLSearchParams, auth: Awaited<ReturnType<CollabAccess['authorize']>>): void {
    const liveness = { alive: true };
    this.sockets.set(ws, liveness);
    ws.on('pong', () => {
      liveness.alive = true;
    });
    ws.on('error', (err) => this.opts.log.debug('socket error', { error: err.message }));

    const schema = params.get('schema');
    if (schema !== null && schema !== String(EDITOR_SCHEMA_VERSION)) {
      ws.close(CLOSE_CODES.editorVersionMismatch, 'editor version changed: reload');
      return;
    }
    if (!auth.ok) {
      if (auth.why === 'unknown_session') ws.close(CLOSE_CODES.unknownSession, 'unknown session');
      else ws.close(CLOSE_CODES.unauthorized, 'invalid token');
      return;
    }
    const readonly = params.get('readonly') === '1';
    if (!readonly && auth.role !== 'view' && this.opts.acceptingWrites && !this.opts.acceptingWrites()) {
      ws.close(CLOSE_CODES.internalError, CLOSE_REASONS.storage);
      return;
    }
    // The largest single message sent to this socket (its first sync, usually): the backlog may hold that much more.
    let largestReply = 0;
    const maxBacklog = this.opts.maxSendBacklogBytes ?? LIMITS.maxSendBacklogBytes;
    const conn: Connection = new Connection(
      this.nextConnId++,
      {
        send: (data) => {
          largestReply = Math.max(largestReply, data.byteLength);
          ws.send(data);
        },
        // Broadcasts: the shared frame straight into the socket. ws writes its own frames synchronously
        // to the same socket (no compression is negotiated), so the order of all frames is kept.
        sendFrame: (frame) => {
          if (socket.writableLength > maxBacklog + largestReply) {
            this.opts.log.warn('connection too far behind: closed', { docId: sessionId, conn: conn.id, backlogBytes: socket.writableLength });
            conn.close(CLOSE_CODES.tooFarBehind, 'too far behind: reconnect');
            return;
          }
          socket.write(frame);
        },
        close: (code, reason) => {
          this.opts.observer?.closed(code, reason);
          ws.close(code, reason);
        },
        isOpen: () => ws.readyState === ws.OPEN,
        ping: () => ws.ping(),
        terminate: () => ws.terminate(),
        cork: () => socket.cork(),
        uncork: () => socket.uncork(),
      },
      // `readonly=1` lets any link connect as a reader (the projector): counted, and refused writes, as one.
      readonly ? 'view' : auth.role,
      auth.tokenHash,
      params.get('ack') === '1',
    );
    ws.on('pong', () => conn.answered());
    let set = this.byToken.get(auth.tokenHash);
    if (!set) this.byToken.set(auth.tokenHash, (set = new Set()));
    set.add(conn);
    let ofSession = this.bySession.get(sessionId);
    if (!ofSession) this.bySession.set(sessionId, (ofSession = new Set()));
    ofSession.add(conn);

    const messages = new TokenBucket(LIMITS.messagesPerSecond, LIMITS.messageBurst);
    const bytes = new TokenBucket(LIMITS.bytesPerSecond, LIMITS.byteBurst);
    let room: Room | null = null;
    const backlog: Uint8Array[] = [];
    let backlogBytes = 0;
    let busy = false;

    const drain = () => {
      while (room && !busy && backlog.length > 0 && !conn.closed) {
        const msg = backlog.shift()!;
        backlogBytes -= msg.length;
        const current = room;
        let result: void | Promise<void>;
        try {
          result = handleMessage(current, conn, msg, { commitQueue: this.opts.commitQueue, log: this.opts.log });
        } catch (err) {
          // Every expected failure is handled inside; what escapes means the room itself is in doubt.
          current.fault('handling a message', err);
          conn.close(CLOSE_CODES.internalError, 'internal error');
          return;
        }
        if (result) {
          busy = true;
          result.then(
            () => {
              busy = false;
              drain();
            },
            (err: unknown) => {
              current.fault('handling a message', err);
              conn.close(CLOSE_CODES.internalError, 'internal error');
            },
          );
        }
      }
    };

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (conn.closed) return;
      if (!isBinary) {
        conn.close(CLOSE_CODES.badMessage, 'text frames are not part of the protocol');
        return;
      }
      const buf = toUint8Array(data);
      const waitMs = Math.max(messages.take(1), bytes.take(buf.length));
      if (waitMs > 10_000) {
        conn.close(CLOSE_CODES.rateLimited, 'too many messages');
        return;
      }
      if (waitMs > 0) {
        // Backpressure instead of dropping: nothing the client sent is lost.
        ws.pause();
        setTimeout(() => ws.resume(), waitMs).unref();
      }
      const msg = coldSent ? raiseStep1(buf, coldSent) : buf;
      backlog.push(msg);
      backlogBytes += msg.length;
      if (!room && (backlog.length > LIMITS.maxBufferedMessagesWhileLoading || backlogBytes > LIMITS.maxBufferedBytesWhileLoading)) {
        conn.close(CLOSE_CODES.rateLimited, 'too many messages while loading');
        return;
      }
      drain();
    });

    ws.on('close', () => {
      this.sockets.delete(ws);
      conn.closed = true;
      set.delete(conn);
      if (set.size === 0) this.byToken.delete(auth.tokenHash);
      ofSession.delete(conn);
      if (ofSession.size === 0) this.bySession.delete(sessionId);
      if (!room) return;
      const left = room;
      try {
        left.removeConnection(conn);
        this.opts.registry.release(left);
      } catch (err) {
        left.fault('a client leaving', err);
      }
    });

    // Before the load blocks the event loop: the stored document goes out at once (coldAnswer.ts).
    let coldSent: Uint8Array | null = null;
    if (!this.opts.registry.get(sessionId)) {
      this.opts.coldAnswer?.(sessionId, {
        stillLoading: () => room === null && !conn.closed,
        send: (frame) => conn.send(frame),
        sent: (sv) => {
          coldSent = sv;
          const raised = backlog.map((m) => raiseStep1(m, sv));
          backlogBytes += raised.reduce((n, m, i) => n + m.length - backlog[i]!.length, 0);
          backlog.splice(0, backlog.length, ...raised);
        },
      });
    }
    this.opts.registry.acquire(sessionId).then(
      (loaded) => {
        if (conn.closed) {
          this.opts.registry.release(loaded);
          return;
        }
        if (loaded.damaged && conn.role !== 'view') {
          // Readers still get the notes (a writer may reconnect with readonly=1); nobody may write.
          conn.close(CLOSE_CODES.documentDamaged, CLOSE_REASONS.damaged);
          this.opts.registry.release(loaded);
          return;
        }
        room = loaded;
        try {
          loaded.addConnection(conn);
          conn.send(encodeSyncStep1(Y.encodeStateVector(loaded.doc)));
          sendAwarenessSnapshot(loaded, conn);
          drain();
        } catch (err) {
          loaded.fault('a client joining', err);
        }
      },
      (err: unknown) => {
        if (err instanceof DocumentUnreadable) {
          this.opts.log.error('stored notes cannot be read', { docId: sessionId, error: err.message });
          conn.close(CLOSE_CODES.documentDamaged, CLOSE_REASONS.unreadable);
          return;
        }
        this.opts.log.error('document failed to load', { docId: sessionId, error: describeError(err) });
        conn.close(CLOSE_CODES.internalError, 'document failed to load');
      },
    );
  }

  /** Closes every writer (edit and moderate connections) with `code`: storage stopped taking writes. */
  closeWriters(code: number, reason: string): void {
    for (const conns of [...this.byToken.values()]) {
      for (const conn of [...conns]) if (conn.role !== 'view') conn.close(code, reason);
    }
  }

  /** Closes every live socket that authenticated with one of these token hashes. */
  revokeTokens(hashes: readonly string[]): void {
    for (const h of hashes) {
      for (const conn of this.byToken.get(h) ?? []) conn.close(CLOSE_CODES.tokenRevoked, 'link was rotated');
    }
  }

  /** Closes every socket of a session (it was deleted). */
  closeSession(sessionId: string, code: number, reason: string): void {
    for (const conn of [...(this.bySession.get(sessionId) ?? [])]) conn.close(code, reason);
  }

  private pingAll(): void {
    for (const [ws, liveness] of this.sockets) {
      if (!liveness.alive) {
        ws.terminate();
        continue;
      }
      liveness.alive = false;
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }

  /** Refuses new upgrades (503) from now on: the server is shutting down. */
  stopAccepting(): void {
    this.draining = true;
  }

  /**
   * Sends every client a close frame with 1012 ("server restarting,
   * reconnect") and resolves when all sockets are closed or after `graceMs`,
   * when the ones whose clients never read (and so never answer the close)
   * are terminated.
   */
  async closeAll(graceMs: number): Promise<void> {
    this.draining = true;
    clearInterval(this.pingTimer);
    const open = [...this.sockets.keys()];
    const closed = open.map((ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve()))));
    for (const ws of open) {
      try {
        ws.close(CLOSE_CODES.serviceRestart, CLOSE_REASONS.restart);
      } catch {
        ws.terminate();
      }
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, graceMs))))]);
    clearTimeout(timer);
    // Sockets that never answered the close frame are cut at the deadline.
    for (const ws of this.sockets.keys()) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.closeAll(2000);
  }
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
