import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { isNoopUpdate } from './docWriteGuard.js';

function docWithText(): Y.Doc {
  const d = new Y.Doc();
  d.getText('t').insert(0, 'hello world');
  d.getText('t').delete(0, 6);
  return d;
}

describe('isNoopUpdate', () => {
  it('treats a replica’s SyncStep2 (known structs, known deletions) as a no-op', () => {
    const server = docWithText();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
    expect(isNoopUpdate(server, Y.encodeStateAsUpdate(replica, Y.encodeStateVector(server)))).toBe(true);
    expect(isNoopUpdate(server, Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true);
  });

  it('sees new structs and new deletions as writes', () => {
    const server = docWithText();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
    const sv = Y.encodeStateVector(server);
    replica.getText('t').delete(0, 1);
    expect(isNoopUpdate(server, Y.encodeStateAsUpdate(replica, sv))).toBe(false);
    replica.getText('t').insert(0, 'x');
    expect(isNoopUpdate(server, Y.encodeStateAsUpdate(replica, sv))).toBe(false);
  });
});
