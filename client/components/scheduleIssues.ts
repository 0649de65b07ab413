import type { ScheduleIssue } from '../../shared/schedule/issues.js';
import { en, type MessageKey } from '../i18n/en.js';
import type { Translate } from '../i18n/i18n.js';

const isKey = (key: string): key is MessageKey => Object.hasOwn(en, key);

/** A field name (`startsAt`, `rooms`, `moderator` …) as the UI says it. */
export function fieldLabel(t: Translate, field: string): string {
  const key = `schedule.field.${field}`;
  return isKey(key) ? t(key) : field;
}

/** The parameters of a problem, with field, column and type names in the UI language. */
function translatedParams(t: Translate, params: Record<string, string | number> = {}): Record<string, string | number> {
  const out = { ...params };
  if (typeof params.field === 'string') out.field = fieldLabel(t, params.field);
  if (typeof params.column === 'string') {
    const key = `schedule.column.${params.column === 'end date' ? 'endDate' : params.column}`;
    if (isKey(key)) out.column = t(key);
  }
  // A place named in the text ("the same … as row 2"): in the UI language, from its parts.
  if (typeof params.first === 'string') {
    const at = issuePlace(t, {
      row: typeof params.firstRow === 'number' ? params.firstRow : undefined,
      line: typeof params.firstLine === 'number' ? params.firstLine : undefined,
      path: typeof params.firstPath === 'string' ? params.firstPath : undefined,
    });
    if (at) out.first = at;
  }
  if (typeof params.expected === 'string') {
    const key = `schedule.type.${params.expected}`;
    if (isKey(key)) out.expected = t(key);
  }
  return out;
}

/** Where a problem is: "row 6", "line 12", "sessions[2].title", "event “Keynote”" (or their Japanese). */
export function issuePlace(t: Translate, issue: Pick<ScheduleIssue, 'row' | 'line' | 'path' | 'uid' | 'summary'>): string {
  if (issue.row !== undefined) return t('import.row', { n: issue.row });
  if (issue.line !== undefined) return t('import.line', { n: issue.line });
  if (issue.path) return issue.path;
  if (issue.summary || issue.uid) return t('import.event', { name: issue.summary || issue.uid || '' });
  return '';
}

/** One problem or warning, rendered from its code in the UI language; the server's English only when the code is unknown. */
export function issueText(t: Translate, issue: Pick<ScheduleIssue, 'code' | 'params' | 'message'>): string {
  const key = `schedule.issue.${issue.code}`;
  return isKey(key) ? t(key, translatedParams(t, issue.params)) : issue.message;
}

export function issueLine(t: Translate, issue: ScheduleIssue): string {
  const place = issuePlace(t, issue);
  return place ? `${place}: ${issueText(t, issue)}` : issueText(t, issue);
}
