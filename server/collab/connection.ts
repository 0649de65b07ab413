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
  /** A WebSocket ping; the server calls `Connection.answered` when its pong arrives. Optional (fakes). */
  ping?(): void;
  /** Drops the socket at once, without a closing handshake (the client is gone). */
  terminate?(): void;
  /** Holds writes until `uncork`, which sends them in one system call. Optional (fakes). */
  cork?(): void;
  uncork?(): void;
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
  /** The liveness check under way (checkAlive), and how its pong ends it. */
  private aliveCheck: Promise<boolean> | null = null;
  private onAnswer: (() => void) | null = null;

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

  /** Until `uncork`, frames queue and then leave in one write (a broadcast and its "Saved" together). */
  cork(): void {
    if (!this.closed) this.socket.cork?.();
  }

  uncork(): void {
    // Uncorked even once closed: a socket that is still open must not keep writes back.
    try {
      this.socket.uncork?.();
    } catch {
      // Gone meanwhile; its close handler cleans up.
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

  /**
   * Asks the client to prove it is still there (a ping): true once it answers;
   * false, and the socket is dropped, when it does not within `answerWithinMs`
   * (a network that went away silently leaves the server a socket for up to
   * two ping intervals otherwise). One check at a time; a socket that cannot
   * be pinged counts as there while it is open.
   */
  checkAlive(answerWithinMs: number): Promise<boolean> {
    if (this.aliveCheck) return this.aliveCheck;
    if (this.closed || !this.socket.ping) return Promise.resolve(!this.closed);
    const check = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.onAnswer = null;
        this.aliveCheck = null;
        if (!this.closed) {
          this.closed = true;
          try {
            if (this.socket.terminate) this.socket.terminate();
            else this.socket.close(CLOSE_CODES.tooFarBehind, 'did not answer: reconnect');
          } catch {
            // Already gone.
          }
        }
        resolve(false);
      }, answerWithinMs);
      timer.unref?.();
      this.onAnswer = () => {
        clearTimeout(timer);
        this.onAnswer = null;
        this.aliveCheck = null;
        resolve(true);
      };
    });
    this.aliveCheck = check;
    try {
      this.socket.ping();
    } catch {
      // Not open any more: the check runs out and drops it.
    }
    return check;
  }

  /** The client answered a ping. */
  answered(): void {
    this.onAnswer?.();
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
