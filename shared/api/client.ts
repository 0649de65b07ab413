import type { z } from 'zod';
import type { ContributorDto } from '../contributors/report.js';
import type { ApiErrorBody, ErrorDetail } from '../errors.js';
import type { AuthorCharsDto, HistoryListDto, NamedVersionDto, RestoreResultDto, RevertResultDto, VersionDocDto } from '../history/history.js';
import type { EventNotesImportResult, NotesImportResult } from '../notesImport/importResult.js';
import type { Role } from '../roles.js';
import type { ScheduleImportResult, UnscheduledChoice } from '../schedule/types.js';
import type {
  ActionItemDto,
  ActionItemStatus,
  CreateEventResponse,
  EventDto,
  EventLinks,
  EventWithSessionsDto,
  createEventInputSchema,
  createSessionInputSchema,
  patchEventInputSchema,
  patchSessionInputSchema,
  SessionDto,
} from '../schemas.js';
import type { SearchResponseDto } from '../search/types.js';

/**
 * A failed request: the server's error code, message and parameters
 * (shared/errors.ts), or status 0 and code `network` when the server could not
 * be reached. A body that is not ours keeps the status with code `error`.
 * People see errorMessage() of it (client/lib/errorMessage.ts), never
 * `message`, which is the server's English for API users.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  /** `http://host:port`, or '' for the page's own origin. */
  baseUrl?: string;
  /** The link's token, sent as `Authorization: Bearer`. */
  token?: string | null;
  /** The fetch to use (the browser's, Node's, or a test's). */
  fetch?: FetchLike;
  /** Added to every request (the web client sends `cache: 'no-store'`). */
  init?: RequestInit;
}

export interface RequestOptions {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is, with this content type (files, schedules, zips). */
  raw?: { body: BodyInit; type: string };
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  /** Overrides the client's token for this request. */
  token?: string | null;
}

/** Request bodies as callers write them (the server's zod schemas parse them). */
export type CreateEventInput = z.input<typeof createEventInputSchema>;
export type PatchEventInput = z.input<typeof patchEventInputSchema>;
export type CreateSessionInput = z.input<typeof createSessionInputSchema>;
export type PatchSessionInput = z.input<typeof patchSessionInputSchema>;

export interface ActionItemQuery {
  status?: ActionItemStatus;
  owner?: string;
  tag?: string;
  session?: string;
  overdue?: boolean;
}

export interface JoinCodeDto {
  code: string;
  url: string;
  role: 'edit' | 'view';
  expiresAt: string;
}

const path = (strings: TemplateStringsArray, ...ids: string[]) => strings.reduce((out, s, i) => out + s + (i < ids.length ? encodeURIComponent(ids[i]!) : ''), '');

/**
 * The HTTP API as typed calls: one method per route the app, the tests, the
 * CLI and the benches use (the README's API table). Errors become ApiError.
 *
 * @example
 * const api = createApiClient({ baseUrl: server.url, token: links.tokens.moderate, fetch });
 * const session = await api.createSession(event.id, { title: 'Keynote' });
 */
