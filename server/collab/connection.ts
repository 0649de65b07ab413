import { CLOSE_CODES } from '../../shared/closeCodes.js';
import type { Role } from '../../shared/roles.js';
import type { SharedMessage } from './wsFrame.js';

/** The little a room needs from a socket, so unit tests can pass a fake. */
export interface CollabSocket {
  send(data: Uint8Array): void;
  /**
   * Writes a finished WebSocket frame (shared by every recipient of a
   * broadcast) straight to the socket. Optional: without it, `send` frames
   * the payload. Closes a connection too far behind instead of buffering more.
   */
  sendFrame?(frame: Buffer): void;
  close(code: number, reason: string): void;
  isOpen(): boolean;
}

/** One client's socket in one room, with what the server tracks about it. */
export class Connection {
  /** Awareness client ids this socket has published; removed when it closes. */
  readonly awarenessIds = new Set<number>();
  /** Document messages (SyncStep2 + Update) received so far. */
  docMessagesReceived = 0;
  /** Highest docMessagesReceived value that becomes durable with the next commit. */
  ackTarget = 0;
  lastAcked = 0;
  /**
   * Set when an update that depended on unseen changes was dropped (a clock
   * gap around a reconnect): the number of that message. Acknowledgements stop
   * below it until the client's next SyncStep2, which carries everything the
   * server was missing, is durable.
   */
  holdAcksFrom: number | null = null;
  /** A SyncStep1 asking for the missing changes was sent and not yet answered. */
  resyncRequested = false;
  closed = false;

  constructor(
    readonly id: number,
    readonly socket: CollabSocket,
    readonly role: Role,
    readonly tokenHash: string,
    readonly wantsAck: boolean,
  ) {}

  send(data: Uint8Array): void {
    if (this.closed || !this.socket.isOpen()) return;
    try {
      this.socket.send(data);
    } catch {
      // A socket that cannot take a frame is as good as gone; its client reconnects and resyncs.
      this.close(CLOSE_CODES.internalError, 'could not send');
    }
  }

  /** A broadcast: the frame built once for all recipients, where the socket takes frames. */
  sendShared(message: SharedMessage): void {
    if (this.closed || !this.socket.isOpen()) return;
    try {
      if (this.socket.sendFrame) this.socket.sendFrame(message.frame);
      else this.socket.send(message.payload);
    } catch {
      this.close(CLOSE_CODES.internalError, 'could not send');
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close(code, reason);
    } catch {
      // Already gone.
    }
  }
}
