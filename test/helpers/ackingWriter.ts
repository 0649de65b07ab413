import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';
import { appendParagraph } from './yClient.js';

/**
 * A writer that sends each edit as one update message with `ack=1` and
 * tracks the server's "saved" count (message 100): edit i is the i-th
 * document message, so the first `acked` edits are the ones the server
 * promised are durable. Durability tests check exactly those after a crash.
 */
export class AckingWriter {
  readonly doc = new Y.Doc();
  /** Texts of the edits sent, in order. */
  readonly sent: string[] = [];
  acked = 0;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(d) === MESSAGE_TYPES.saved) this.acked = Math.max(this.acked, decoding.readVarUint(d));
    });
    this.closed = new Promise((resolve) => ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  }

  static open(wsUrl: string, sessionId: string, token: string): Promise<AckingWriter> {
    const ws = new WebSocket(`${wsUrl}/${sessionId}?token=${token}&ack=1`);
    const writer = new AckingWriter(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(writer));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Appends a paragraph and sends it as one update; returns false once the socket is gone. */
  write(text: string): boolean {
    if (!this.isOpen) return false;
    const updates: Uint8Array[] = [];
    const capture = (u: Uint8Array) => updates.push(u);
    this.doc.on('update', capture);
    appendParagraph(this.doc, text);
    this.doc.off('update', capture);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_TYPES.sync);
    encoding.writeVarUint(e, SYNC_TYPES.update);
    encoding.writeVarUint8Array(e, updates[0]!);
    this.ws.send(encoding.toUint8Array(e));
    this.sent.push(text);
    return true;
  }

  /** The edits the server acknowledged as durable. */
  ackedTexts(): string[] {
    return this.sent.slice(0, this.acked);
  }

  /** Writes `prefix N` every `everyMs` until stopped or the socket closes. */
  typeContinuously(prefix: string, everyMs: number): () => void {
    let n = 0;
    const timer = setInterval(() => {
      if (!this.write(`${prefix} ${n++}`)) clearInterval(timer);
    }, everyMs);
    return () => clearInterval(timer);
  }

  close(): void {
    this.ws.terminate();
  }
}
