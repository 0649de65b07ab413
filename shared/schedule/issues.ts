/**
 * Problems and warnings of a schedule file, each a stable code with
 * parameters. The server sends the English text along (for curl and scripts);
 * the client renders `code` + `params` in the UI language
 * (`schedule.issue.<code>` in client/i18n).
 */
export const SCHEDULE_ISSUE_TEXT = {
  // The whole file
  binary_file: 'this is a binary file, not a schedule',
  not_utf8: 'the file is not UTF-8 text (save it as UTF-8)',
  empty_file: 'the file is empty',
  too_many_sessions: 'too many sessions: {count} (an event can have at most {max})',
  // One session (any format)
  title_required: 'the title is missing',
  too_long: '{field} is longer than {max} characters',
  too_many: 'more than {max} {field}',
  end_before_start: 'the end is before the start',
  invalid_date: '"{value}" is not a date (use YYYY-MM-DD)',
  invalid_time: 'the {column} time "{value}" is not a time (use HH:MM)',
  date_missing: 'the {column} time needs a date',
  no_start_time: 'no start time',
  duplicate_session: 'the same title, start and rooms as {first}: both are imported (delete one if that is a mistake)',
  // CSV
  csv_no_title_column: 'the header row has no title column (expected title,date,start,end,room,moderators,tags)',
  csv_unclosed_quote: 'a quoted field is never closed',
  csv_unreadable: 'this line cannot be read as CSV',
  csv_row_too_long: 'the row is longer than {max} characters (is a quote never closed?)',
  unknown_column: 'the column "{name}" is not used',
  // iCalendar
  ics_not_calendar: 'not an iCalendar file (no BEGIN:VCALENDAR)',
  ics_line_too_long: 'the line is longer than {max} characters',
  ics_bad_line: 'not an iCalendar content line (NAME:value)',
  ics_end_mismatch: 'END:{end} does not match BEGIN:{begin}',
  ics_not_ended: 'BEGIN:{begin} is never ended',
  ics_too_deep: 'components are nested too deeply',
  too_many_properties: 'the event has more than {max} lines',
  ics_no_start: 'the event has no start (DTSTART)',
  ics_bad_datetime: '{property} "{value}" is not a date-time',
  ics_bad_duration: 'DURATION "{value}" is not a duration',
  unknown_timezone: 'unknown time zone "{tzid}"',
  too_many_timezones: 'the calendar uses more than {max} time zones',
  too_many_years: 'the calendar\'s events are spread over more than {max} different years',
  all_day: 'an all-day event: imported from 00:00 to 24:00',
  timezone_differs: 'the file\'s times are in {file}; the event shows them in {event}',
  rrule_freq: 'RRULE FREQ={freq} is not supported (only DAILY, WEEKLY, MONTHLY or YEARLY)',
  rrule_interval: 'RRULE INTERVAL={value} is not a whole number of at least 1',
  rrule_endless: 'RRULE without COUNT or UNTIL repeats forever; at most {max} occurrences within {days} days are imported',
  rrule_count: 'RRULE COUNT={value} is more than the {max} occurrences Roundtable imports',
  rrule_too_far: 'RRULE repeats for more than {days} days after the first occurrence',
  rrule_too_many: 'the event repeats more than {max} times',
  rrule_unreadable: 'RRULE cannot be followed',
  ics_unreadable_event: 'this event cannot be read',
  too_many_dates: '{property} lists more than {max} dates',
  // JSON
  json_syntax: 'this is not valid JSON',
  json_not_schedule: 'the JSON does not look like a schedule ({ "sessions": [ … ] })',
  json_wrong_type: 'this should be {expected}',
} as const;

export type ScheduleIssueCode = keyof typeof SCHEDULE_ISSUE_TEXT;
export const SCHEDULE_ISSUE_CODES = Object.keys(SCHEDULE_ISSUE_TEXT) as ScheduleIssueCode[];

/** Field names as the files (and the UI) name them; params of `too_long` and `too_many`. */
export type ScheduleField = 'title' | 'room' | 'rooms' | 'track' | 'moderator' | 'moderators' | 'tag' | 'tags' | 'description' | 'uid';

export interface ScheduleIssue {
  code: ScheduleIssueCode;
  /** Line in the file (iCalendar lines are counted before unfolding; a CSV record counts from its first line). */
  line?: number;
  /** CSV: the record's row as a spreadsheet numbers it (the header is row 1). */
  row?: number;
  /** JSON: where in the document (`sessions[2].title`). */
  path?: string;
  /** iCalendar: the event, when no line can be named. */
  uid?: string;
  summary?: string;
  params?: Record<string, string | number>;
  /** English, for API clients; the UI renders `code` + `params` instead. */
  message: string;
}

export type IssuePlace = Pick<ScheduleIssue, 'line' | 'row' | 'path' | 'uid' | 'summary'>;

/** Fills `{name}` placeholders. */
export function fillTemplate(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (Object.hasOwn(params, k) ? String(params[k]) : m));
}

export function scheduleIssue(code: ScheduleIssueCode, where: IssuePlace = {}, params?: Record<string, string | number>): ScheduleIssue {
  const place = Object.fromEntries(Object.entries(where).filter(([, v]) => v !== undefined)) as IssuePlace;
  return { code, ...place, ...(params ? { params } : {}), message: fillTemplate(SCHEDULE_ISSUE_TEXT[code], params) };
}

/** Errors collected per file before giving up: enough to fix a file in one go. */
export const MAX_REPORTED_ISSUES = 50;

export class ScheduleIssues {
  readonly list: ScheduleIssue[] = [];
  add(code: ScheduleIssueCode, where: IssuePlace = {}, params?: Record<string, string | number>): void {
    if (this.list.length < MAX_REPORTED_ISSUES) this.list.push(scheduleIssue(code, where, params));
  }
  get any(): boolean {
    return this.list.length > 0;
  }
}

/** Where an issue is, in English: "row 6", "line 12", "sessions[2]", "event “Keynote”". */
export function placeText(i: IssuePlace): string {
  if (i.row !== undefined) return `row ${i.row}`;
  if (i.line !== undefined) return `line ${i.line}`;
  if (i.path) return i.path;
  if (i.summary || i.uid) return `event “${i.summary || i.uid}”`;
  return '';
}

/** The top-level English message of a refused file: how many problems, and the first one. */
export function problemsMessage(what: string, list: readonly ScheduleIssue[]): string {
  const first = list[0];
  if (!first) return `${what} could not be read; nothing was imported`;
  const place = placeText(first);
  const text = place ? `${place}: ${first.message}` : first.message;
  return list.length === 1
    ? `${what} has a problem, so nothing was imported: ${text}`
    : `${what} has ${list.length}${list.length >= MAX_REPORTED_ISSUES ? ' or more' : ''} problems, so nothing was imported; the first: ${text}`;
}
