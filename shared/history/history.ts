import { z } from 'zod';
import { LIMITS } from '../limits.js';

/**
 * History of a session's notes: the contract between the server's history
 * module (server/history) and the timeslider. Revisions are numbered from 1
 * per session; each groups consecutive edits of the same authors (a pause of
 * `REVISION_PAUSE_MS` or a change of author starts a new one).
 */

/** A pause this long between two stored changes starts a new revision. */
export const REVISION_PAUSE_MS = 10_000;
/** Revisions one page of `GET /api/sessions/:id/history` holds at most (and by default). */
export const HISTORY_PAGE_MAX = 1000;
export const HISTORY_PAGE_DEFAULT = 500;
/** A name given to a version. */
export const VERSION_NAME_MAX = 120;

/**
 * Who wrote a piece of the notes. People are who the server saw writing (the
 * display name their connection showed); everything else is the server:
 * the session template, a restore, an import, or Roundtable's own writes
 * (action-item tagging, carried-forward items, the demo notes). `anonymous`
 * is a connection that showed no name; `unknown` is text written before
 * history recorded who wrote what.
 */
export const AUTHOR_KINDS = ['person', 'template', 'restore', 'import', 'server', 'anonymous', 'unknown'] as const;
export type AuthorKind = (typeof AUTHOR_KINDS)[number];

/** How the non-person authors are named in the API and the minutes (the UI translates them). */
export const AUTHOR_KIND_LABELS: Record<Exclude<AuthorKind, 'person'>, string> = {
  template: 'template',
  restore: 'restore',
  import: 'import',
  server: 'Roundtable',
  anonymous: 'anonymous',
  unknown: 'unknown',
};

/** Colours of the non-person authors (people bring theirs from their presence). */
export const AUTHOR_KIND_COLORS: Record<Exclude<AuthorKind, 'person'>, string> = {
  template: '#8c959f',
  restore: '#0a7f6f',
  import: '#8250df',
  server: '#57606a',
  anonymous: '#6e7781',
  unknown: '#afb8c1',
};

export const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;
/** A block's address: the Yjs id of its element (as search uses it). */
export const BLOCK_ID_PATTERN = /^\d{1,10}-\d{1,12}$/;

export interface HistoryAuthor {
  /** The display name, or the kind's label for the server's writes. */
  name: string;
  kind: AuthorKind;
  color: string;
}

/** One revision in `GET /api/sessions/:id/history`. */
export interface VersionSummary {
  rev: number;
  /** When its last change was stored (ISO 8601). */
  at: string;
  /** When its first change was stored. */
  startedAt: string;
  /** Display names (and kind labels) of everyone whose changes are in it; a restore's: `restore`, and who restored it when they gave their name. */
  authors: string[];
  /** The name a moderator gave this version. */
  named?: string;
  /** `base`: the notes as they were when history started (sessions older than history). */
  kind?: 'base';
}

export interface HistoryListDto {
  /** Newest first. */
  versions: VersionSummary[];
  /** The newest revision (0 when the notes have none yet). */
  latest: number;
  /** Older revisions exist below this page (ask again with `before` = the last rev here). */
  more: boolean;
  /** Everyone who appears in `versions`, with their kind and colour. */
  people: HistoryAuthor[];
}

/** `GET /api/sessions/:id/history/:rev?format=json`. */
export interface VersionDocDto {
  rev: number;
  at: string;
  /** With `?diff=<rev>`: the revision compared against (insertions and deletions carry `change` marks). */
  diffFrom?: number;
  /** ProseMirror JSON of the notes; every text run carries an `author` mark ({ name, kind, color }). */
  doc: unknown;
  authors: HistoryAuthor[];
}

/** `GET /api/sessions/:id/authors`: one entry per author of the current notes, most characters first. */
export interface AuthorCharsDto extends HistoryAuthor {
  /** Characters (code points) of the current notes this author wrote. */
  chars: number;
  /** Yjs client ids bound to this author (what "show authors" maps the live document with). */
  clients: number[];
}

export interface NamedVersionDto {
  rev: number;
  name: string;
  at: string;
}

const rev = z.number().int().min(1).max(2 ** 31);

export const historyQuerySchema = z
  .object({
    before: z.coerce.number().int().min(1).max(2 ** 31).optional(),
    limit: z.coerce.number().int().min(1).max(HISTORY_PAGE_MAX).optional(),
  })
  .strict();

export const versionQuerySchema = z
  .object({
    format: z.enum(['json', 'md', 'txt']).optional(),
    diff: z.coerce.number().int().min(0).max(2 ** 31).optional(),
  })
  .strict();

/**
 * The display name of who asks for a restore or a revert-author
 * (unauthenticated, like every name in history): credited on the revision
 * the change makes, next to `restore`. Empty or absent: the change is
 * credited to `restore` alone.
 */
const requestedBy = z.string().trim().max(LIMITS.displayNameMaxLength).optional();

export const restoreBodySchema = z
  .object({
    rev,
    blockId: z.string().regex(BLOCK_ID_PATTERN).optional(),
    by: requestedBy,
  })
  .strict();

export const nameVersionBodySchema = z
  .object({
    rev,
    name: z.string().trim().min(1).max(VERSION_NAME_MAX),
  })
  .strict();

export const revertAuthorBodySchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    since: z.iso.datetime({ offset: true }),
    by: requestedBy,
  })
  .strict();

export interface RestoreResultDto {
  /** The revision that holds the restore (the notes now, unless someone typed since). */
  rev: number;
}

export interface RevertResultDto {
  rev: number;
  /** Revisions of that author whose changes were undone. */
  reverted: number;
}

/** The text blocks a history view marks with their Yjs id (`blockId`, what a block restore names). */
export const HISTORY_TEXT_BLOCKS = ['paragraph', 'heading', 'codeBlock'] as const;
