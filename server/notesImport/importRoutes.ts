import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { canWriteNotes } from '../../shared/access.js';
import { isEventRef, isId } from '../../shared/ids.js';
import { LIMITS } from '../../shared/limits.js';
import type { EventNotesImportResult, NotesImportResult } from '../../shared/notesImport/importResult.js';
import type { ActionItemTagger } from '../actionItems/tagger.js';
import type { CommitQueue } from '../collab/commitQueue.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import type { EventService } from '../events/eventService.js';
import { authorize } from '../http/auth.js';
import type { AccessResolver } from '../access/access.js';
import { DomainError, type ErrorDetail } from '../domainError.js';
import { parseBody } from '../http/parseInput.js';
import { NotesImporter, type ImportTarget } from './applyImport.js';
import { decodeText, detectFormat, FORMAT_DESCRIPTIONS, formatOfFilename, IMPORT_FORMATS, sniffFormat } from './detectFormat.js';
import type { PreparedImport } from './prepareImport.js';
import type { ImportPreparation } from './preparePool.js';
import { matchSessions } from './matchSessions.js';
import { templateHeadings } from './untouchedTemplate.js';

export interface ImportRoutesDeps {
  events: EventService;
  access: AccessResolver;
  registry: RoomRegistry;
  commitQueue: CommitQueue;
  tagger: ActionItemTagger;
  /** Converts and counts files (in a worker thread: see preparePool.ts). */
  preparation: ImportPreparation;
}

const flag = z.enum(['true', 'false', '1', '0']).optional();
const sessionQuery = z.object({
  format: z.string().max(20).optional(),
  mode: z.enum(['append', 'replace']).optional(),
  dryRun: flag,
  filename: z.string().max(300).optional(),
});
const eventQuery = z.object({ mode: z.enum(['append', 'replace']).optional(), dryRun: flag });

