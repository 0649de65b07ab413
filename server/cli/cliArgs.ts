import { createProgressBar } from './progressBar.js';

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

type ProgressBar = ReturnType<typeof createProgressBar>;

export interface Command<T> {
  name: string;
  usage: string;
  parse(argv: string[]): T | null;
  /** The failures the command expects (a bad file, a live server): their message on stderr, exit code 1. */
  expected: abstract new (...args: never[]) => Error;
  /** Does the work with a progress bar on stderr; returns what stdout says when it went well. */
  run(args: T, bar: ProgressBar): Promise<string>;
}

/** A Roundtable CLI from its arguments to its exit code; anything unexpected is thrown (a stack trace, exit code 1). */
export async function runCommand<T>(command: Command<T>, argv: string[]): Promise<number> {
  const read = readArgs(command.name, command.usage, command.parse, argv);
  if ('exitCode' in read) return read.exitCode;
  const bar = createProgressBar(process.stderr);
  try {
    const said = await command.run(read.args, bar);
    bar.finish();
    process.stdout.write(said);
    return 0;
  } catch (err) {
    bar.finish();
    if (!(err instanceof command.expected)) throw err;
    process.stderr.write(`${command.name}: ${err.message}\n`);
    return 1;
  }
}
