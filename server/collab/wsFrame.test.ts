import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { binaryFrame, SharedMessage } from './wsFrame.js';

// ws' framing internals (exported at run time, not in its type definitions).
interface WsReceiver {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  write(chunk: Buffer): void;
}
const ws = createRequire(import.meta.url)('ws') as {
  Sender: { frame(data: Buffer, o: object): Buffer[] };
  Receiver: new (o: { isServer: boolean }) => WsReceiver;
};
const { Receiver, Sender } = ws;

/** ws' own framing of a server message (unmasked, no compression), for comparison. */
const wsFramed = (payload: Uint8Array): Buffer =>
  Buffer.concat(
    Sender.frame(Buffer.from(payload), {
      fin: true,
      rsv1: false,
      opcode: 2,
      mask: false,
      readOnly: false,
    }),
  );

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);

describe('binaryFrame', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 300_000])('frames %i bytes exactly as ws does, and ws reads them back', (n) => {
    const payload = bytes(n);
    const frame = binaryFrame(payload);
    expect(frame.equals(wsFramed(payload))).toBe(true);

    // A client-side ws parser (it expects unmasked frames from a server) reads back the same message.
    const received: Buffer[] = [];
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => {
      expect(isBinary).toBe(true);
      received.push(data);
    });
    receiver.write(frame);
    expect(received).toHaveLength(1);
    expect(Buffer.compare(received[0]!, Buffer.from(payload))).toBe(0);
  });

  it('a shared message builds its frame once', () => {
    const m = new SharedMessage(bytes(10));
    expect(m.frame).toBe(m.frame);
  });
});
