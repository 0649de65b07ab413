import path from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError } from '../backup/backupDatabase.js';
import { restoreDatabase } from '../backup/restoreDatabase.js';
import { runCommand, UsageError } from './cliArgs.js';

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

process.exitCode = await runCommand(
  {
    name: 'restore',
    usage: USAGE,
    parse,
    expected: BackupError,
    async run(args, bar) {
      const result = await restoreDatabase({ ...args, onProgress: (done, total) => bar.update(done, total, 'pages copied') });
      const c = result.counts;
      return `Restored ${args.from} into ${result.file} (schema ${result.schemaVersion}: ${c.events ?? 0} events, ${c.sessions ?? 0} sessions).\n` +
        (result.keptAside ? `The database it replaced is kept as ${result.keptAside}.\n` : '') +
        'Start the server now.\n';
    },
  },
  process.argv.slice(2),
);
