import path from 'node:path';
import { parseArgs } from 'node:util';
import { EVENT_FORMATS, type EventFormat } from '../minutes/renderMinutes.js';
import { ExportError, exportEvent } from './exportEvent.js';
import { runCommand, UsageError } from './cliArgs.js';

const USAGE = `Usage: npm run export -- --event <slug-or-id> [--format ${EVENT_FORMATS.join('|')}] [--out <dir>] [--data-dir <dir>]

Writes an event's minutes from DATA_DIR's SQLite file without a running server:
the event minutes (table of contents, action items by owner and working group)
and one file per session; --format zip writes a single archive instead.

  --event     event slug or id (required)
  --format    md (default), html, txt, docx, pdf, json or zip
  --out       output directory (default: current directory; created if missing)
  --data-dir  where roundtable.sqlite lives (default: $DATA_DIR or ./data)
  --help      this text`;


function parse(argv: string[]): { event: string; format: EventFormat; outDir: string; dataDir: string } | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        event: { type: 'string' },
        format: { type: 'string', default: 'md' },
        out: { type: 'string', default: '.' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return null;
  if (!values.event?.trim()) throw new UsageError('--event is required (the event slug, as in /e/<slug>)');
  const format = values.format.toLowerCase();
  if (!(EVENT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown --format "${values.format}": use one of ${EVENT_FORMATS.join(', ')}`);
  return {
    event: values.event.trim(),
    format: format as EventFormat,
    outDir: path.resolve(values.out),
    dataDir: path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? './data'),
  };
}

process.exitCode = await runCommand(
  {
    name: 'export',
    usage: USAGE,
    parse,
    expected: ExportError,
    async run(args, bar) {
      const result = await exportEvent({ ...args, onProgress: (done, total, label) => bar.update(done, total, label) });
      return `Exported "${result.eventTitle}" (${result.sessions} sessions, ${args.format}) to ${args.outDir}:\n${result.files.map((f) => `  ${path.basename(f)}`).join('\n')}\n`;
    },
  },
  process.argv.slice(2),
);
