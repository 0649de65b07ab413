import path from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError } from '../backup/backupDatabase.js';
import { restoreDatabase } from '../backup/restoreDatabase.js';
import { createProgressBar } from './progressBar.js';
import { readArgs, UsageError } from './cliArgs.js';

const USAGE = `Usage: npm run restore -- --from <file> [--data-dir <dir>] [--force]

Makes a backup file DATA_DIR's database. Stop the server first: the restore
refuses while any process has the database open. The backup is checked before
anything is replaced, and the database it replaces is kept aside as
roundtable.sqlite.before-restore-<time>. Start the server afterwards; it
upgrades a backup from an older version as it starts.

  --from      the backup file (required)
  --data-dir  where roundtable.sqlite lives (default: $DATA_DIR or ./data); created if missing
  --force     replace a current database that cannot be read at all (only with every server stopped)
  --help      this text`;


function parse(argv: string[]): { from: string; dataDir: string; force: boolean } | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        from: { type: 'string' },
        'data-dir': { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return null;
  if (!values.from?.trim()) throw new UsageError('--from is required (the backup file)');
  return { from: path.resolve(values.from), dataDir: path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? './data'), force: values.force };
}

async function main(): Promise<number> {
  const read = readArgs('restore', USAGE, parse, process.argv.slice(2));
  if ('exitCode' in read) return read.exitCode;
  const { args } = read;
  const bar = createProgressBar(process.stderr);
  try {
    const result = await restoreDatabase({ ...args, onProgress: (done, total) => bar.update(done, total, 'pages copied') });
    bar.finish();
    const c = result.counts;
    process.stdout.write(
      `Restored ${args.from} into ${result.file} (schema ${result.schemaVersion}: ${c.events ?? 0} events, ${c.sessions ?? 0} sessions).\n` +
        (result.keptAside ? `The database it replaced is kept as ${result.keptAside}.\n` : '') +
        'Start the server now.\n',
    );
    return 0;
  } catch (err) {
    bar.finish();
    if (err instanceof BackupError) {
      process.stderr.write(`restore: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main();
