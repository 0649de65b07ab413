/**
 * WebSocket close codes the collaboration server uses. Documented in the
 * README; clients decide whether to reconnect from these.
 */
export const CLOSE_CODES = {
  /** Standard (sent by ws itself): frame larger than LIMITS.maxFrameBytes. */
  messageTooBig: 1009,
  /** Malformed input: text frame, truncated or unknown message, bad Yjs update. */
  badMessage: 4400,
  /** No token, or a token that is not valid for this session's event. */
  unauthorized: 4401,
  /** The connection's role may not write (view link, or notes locked). */
  forbiddenWrite: 4403,
  /** The session does not exist (or was deleted). */
  unknownSession: 4404,
  /** The token was rotated by a moderator while this socket was open. */
  tokenRevoked: 4409,
  /** The awareness state was too large or claimed too many client ids. */
  awarenessRejected: 4413,
  /** The client's editor schema version differs from the server's: reload. */
  editorVersionMismatch: 4426,
  /** The connection sent more than its rate limit allows. */
  rateLimited: 4429,
  /**
   * The stored document is damaged: writers are closed with this at once (readers, and `readonly=1`,
   * still get the notes) until a moderator repairs it; when nothing can be read, everyone is.
   */
  documentDamaged: 4422,
  /** More than the send backlog limit waited unread in this connection's socket; reconnect (and resync). */
  tooFarBehind: 4408,
  /** The server failed to persist or process a message; reconnect. */
  internalError: 4500,
  /** Standard "service restart": a graceful restart; reconnect at once, nothing was lost. */
  serviceRestart: 1012,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

/**
 * A 4400 with this reason: the update wrote with a Yjs client id that another live connection holds (announces in
 * its presence, or writes with). For an honest client that is its own old socket, dropped silently by the network and
 * not yet noticed by the server; for anyone else, a colleague's id. The server asks the holder to answer a ping and
 * cuts it if it does not within `holderAnswerMs`; the app tries once more after `retryAfterMs` (plus up to 1 s of
 * jitter), and a second refusal in a row is final.
 */
export const CLIENT_ID_HELD = {
  reason: 'update writes with a client id another live connection holds',
  holderAnswerMs: 5_000,
  retryAfterMs: 6_000,
} as const;

/** Close codes after which reconnecting with the same token cannot help. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  // A malformed message is the client's own fault: resending it would only loop.
  CLOSE_CODES.badMessage,
  CLOSE_CODES.documentDamaged,
  CLOSE_CODES.unauthorized,
  CLOSE_CODES.unknownSession,
  CLOSE_CODES.tokenRevoked,
  CLOSE_CODES.editorVersionMismatch,
]);
