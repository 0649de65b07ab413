import { describe, expect, it } from 'vitest';
import { encodeUpdateMessage, updateBroadcast } from './messages.js';
import { binaryFrame } from './wsFrame.js';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 29 + 3) & 0xff);

describe('updateBroadcast', () => {
  // Across the varuint length's byte boundaries (127/128, 16383/16384) and the frame header's (126, 65,536 payload bytes).
  it.each([0, 1, 121, 122, 127, 128, 16_383, 16_384, 65_531, 65_532, 65_533, 300_000])(
    'for a %i-byte update: the bytes of encodeUpdateMessage, framed as binaryFrame frames them',
    (n) => {
      const update = bytes(n);
      const message = updateBroadcast(update);
      const expected = encodeUpdateMessage(update);
      expect(Buffer.from(message.payload).equals(expected)).toBe(true);
      expect(message.frame.equals(binaryFrame(expected))).toBe(true);
    },
  );
});