/** Mounted before the JSON body parser: both routes read the file's raw bytes. */
export function importRoutes(deps: ImportRoutesDeps): Router {
  const importer = new NotesImporter(deps);
  /** The heading texts the event's sessions may have been seeded with (see untouchedTemplate.ts). */
  const headingsOf = async (eventId: string) => templateHeadings(deps.events.templateOf(await deps.events.findEvent(eventId)));
  const sessionDate = async (sessionId: string) => (await deps.tagger.contextOf(sessionId))?.sessionDate ?? null;
  const r = Router();

  r.post('/sessions/:sessionId/import', express.raw({ type: () => true, limit: LIMITS.maxImportBytes }), async (req, res) => {
    const id = String(req.params.sessionId);
    if (!isId(id)) throw new DomainError('invalid_session_id');
    const session = await deps.events.findSession(id);
    const { role } = await authorize(deps.access, req, session.event_id, 'edit');
    if (!canWriteNotes(role, { locked: session.locked === 1 })) throw new DomainError('locked');
    const query = parseQuery(sessionQuery, req);
    const bytes = bodyOf(req);
    const text = decodeText(bytes);
    const format = detectFormat({ format: query.format, contentType: req.get('content-type'), filename: query.filename, text });
    if (!format) throw unsupported(query.format);
    const { converted, summary } = await deps.preparation.prepare({ text, format, sessionDate: await sessionDate(id) });
    const mode = query.mode ?? 'append';
    const dryRun = isTrue(query.dryRun);
    // A moderator may have locked the notes while the file was being converted.
    if (!canWriteNotes(role, { locked: (await deps.events.findSession(id)).locked === 1 })) throw new DomainError('locked');
    // "append" into notes that are still only the template replaces the template: foreseen by a preview, decided by the import.
    const headings = mode === 'append' ? await headingsOf(session.event_id) : undefined;
    const target: ImportTarget = { sessionId: id, doc: converted.doc, mode, ...(headings ? { templateHeadings: headings } : {}) };
    const [replacesTemplate = false] = dryRun ? (headings ? await importer.untouched([{ sessionId: id, templateHeadings: headings }]) : []) : await importer.apply([target]);
    const result: NotesImportResult = {
      dryRun,
      format,
      mode,
      replacesTemplate,
      ...summary,
      ...(converted.padId ? { padId: converted.padId, authors: converted.authors } : {}),
      ...(converted.frontMatter !== undefined ? { frontMatter: converted.frontMatter } : {}),
    };
    res.json(result);
  });

  r.post('/events/:eventId/import', express.raw({ type: () => true, limit: LIMITS.maxImportZipBytes }), async (req, res) => {
    const ref = String(req.params.eventId);
    if (!isEventRef(ref)) throw new DomainError('invalid_event_ref');
    const event = await deps.events.findEvent(ref);
    await authorize(deps.access, req, event.id, 'moderate');
    const query = parseQuery(eventQuery, req);
    // fflate loads with the first zip imported.
    const { readZip } = await import('./readZip.js');
    const entries = readZip(bodyOf(req), { maxEntries: LIMITS.maxImportZipEntries, maxEntryBytes: LIMITS.maxImportBytes, maxTotalBytes: LIMITS.maxImportZipUnpackedBytes });
    const unmatched: EventNotesImportResult['unmatched'] = [];
    const files: ({ file: string } & PreparedImport)[] = [];
    const problems: ErrorDetail[] = [];
    for (const entry of entries) {
      const base = entry.name.split('/').pop() ?? '';
      if (entry.name.startsWith('__MACOSX/') || base.startsWith('.')) continue;
      let format = formatOfFilename(base);
      const text = decodeText(entry.bytes);
      // A .json file that is no pad (a config someone zipped along) is not a broken pad.
      if (format === 'etherpad' && /\.json$/i.test(base) && (text === null || sniffFormat(text) !== 'etherpad')) format = null;
      if (!format) {
        unmatched.push({ file: entry.name, why: 'not_notes', names: [], reason: `not a notes file (supported: ${IMPORT_FORMATS.join(', ')})` });
        continue;
      }
      try {
        files.push({ file: entry.name, ...(await deps.preparation.prepare({ text, format, sessionDate: null })) });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        // Each file's problem as its code (the UI translates it) with the parser's detail, if any.
        const detail = err.details?.[0]?.params?.detail;
        problems.push({ path: entry.name, code: String(err.params.problem ?? err.code), ...(detail !== undefined ? { params: { detail } } : {}), message: err.message });
      }
    }
    // Nothing is half-imported: one bad file refuses the whole zip, with every file's problem listed.
    if (problems.length) throw new DomainError('invalid_import', { reason: `${problems.length} file(s) in the zip cannot be imported: ${problems[0]!.path}: ${problems[0]!.message}`, problem: 'zip_files' }, problems);
    const sessions = await deps.events.sessionsOf(event.id);
    const matched = matchSessions(
      files.map((f) => ({ file: f.file, titles: f.converted.titles })),
      sessions,
    );
    const mode = query.mode ?? 'append';
    const headings = mode === 'append' ? await headingsOf(event.id) : undefined;
    const matches: EventNotesImportResult['matches'] = [];
    const targets: ImportTarget[] = [];
    matched.forEach((m, i) => {
      if (m.sessionId === null) {
        unmatched.push({ file: m.file, why: m.why, names: m.names, reason: m.reason });
        return;
      }
      const { converted, summary } = files[i]!;
      matches.push({ file: m.file, sessionId: m.sessionId, sessionTitle: sessions.find((s) => s.id === m.sessionId)!.title, format: converted.format, blocks: summary.blocks, lines: summary.lines, actionItems: summary.actionItems.length, replacesTemplate: false });
      targets.push({ sessionId: m.sessionId, doc: converted.doc, mode, ...(headings ? { templateHeadings: headings } : {}) });
    });
    const dryRun = isTrue(query.dryRun);
    if (targets.length) {
      // Whether "append" meets notes that are still only the template, and so replaces it: foreseen by a preview, decided by the import.
      const replaced = dryRun ? (headings ? await importer.untouched(targets.map((t) => ({ sessionId: t.sessionId, templateHeadings: headings }))) : []) : await importer.apply(targets);
      replaced.forEach((r, i) => (matches[i]!.replacesTemplate = r));
    }
    const covered = new Set(matches.map((m) => m.sessionId));
    const result: EventNotesImportResult = {
      dryRun,
      mode,
      matches,
      unmatched,
      sessionsWithout: sessions.filter((s) => !covered.has(s.id)).map((s) => ({ id: s.id, title: s.title })),
    };
    res.json(result);
  });
  return r;
}

function bodyOf(req: Request): Uint8Array {
  const body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
  if (body.length === 0) throw new DomainError('empty_body');
  return body;
}

function parseQuery<T>(schema: z.ZodType<T>, req: Request): T {
  return parseBody(schema, req.query);
}

const isTrue = (v: string | undefined) => v === 'true' || v === '1';

function unsupported(asked: string | undefined): DomainError {
  const list = IMPORT_FORMATS.map((f) => `${f}: ${FORMAT_DESCRIPTIONS[f]}`);
  const details = list.map((message, i) => ({ path: IMPORT_FORMATS[i]!, message }));
  // `asked` is echoed by the English message of the details only: the code says what went wrong.
  return new DomainError('unsupported_format', { supported: IMPORT_FORMATS.join(', ') + (asked ? ` (not ${asked})` : '') }, details);
}
