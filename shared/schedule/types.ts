export interface ImportedSession {
  /** iCalendar UID (per occurrence for recurring events), else null. */
  uid: string | null;
  title: string;
  /** ISO 8601 UTC instants. */
  startsAt: string | null;
  endsAt: string | null;
  room: string | null;
  track: string | null;
  moderators: string[];
  tags: string[];
  description: string | null;
}

export interface ScheduleIssue {
  line?: number;
  path?: string;
  message: string;
}

export type ScheduleParseResult =
  | { ok: true; title: string | null; timezone: string | null; sessions: ImportedSession[]; warnings: ScheduleIssue[] }
  | { ok: false; code: 'unsupported_type' | 'too_large' | 'invalid_schedule'; message: string; details: ScheduleIssue[] };

/** Errors collected per file before giving up: enough to fix a file in one go. */
export const MAX_REPORTED_ISSUES = 50;

export class ScheduleErrors {
  readonly issues: ScheduleIssue[] = [];
  add(issue: ScheduleIssue): void {
    if (this.issues.length < MAX_REPORTED_ISSUES) this.issues.push(issue);
  }
  get any(): boolean {
    return this.issues.length > 0;
  }
}
