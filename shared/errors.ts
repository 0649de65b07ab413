import type { Role } from './roles.js';

/**
 * How a parameter is shown to people: `text` and `count` as they are, `role`
 * as the translated name of a link ("the edit link"), `field` as the
 * translated label of an input field ("Title"), never its JSON name.
 */
export type ErrorParamKind = 'text' | 'count' | 'role' | 'field';

interface ErrorSpec {
  status: number;
  params: Readonly<Record<string, ErrorParamKind>>;
  /** The English message for API users, with `{param}` placeholders. The UI translates from the code instead. */
  message: string;
}

/**
 * Every error the HTTP API answers with, once: its status, its parameters and
 * an English message. Codes are stable and say what went wrong (not which HTTP
 * status it maps to), so they stay the same when services throw domain errors
 * instead of HTTP errors. The client renders each code in the UI language
 * (client/lib/errorMessage.ts); a unit test checks that every code has an
 * English and a Japanese message that uses only its own parameters.
 *
 * @example
 * throw new HttpError('slug_taken', { slug: 'ops' });
 * // 409 { error: { code: 'slug_taken', message: 'the short name "ops" is already in use', params: { slug: 'ops' } } }
 */
export const ERRORS = {
  // The request itself.
  invalid_json: { status: 400, params: {}, message: 'the request body is not valid JSON' },
  too_large: { status: 413, params: { maxMiB: 'count' }, message: 'the request is too large (at most {maxMiB} MiB)' },
  malformed_request: { status: 400, params: {}, message: 'the request could not be read' },
  empty_body: { status: 400, params: {}, message: 'the request body is empty: send the file' },
  endpoint_not_found: { status: 404, params: {}, message: 'no such API endpoint' },
  rate_limited: { status: 429, params: {}, message: 'too many requests from this address: wait a minute and try again' },
  internal: { status: 500, params: {}, message: 'internal error' },
  shutting_down: { status: 503, params: {}, message: 'the server is restarting; try again in a moment' },
  storage_unavailable: { status: 503, params: {}, message: 'storage is unavailable: nothing can be saved until the server is restarted' },
  history_unavailable: { status: 501, params: {}, message: 'history is not available here: these notes are read without their history' },

  // Input fields (zod validation); `field` is the field's JSON name.
  unknown_field: { status: 400, params: { field: 'text' }, message: 'unknown field "{field}"' },
  field_required: { status: 400, params: { field: 'field' }, message: '{field} is required' },
  field_too_long: { status: 400, params: { field: 'field', max: 'count' }, message: '{field} is too long (at most {max} characters)' },
  too_many_items: { status: 400, params: { field: 'field', max: 'count' }, message: '{field} has too many entries (at most {max})' },
  invalid_value: { status: 400, params: { field: 'field' }, message: '{field} has a value of the wrong kind' },
  invalid_choice: { status: 400, params: { field: 'field', allowed: 'text' }, message: '{field} must be one of: {allowed}' },
  invalid_date_time: { status: 400, params: { field: 'field' }, message: '{field} must be an ISO 8601 date and time with an offset, e.g. 2016-04-25T11:15:00-05:00' },
  invalid_slug: { status: 400, params: {}, message: 'the short name may only use lowercase letters, digits and dashes (1–64 characters, no dash at either end)' },
  unknown_time_zone: { status: 400, params: { zone: 'text' }, message: '"{zone}" is not an IANA time zone (e.g. Europe/Berlin)' },
  ends_before_start: { status: 400, params: {}, message: 'the session ends before it starts' },

  // Links and roles.
  token_required: { status: 401, params: {}, message: 'a link token is required (Authorization: Bearer <token>)' },
  link_invalid: { status: 401, params: {}, message: 'this link is not valid (any more)' },
  admin_token_required: { status: 401, params: {}, message: 'creating events needs the admin token (Authorization: Bearer <ROUNDTABLE_ADMIN_TOKEN>)' },
  metrics_token_required: { status: 401, params: {}, message: 'reading the metrics needs Authorization: Bearer <METRICS_TOKEN>' },
  insufficient_role: { status: 403, params: { needed: 'role', role: 'role' }, message: 'this needs the {needed} link; yours is the {role} link' },
  invalid_role: { status: 400, params: {}, message: 'the role must be edit, view or moderate' },
  no_link: { status: 409, params: { role: 'role' }, message: 'this event has no active {role} link' },
  feed_needs_view_link: { status: 403, params: {}, message: "calendar subscriptions take the view link's token only: the URL is stored by calendar apps and their servers" },

  // Events, sessions, action items.
  invalid_event_ref: { status: 400, params: {}, message: 'invalid event id or short name' },
  invalid_session_id: { status: 400, params: {}, message: 'invalid session id' },
  invalid_action_item_id: { status: 400, params: {}, message: 'invalid action item id' },
  event_not_found: { status: 404, params: {}, message: 'event not found' },
  session_not_found: { status: 404, params: {}, message: 'session not found' },
  action_item_not_found: { status: 404, params: {}, message: 'action item not found' },
  slug_taken: { status: 409, params: { slug: 'text' }, message: 'the short name "{slug}" is already in use' },
  invalid_template: { status: 400, params: { reason: 'text' }, message: 'invalid template: {reason}' },
  too_many_sessions: { status: 422, params: { max: 'count' }, message: 'an event can have at most {max} sessions' },
  locked: { status: 403, params: {}, message: 'these notes are locked by a moderator' },
  gone: { status: 409, params: {}, message: 'this action item is no longer in the notes' },
  notes_unreadable: { status: 409, params: {}, message: 'the stored notes cannot be read at all: restore the database from a backup' },
  carry_across_events: { status: 400, params: {}, message: 'both sessions must belong to the same event' },
  carry_into_itself: { status: 400, params: {}, message: 'choose a different session to carry items into' },

  // Notes import (a session's file, or an event's zip of pads); each file's problem is one of `details`.
  // `problem` is a stable code (shared/notesImport/importProblem.ts) the UI translates; `reason` is English for API users.
  unsupported_format: { status: 415, params: { supported: 'text' }, message: 'this file is not in a format Roundtable imports; supported: {supported}' },
  invalid_import: { status: 422, params: { reason: 'text', problem: 'text' }, message: 'the file cannot be imported: {reason}' },
  invalid_zip: { status: 422, params: { reason: 'text', problem: 'text' }, message: 'the zip cannot be read: {reason}' },
  too_many_files: { status: 413, params: { max: 'count' }, message: 'the zip holds more than {max} files' },
  store_failed: { status: 503, params: {}, message: 'the notes could not be stored; nothing was imported' },

  // Event streams and minutes exports.
  too_many_streams: { status: 429, params: { per: 'text', max: 'count' }, message: 'too many open event streams for this {per} (at most {max}); close some tabs and try again' },
  export_busy: { status: 503, params: {}, message: 'the server is busy with other exports; try again in a few seconds' },
  export_too_large: { status: 413, params: { maxMiB: 'count' }, message: 'these minutes are too large to export at once (at most {maxMiB} MiB of notes): export single sessions instead' },
  export_timeout: { status: 503, params: { seconds: 'count' }, message: 'these minutes took longer than {seconds} s to render and were stopped; try a smaller export (one session, or md instead of pdf)' },
  export_failed: { status: 500, params: {}, message: 'rendering these minutes failed' },

  // Schedule import, as a whole; each problem of the file is one of `details`.
  unsupported_type: { status: 415, params: { type: 'text' }, message: 'unsupported content type "{type}": send text/calendar, text/csv or application/json' },
  invalid_schedule: { status: 422, params: { reason: 'text', problems: 'count' }, message: '{reason}' },

  // Search queries (shared/search/query.ts).
  search_query_empty: { status: 400, params: {}, message: 'the search query has nothing to look for: type a word, a "quoted phrase" or a filter (owner:, tag:, is:, in:)' },
  search_unknown_filter: { status: 400, params: { filter: 'text' }, message: '"{filter}" is not a search filter: use is:open, is:done or is:action' },
  search_filter_value_missing: { status: 400, params: { filter: 'text' }, message: 'the filter "{filter}" needs a value, e.g. owner:@alice, tag:##nfv, in:"session title"' },
  search_too_many_terms: { status: 400, params: { max: 'count' }, message: 'the search query has too many words (at most {max})' },

  // History (server/history): versions, restores, authorship.
  revision_not_found: { status: 404, params: { rev: 'count', latest: 'count' }, message: 'these notes have no version {rev} (the newest is {latest})' },
  block_not_found: { status: 404, params: { blockId: 'text', rev: 'count' }, message: 'block {blockId} is not in version {rev} of these notes' },
  author_not_found: { status: 404, params: { name: 'text' }, message: '"{name}" never wrote in these notes' },
  notes_locked: { status: 423, params: {}, message: 'these notes are locked by a moderator: only a moderator can restore a version' },
  restore_failed: { status: 503, params: {}, message: 'the restore could not be stored; the notes were not changed' },
  notes_damaged: { status: 409, params: {}, message: 'these notes are damaged: a moderator must repair them before a version can be restored' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

type ParamValue<K extends ErrorParamKind> = K extends 'count' ? number : K extends 'role' ? Role : string;

/** The parameters an error code is thrown with. */
export type ErrorParams<C extends ErrorCode> = {
  -readonly [P in keyof (typeof ERRORS)[C]['params']]: (typeof ERRORS)[C]['params'][P] extends ErrorParamKind ? ParamValue<(typeof ERRORS)[C]['params'][P]> : never;
};

/** One problem of many (a field of a form, a line of a file). */
export interface ErrorDetail {
  line?: number;
  /** A CSV data row (schedule import problems), counted from 1 after the header. */
  row?: number;
  path?: string;
  code?: string;
  params?: Record<string, string | number>;
  message: string;
}

/** The body of every 4xx/5xx answer of the API. */
export interface ApiErrorBody {
  error: { code: string; message: string; params?: Record<string, string | number>; details?: ErrorDetail[] };
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERRORS, code);
}

/** Replaces `{name}` with the parameter; unknown names stay as they are. */
export function fillPlaceholders(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (Object.prototype.hasOwnProperty.call(params, k) ? String(params[k]) : m));
}

/** The placeholders a message uses. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

export function englishErrorMessage<C extends ErrorCode>(code: C, params: ErrorParams<C>): string {
  return fillPlaceholders(ERRORS[code].message, params as Record<string, string | number>);
}

/**
 * Input fields the API validates, by JSON name: the client has a label for
 * each, so a validation error names "Short name for links", never `slug`.
 */
export const INPUT_FIELDS = [
  'title',
  'slug',
  'timezone',
  'language',
  'keepLocalTimes',
  'startsAt',
  'endsAt',
  'room',
  'rooms',
  'track',
  'moderators',
  'tags',
  'description',
  'locked',
  'state',
  'nowDiscussing',
  'template',
  'status',
  'fromSessionId',
  'heading',
  'role',
  'format',
  'owner',
  'tag',
  'session',
  'overdue',
  'q',
  'limit',
  'rev',
  'blockId',
  'name',
  'since',
  'before',
  'diff',
  'version',
] as const;
export type InputField = (typeof INPUT_FIELDS)[number];

export function isInputField(name: string): name is InputField {
  return (INPUT_FIELDS as readonly string[]).includes(name);
}
