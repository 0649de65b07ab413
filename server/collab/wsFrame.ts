/**
 * A server-to-client WebSocket frame (RFC 6455 §5.2): one final binary frame,
 * unmasked (only clients mask), without extensions (the server negotiates no
 * permessage-deflate). Built once per broadcast and written as is to every
 * recipient's socket, instead of ws framing the same bytes again per peer.
 */
export function binaryFrame(payload: Uint8Array): Buffer {
  const n = payload.byteLength;
  const headerBytes = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + n);
  frame[0] = 0x82; // FIN + opcode 2 (binary)
  if (n < 126) frame[1] = n;
  else if (n < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  frame.set(payload, headerBytes);
  return frame;
}

/** A message for many connections: its bytes, and its WebSocket frame, built on first use and shared. */
export class SharedMessage {
  private framed: Buffer | null = null;

  constructor(readonly payload: Uint8Array) {}

  get frame(): Buffer {
    return (this.framed ??= binaryFrame(this.payload));
  }
}
