/** A command line that cannot be understood: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * Reads a command's arguments the way every Roundtable CLI does: `parse`
 * returns null for --help (usage on stdout, exit 0) and throws UsageError for
 * a bad command line (message and usage on stderr, exit 2).
 */
export function readArgs<T>(command: string, usage: string, parse: (argv: string[]) => T | null, argv: string[]): { args: T } | { exitCode: number } {
  let args: T | null;
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${command}: ${err.message}\n\n${usage}\n`);
    return { exitCode: 2 };
  }
  if (!args) {
    process.stdout.write(`${usage}\n`);
    return { exitCode: 0 };
  }
  return { args };
}
