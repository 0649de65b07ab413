import type { SessionFields } from '../sessionFields.js';
import type { ScheduleIssue } from './issues.js';

export type { ScheduleIssue } from './issues.js';
export { MAX_REPORTED_ISSUES, ScheduleIssues } from './issues.js';

/** One session as a schedule file describes it. */
export type ImportedSession = SessionFields;

/** Where an imported session came from, so the preview can point at it ("row 6"). */
export type ImportedFrom = Pick<ScheduleIssue, 'line' | 'row' | 'path'>;

export type ScheduleParseResult =
  | {
      ok: true;
      title: string | null;
      /** The file's own time zone (X-WR-TIMEZONE, a JSON `timezone`, or the zone of its times), when it names one. */
      timezone: string | null;
      sessions: ImportedSession[];
      /** Parallel to `sessions`. */
      sources: ImportedFrom[];
      warnings: ScheduleIssue[];
    }
  | { ok: false; code: 'unsupported_type' | 'too_large' | 'invalid_schedule'; message: string; details: ScheduleIssue[] };

/** What to do with rows the file gives no start time: import them unscheduled, or leave them out. */
export type UnscheduledChoice = 'import' | 'skip';

/** The answer of `POST /api/events/:eventId/schedule` (a dry run or an import). */
export interface ScheduleImportResult<Created = ImportedSession & ImportedFrom> {
  dryRun: boolean;
  /** A dry run lists what would be created (with the row or line each comes from); an import, the created sessions. */
  created: Created[];
  /** With the times after the update, so a recurring event's occurrences can be told apart. */
  updated: ({ id: string; title: string; changes: (keyof SessionFields)[] } & Pick<SessionFields, 'startsAt' | 'endsAt'> & ImportedFrom)[];
  unchanged: { id: string; title: string }[];
  /** In the event but not in the file: reported, never deleted. */
  missing: { id: string; title: string; hasNotes: boolean }[];
  /** Per row or event, each a code with parameters (`no_start_time`, `all_day`, `unknown_column`, `timezone_differs`, `duplicate_session`). */
  warnings: ScheduleIssue[];
  /** Rows without a start time, and whether they were (or would be) imported as unscheduled sessions or left out. */
  unscheduled: { count: number; action: UnscheduledChoice };
}
