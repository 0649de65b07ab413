import path from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError, backupDatabase } from '../backup/backupDatabase.js';
import { DB_FILE } from '../backup/restoreDatabase.js';
import { runCommand, UsageError } from './cliArgs.js';

const USAGE = `Usage: npm run backup -- --out <file> [--data-dir <dir>]

Copies DATA_DIR's SQLite database to <file> while the server runs and people
type, with SQLite's online backup API: the copy holds everything committed
when the backup started. It is checked (integrity, rows per table) before it
is given its name; an existing file is never overwritten.

  --out       the backup file to create (required)
  --data-dir  where roundtable.sqlite lives (default: $DATA_DIR or ./data)
  --help      this text`;


function parse(argv: string[]): { out: string; dataDir: string } | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { out: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', default: false } },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return null;
  if (!values.out?.trim()) throw new UsageError('--out is required (the backup file to create)');
  return { out: path.resolve(values.out), dataDir: path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? './data') };
}

process.exitCode = await runCommand(
  {
    name: 'backup',
    usage: USAGE,
    parse,
    expected: BackupError,
    async run(args, bar) {
      let lastShown = -1;
      const result = await backupDatabase({
        source: path.join(args.dataDir, DB_FILE),
        out: args.out,
        onProgress: (done, total) => {
          // One line per tenth on a pipe; every step on a terminal.
          const tenth = Math.floor((done / Math.max(1, total)) * 10);
          if (process.stderr.isTTY || tenth !== lastShown || done === total) bar.update(done, total, 'pages copied');
          lastShown = tenth;
        },
      });
      const c = result.counts;
      return `Backed up ${args.dataDir} to ${result.file} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB, schema ${result.schemaVersion}): ` +
        `${c.events ?? 0} events, ${c.sessions ?? 0} sessions, ${(c.doc_updates ?? 0) + (c.doc_snapshots ?? 0)} stored note parts. ` +
        `Copied in ${result.copySeconds.toFixed(2)} s, verified in ${result.verifySeconds.toFixed(2)} s.\n`;
    },
  },
  process.argv.slice(2),
);
