import { createHash } from 'node:crypto';
import type * as Y from 'yjs';
import { newId } from '../newId.js';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A new action item's id, derived from its paragraph's Yjs identity (the
 * client id and clock that created it) and the session: every server process
 * with the session open computes the same one, so two processes tagging the
 * same new line at once make one item, not two. Same shape as newId().
 */
export function stableItemId(docId: string, el: Y.XmlElement): string {
  const item = el._item;
  if (!item) return newId();
  const bytes = createHash('sha256').update(`${docId}\0${item.id.client}\0${item.id.clock}`).digest().subarray(0, 10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
