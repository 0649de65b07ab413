/**
 * A server-to-client WebSocket frame (RFC 6455 §5.2): one final binary frame,
 * unmasked (only clients mask), without extensions (the server negotiates no
 * permessage-deflate). Built once per broadcast and written as is to every
 * recipient's socket, instead of ws framing the same bytes again per peer.
 */
export function binaryFrame(payload: Uint8Array): Buffer {
  const frame = allocateFrame(payload.byteLength);
  frame.set(payload, frame.byteLength - payload.byteLength);
  return frame;
}

/** A frame for an `n`-byte payload with its header written: the payload goes in its last `n` bytes. */
function allocateFrame(n: number): Buffer {
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
  return frame;
}

/** A message for many connections: its bytes, and its WebSocket frame, built on first use and shared. */
export class SharedMessage {
  private framed: Buffer | null = null;

  constructor(readonly payload: Uint8Array) {}

  /**
   * The message `prefix` + `body`, framed at once in one allocation (the
   * payload is a view into the frame): the body is copied once, not three times.
   */
  static framed(prefix: readonly number[], body: Uint8Array): SharedMessage {
    const n = prefix.length + body.byteLength;
    const frame = allocateFrame(n);
    const start = frame.byteLength - n;
    for (let i = 0; i < prefix.length; i++) frame[start + i] = prefix[i]!;
    frame.set(body, start + prefix.length);
    const message = new SharedMessage(frame.subarray(start));
    message.framed = frame;
    return message;
  }

  get frame(): Buffer {
    return (this.framed ??= binaryFrame(this.payload));
  }
}
