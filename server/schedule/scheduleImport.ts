import { LIMITS } from '../../shared/limits.js';
import { planImport, type ExistingSession } from '../../shared/schedule/planImport.js';
import type { ImportedFrom, ImportedSession, ScheduleImportResult, ScheduleParseResult, UnscheduledChoice } from '../../shared/schedule/types.js';
import type { SessionDto } from '../../shared/schemas.js';
import type { EventService } from '../events/eventService.js';
import { DomainError } from '../domainError.js';
import type { SessionStore } from '../storage/ports.js';
import { sessionRowToFields } from '../storage/sessionRepo.js';

export type { UnscheduledChoice } from '../../shared/schedule/types.js';
export type ImportResult = ScheduleImportResult<SessionDto | (ImportedSession & ImportedFrom)>;

export interface ScheduleImportDeps {
  events: EventService;
  sessions: Pick<SessionStore, 'listByEvent'>;
}

/**
 * Imports a schedule file into an event: parse, plan against the existing
 * sessions, then apply everything in one transaction (or nothing).
 * Re-importing updates sessions and never duplicates or deletes them.
 */
export async function importSchedule(
  deps: ScheduleImportDeps,
  eventRef: string,
  body: Uint8Array,
  contentType: string,
  opts: { dryRun: boolean; unscheduled?: UnscheduledChoice },
): Promise<ImportResult> {
  const event = await deps.events.findEvent(eventRef);
  // The parsers (ical.js, csv-parse) load with the first import, not with every server.
  const { parseSchedule } = await import('../../shared/schedule/parseSchedule.js');
  const parsed = parseSchedule(body, contentType, { timezone: event.timezone });
  if (!parsed.ok) throw parseError(parsed, contentType);
  const action = opts.unscheduled ?? 'import';
  const unscheduledCount = parsed.sessions.filter((s) => !s.startsAt).length;
  const keep = parsed.sessions.map((s) => action === 'import' || s.startsAt !== null);
  const sessions = parsed.sessions.filter((_, i) => keep[i]);
  const sources = parsed.sources.filter((_, i) => keep[i]);
  const rows = await deps.sessions.listByEvent(event.id);
  const existing: ExistingSession[] = rows.map((r) => ({ id: r.id, ...sessionRowToFields(r), hasNotes: r.notes_updated_at !== null }));
  const plan = planImport(existing, sessions);
  if (rows.length + plan.create.length > LIMITS.maxSessionsPerEvent) {
    throw new DomainError('too_many_sessions', { max: LIMITS.maxSessionsPerEvent });
  }
  const result: ImportResult = {
    dryRun: opts.dryRun,
    created: plan.create.map((c) => ({ ...c.session, ...sources[c.index] })),
    updated: plan.update.map((u) => ({ id: u.id, title: u.after.title, startsAt: u.after.startsAt, endsAt: u.after.endsAt, changes: u.changes, ...sources[u.index] })),
    unchanged: plan.unchanged,
    missing: plan.missing,
    warnings: parsed.warnings,
    unscheduled: { count: unscheduledCount, action },
  };
  if (opts.dryRun) return result;
  result.created = await deps.events.applyImport(
    event.id,
    plan.create.map((c) => c.session),
    plan.update.map((u) => ({ id: u.id, fields: u.after })),
  );
  return result;
}

/** A file the parser refused, as a registered error; each problem of the file stays one of its details. */
function parseError(parsed: Extract<ScheduleParseResult, { ok: false }>, contentType: string): DomainError {
  switch (parsed.code) {
    case 'unsupported_type':
      return new DomainError('unsupported_type', { type: contentType.split(';')[0]!.trim().toLowerCase() || '(none)' }, parsed.details);
    case 'too_large':
      return new DomainError('too_large', { maxMiB: LIMITS.maxScheduleBytes / 1024 / 1024 }, parsed.details);
    case 'invalid_schedule':
      return new DomainError('invalid_schedule', { reason: parsed.message, problems: parsed.details.length }, parsed.details);
  }
}
