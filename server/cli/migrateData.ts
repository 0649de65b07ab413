import path from 'node:path';
import { parseArgs } from 'node:util';
import { migrateData, type EventMigration } from '../migrate/migrateData.js';
import { MigrateError } from '../migrate/migrateError.js';
import { runCommand, UsageError } from './cliArgs.js';

const USAGE = `Usage: npm run migrate-data -- --from <data-dir> --to postgres://user:password@host:5432/db

Copies everything a SQLite data directory holds into PostgreSQL: every event
with its sessions, links (the same tokens, so old links keep working), notes
(every stored update and snapshot), history, action items, contributors and
join codes. Each document is then loaded from both sides and compared; a
difference fails the run. Running it again copies nothing new and says
"already up to date" per event.

Stop the server first: the SQLite file is locked for the whole run, and a
database a server has open is refused. Start the servers on DATABASE_URL only
afterwards. The search index is not copied: it is derived from the notes and
rebuilt by the server.

  --from   the data directory holding roundtable.sqlite (required)
  --to     the PostgreSQL database, postgres:// or postgresql:// (required)
  --help   this text`;

function parse(argv: string[]): { from: string; to: string } | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', default: false } },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return null;
  if (!values.from?.trim()) throw new UsageError('--from is required (the data directory holding roundtable.sqlite)');
  if (!values.to?.trim()) throw new UsageError('--to is required (postgres://…)');
  let url: URL;
  try {
    url = new URL(values.to);
  } catch {
    throw new UsageError('--to is not a URL: expected postgres://user:password@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new UsageError(`--to must be a postgres:// or postgresql:// URL, not ${url.protocol}//…`);
  if (!url.hostname) throw new UsageError('--to names no host: expected postgres://user:password@host:5432/database');
  return { from: path.resolve(values.from), to: values.to };
}

function describe(e: EventMigration): string {
  const n = (t: string) => e.rows[t] ?? 0;
  const what = e.upToDate
    ? 'already up to date'
    : `copied (${n('sessions')} sessions, ${n('tokens')} link tokens, ${n('action_items')} action items, ${n('contributors')} contributors, ${n('join_codes')} join codes, ${n('doc_updates') + n('doc_snapshots')} stored note parts; ${Object.values(e.changed).reduce((a, b) => a + b, 0)} rows written)`;
  return `${e.slug}: ${what}; ${e.verified} documents identical on both sides`;
}

process.exitCode = await runCommand(
  {
    name: 'migrate-data',
    usage: USAGE,
    parse,
    expected: MigrateError,
    async run(args, bar) {
      const report = await migrateData({ ...args, onProgress: (done, total, label) => bar.update(done, total, label) });
      const lines = report.events.map(describe);
      lines.push(report.historySkipped ? `history: not copied: ${report.historySkipped}` : 'history: copied (revisions, authorship, named versions, checkpoints)');
      lines.push(`Migrated ${report.events.length} events from ${args.from} to ${report.target}.`);
      return lines.join('\n') + '\n';
    },
  },
  process.argv.slice(2),
);
