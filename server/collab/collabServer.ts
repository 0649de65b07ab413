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
import { encodeSyncStep1 } from './messages.js';
import * as Y from 'yjs';

export interface CollabAccess {
  /** Resolves a token for a session: its role, or why not. */
  authorize(sessionId: string, token: string): { ok: true; role: Role; tokenHash: string } | { ok: false; code: number; reason: string };
}

export interface CollabServerOptions {
  registry: RoomRegistry;
  commitQueue: CommitQueue;
  access: CollabAccess;
  log: Logger;
  pingIntervalMs: number;
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
  /** Live sockets and whether each answered the last ping. */
  private readonly sockets = new Map<WebSocket, { alive: boolean }>();
  private nextConnId = 1;
  private readonly pingTimer: NodeJS.Timeout;

  constructor(private readonly opts: CollabServerOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });
    this.pingTimer = setInterval(() => this.pingAll(), opts.pingIntervalMs);
    this.pingTimer.unref();
  }

  /** For http.Server 'upgrade'; returns false if the path is not ours. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(PATH_PREFIX)) return false;
    const sessionId = decodeURIComponent(url.pathname.slice(PATH_PREFIX.length));
    if (!isId(sessionId)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\ninvalid session id\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.accept(ws, sessionId, url.searchParams);
    });
    return true;
  }

  private accept(ws: WebSocket, sessionId: string, params: URLSearchParams): void {
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
    const auth = this.opts.access.authorize(sessionId, params.get('token') ?? '');
    if (!auth.ok) {
      ws.close(auth.code, auth.reason);
      return;
    }
    const conn = new Connection(
      this.nextConnId++,
      {
        send: (data) => ws.send(data),
        close: (code, reason) => ws.close(code, reason),
        isOpen: () => ws.readyState === ws.OPEN,
      },
      // `readonly=1` lets any link connect as a reader (the projector): counted, and refused writes, as one.
      params.get('readonly') === '1' ? 'view' : auth.role,
      auth.tokenHash,
      params.get('ack') === '1',
    );
    let set = this.byToken.get(auth.tokenHash);
    if (!set) this.byToken.set(auth.tokenHash, (set = new Set()));
    set.add(conn);

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
        let result: void | Promise<void>;
        try {
          result = handleMessage(room, conn, msg, { commitQueue: this.opts.commitQueue, log: this.opts.log });
        } catch (err) {
          this.opts.log.error('message handler failed', { docId: sessionId, error: String(err) });
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
              this.opts.log.error('message handler failed', { docId: sessionId, error: String(err) });
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
      backlog.push(buf);
      backlogBytes += buf.length;
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
      if (room) {
        room.removeConnection(conn);
        this.opts.registry.release(room);
      }
    });

    this.opts.registry.acquire(sessionId).then(
      (loaded) => {
        if (conn.closed) {
          this.opts.registry.release(loaded);
          return;
        }
        room = loaded;
        loaded.addConnection(conn);
        conn.send(encodeSyncStep1(Y.encodeStateVector(loaded.doc)));
        sendAwarenessSnapshot(loaded, conn);
        drain();
      },
      (err: unknown) => {
        this.opts.log.error('document failed to load', { docId: sessionId, error: String(err) });
        conn.close(CLOSE_CODES.internalError, 'document failed to load');
      },
    );
  }

  /** Closes every live socket that authenticated with one of these token hashes. */
  revokeTokens(hashes: readonly string[]): void {
    for (const h of hashes) {
      for (const conn of this.byToken.get(h) ?? []) conn.close(CLOSE_CODES.tokenRevoked, 'link was rotated');
    }
  }

  /** Closes every socket of a session (it was deleted). */
  closeSession(sessionId: string, code: number, reason: string): void {
    const room = this.opts.registry.get(sessionId);
    if (room) for (const conn of room.conns) conn.close(code, reason);
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

  async close(): Promise<void> {
    clearInterval(this.pingTimer);
    for (const ws of this.sockets.keys()) ws.close(CLOSE_CODES.goingAway, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** Drops every socket without a close frame (tests of abrupt failure). */
  terminateAll(): void {
    for (const ws of this.sockets.keys()) ws.terminate();
  }
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
