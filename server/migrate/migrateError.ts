/** A migration that cannot go on (a source in use, an unreachable target, a mismatch after copying): message on stderr, exit code 1. */
export class MigrateError extends Error {}
