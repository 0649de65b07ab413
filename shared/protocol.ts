/**
 * y-websocket message types. 0–3 are the standard ones; MESSAGE_SAVED is a
 * Roundtable extension that is only sent to clients that opt in with `ack=1`,
 * so stock clients never see it.
 */
export const MESSAGE_TYPES = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Server → client: varUint count of this socket's document messages now durably stored. */
  saved: 100,
} as const;

/** Sub-types inside a sync message (y-protocols/sync). */
export const SYNC_TYPES = { step1: 0, step2: 1, update: 2 } as const;

/**
 * Version of the editor schema. Clients send it as `schema=<n>`; a mismatch is
 * closed with CLOSE_CODES.editorVersionMismatch so an old tab cannot write
 * nodes the server's schema would drop.
 */
export const EDITOR_SCHEMA_VERSION = 1;

/** The Y.XmlFragment holding the notes (Tiptap Collaboration's default). */
export const NOTES_FRAGMENT = 'default';