export function createApiClient(opts: ApiClientOptions = {}) {
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  const base = opts.baseUrl ?? '';

  /** The raw answer of a request that succeeded (2xx); anything else throws ApiError. */
  async function send(pathname: string, o: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = o.token === undefined ? opts.token : o.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (o.raw) {
      headers['content-type'] = o.raw.type;
      body = o.raw.body;
    } else if (o.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.body);
    }
    let url = base + pathname;
    const query = Object.entries(o.query ?? {}).filter((e): e is [string, string | number | boolean] => e[1] !== undefined);
    if (query.length > 0) url += (url.includes('?') ? '&' : '?') + new URLSearchParams(query.map(([k, v]) => [k, String(v)])).toString();
    let res: Response;
    try {
      res = await doFetch(url, { ...opts.init, method: o.method ?? 'GET', headers, body, signal: o.signal });
    } catch (err) {
      if (o.signal?.aborted) throw err;
      throw new ApiError(0, 'network', 'network error');
    }
    if (!res.ok) throw errorFromResponse(res.status, res.statusText, await res.text());
    return res;
  }

  /** A JSON request; 204 answers undefined. */
  async function request<T>(pathname: string, o: RequestOptions = {}): Promise<T> {
    const res = await send(pathname, o);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  return {
    send,
    request,
    /** This client with another token (a second link of the same event). */
    as: (token: string | null) => createApiClient({ ...opts, token }),

    createEvent: (input: CreateEventInput) => request<CreateEventResponse>('/api/events', { method: 'POST', body: input }),
    slugAvailable: (slug: string) => request<{ available: boolean }>(path`/api/slugs/${slug}`),
    getEvent: (eventRef: string) => request<EventWithSessionsDto>(path`/api/events/${eventRef}`),
    patchEvent: (eventRef: string, input: PatchEventInput) => request<EventDto>(path`/api/events/${eventRef}`, { method: 'PATCH', body: input }),
    links: (eventRef: string) => request<{ links: EventLinks }>(path`/api/events/${eventRef}/links`),
    rotateLink: (eventRef: string, role: Role) => request<{ role: Role; link: string; token: string }>(path`/api/events/${eventRef}/links/${role}/rotate`, { method: 'POST' }),
    getTemplate: <Doc = unknown>(eventRef: string) => request<{ template: Doc }>(path`/api/events/${eventRef}/template`),
    putTemplate: <Doc = unknown>(eventRef: string, template: Doc | null) => request<{ template: Doc }>(path`/api/events/${eventRef}/template`, { method: 'PUT', body: { template } }),
    calendarLink: (eventRef: string) => request<{ url: string; webcal: string }>(path`/api/events/${eventRef}/calendar-link`),
    importSchedule: (eventRef: string, file: { body: BodyInit; type: string }, q: { dryRun?: boolean; unscheduled?: UnscheduledChoice } = {}) =>
      request<ScheduleImportResult>(path`/api/events/${eventRef}/schedule`, { method: 'POST', raw: file, query: q }),

    createSession: (eventRef: string, input: CreateSessionInput) => request<SessionDto>(path`/api/events/${eventRef}/sessions`, { method: 'POST', body: input }),
    getSession: (sessionId: string) => request<SessionDto>(path`/api/sessions/${sessionId}`),
    patchSession: (sessionId: string, input: PatchSessionInput) => request<SessionDto>(path`/api/sessions/${sessionId}`, { method: 'PATCH', body: input }),
    deleteSession: (sessionId: string) => request<void>(path`/api/sessions/${sessionId}`, { method: 'DELETE' }),
    undeleteSession: (sessionId: string) => request<SessionDto>(path`/api/sessions/${sessionId}/undelete`, { method: 'POST' }),
    joinCode: (sessionId: string, role: 'edit' | 'view') => request<JoinCodeDto>(path`/api/sessions/${sessionId}/join-code`, { method: 'POST', body: { role } }),
    importNotes: (sessionId: string, file: { body: BodyInit; type: string }, q: { format?: string; mode?: 'append' | 'replace'; dryRun?: boolean; filename?: string } = {}) =>
      request<NotesImportResult>(path`/api/sessions/${sessionId}/import`, { method: 'POST', raw: file, query: q }),
    importEventNotes: (eventRef: string, zip: BodyInit, q: { mode?: 'append' | 'replace'; dryRun?: boolean } = {}) =>
      request<EventNotesImportResult>(path`/api/events/${eventRef}/import`, { method: 'POST', raw: { body: zip, type: 'application/zip' }, query: q }),

    sessionActionItems: (sessionId: string) => request<{ items: ActionItemDto[] }>(path`/api/sessions/${sessionId}/action-items`),
    eventActionItems: (eventRef: string, q: ActionItemQuery = {}) => request<{ items: ActionItemDto[] }>(path`/api/events/${eventRef}/action-items`, { query: { ...q } }),
    setActionItemStatus: (id: string, status: ActionItemStatus) => request<ActionItemDto>(path`/api/action-items/${id}`, { method: 'PATCH', body: { status } }),
    carryForward: (sessionId: string, input: { fromSessionId: string; heading?: string }) =>
      request<{ copied: number }>(path`/api/sessions/${sessionId}/carry-forward`, { method: 'POST', body: input }),

    search: (eventRef: string, q: string, o: { limit?: number; signal?: AbortSignal } = {}) =>
      request<SearchResponseDto>(path`/api/events/${eventRef}/search`, { query: { q, limit: o.limit || undefined }, signal: o.signal }),
    contributors: (eventRef: string) => request<ContributorDto[]>(path`/api/events/${eventRef}/contributors`),

    history: (sessionId: string, q: { limit?: number } = {}) => request<HistoryListDto>(path`/api/sessions/${sessionId}/history`, { query: { ...q } }),
    /** A version's notes with authorship; with `diffFrom`, what changed between that version and this one. */
    historyVersion: (sessionId: string, rev: number, diffFrom?: number) => request<VersionDocDto>(path`/api/sessions/${sessionId}/history/${String(rev)}`, { query: { diff: diffFrom } }),
    /** `by`: the restorer's display name, credited on the restore's version. */
    restore: (sessionId: string, rev: number, blockId?: string, by?: string | null) =>
      request<RestoreResultDto>(path`/api/sessions/${sessionId}/restore`, { method: 'POST', body: { rev, ...(blockId ? { blockId } : {}), ...(by ? { by } : {}) } }),
    /** Undoes what `name` wrote or deleted after `since` (ISO 8601), keeping everyone else's edits (moderate link). */
    revertAuthor: (sessionId: string, name: string, since: string, by?: string | null) =>
      request<RevertResultDto>(path`/api/sessions/${sessionId}/revert-author`, { method: 'POST', body: { name, since, ...(by ? { by } : {}) } }),
    nameVersion: (sessionId: string, rev: number, name: string) => request<NamedVersionDto>(path`/api/sessions/${sessionId}/versions`, { method: 'POST', body: { rev, name } }),
    authors: (sessionId: string) => request<AuthorCharsDto[]>(path`/api/sessions/${sessionId}/authors`),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** An error answer as an ApiError. */
export function errorFromResponse(status: number, statusText: string, text: string): ApiError {
  let err: ApiErrorBody['error'] | undefined;
  try {
    err = text ? (JSON.parse(text) as ApiErrorBody | null)?.error : undefined;
  } catch {
    err = undefined;
  }
  return new ApiError(status, typeof err?.code === 'string' ? err.code : 'error', typeof err?.message === 'string' ? err.message : statusText, err?.details, err?.params);
}
