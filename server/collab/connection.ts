import type { Role } from '../../shared/roles.js';

/** The little a room needs from a socket, so unit tests can pass a fake. */
export interface CollabSocket {
  send(data: Uint8Array): void;
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
  closed = false;

  constructor(
    readonly id: number,
    readonly socket: CollabSocket,
    readonly role: Role,
    readonly tokenHash: string,
    readonly wantsAck: boolean,
  ) {}

  send(data: Uint8Array): void {
    if (!this.closed && this.socket.isOpen()) this.socket.send(data);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
  }
}
