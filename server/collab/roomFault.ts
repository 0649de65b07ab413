/**
 * An unexpected failure inside one room's lifecycle (a message, a commit, a
 * hook, a timer). The registry closes that room and keeps the server running;
 * see RoomRegistry.fault.
 */
export class RoomFault extends Error {
  constructor(
    readonly where: string,
    override readonly cause: unknown,
  ) {
    super(`${where}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** The message and stack of anything thrown, for logs. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack ?? err.message;
  return String(err);
}
