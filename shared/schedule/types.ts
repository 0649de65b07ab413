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
