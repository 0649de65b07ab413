import { findDueDate, findDueDateMatch } from './dates.js';
import { normalizeWithMap } from './normalize.js';
import { findOwners, knownOwnerAtStart, meetBotOwner, ownerKey } from './owners.js';

export type ActionBlockKind = 'paragraph' | 'listItem' | 'taskItem' | 'heading';

export interface ActionBlockInput {
  text: string;
  kind: ActionBlockKind;
  /** For task items: whether the box is ticked. */
  checked?: boolean;
}

export interface ParseContext {
  /** The session's local date (YYYY-MM-DD): year-less due dates take the next such date on or after it. */
  sessionDate: string | null;
  /** Used instead of sessionDate when the session has no date. Injected: the parser never reads the clock. */
  today?: string | null;
  /** The session's people (its moderators and everyone who wrote in it): "TODO: bob to write …" makes a known bob the owner. */
  knownNames?: readonly string[];
}

export interface ParsedActionItem {
  /** The block without its marker or task box, ready to read in a list. */
  text: string;
  owners: string[];
  due: string | null;
  tags: string[];
  status: 'open' | 'done';
  source: 'task' | 'marker' | 'hashtag';
}

/** Longest input the parser looks at; longer blocks are parsed on their first 10,000 characters. */
export const MAX_PARSE_LENGTH = 10_000;

// Optional bullets, then a marker. Each alternative is anchored and bounded: no backtracking blow-ups.
const BULLETS = String.raw`^[\s]*(?:(?:[-*•・+‣◦▪–—]|\d{1,3}[.)])\s*)*`;
const MARKER = new RegExp(
  BULLETS + String.raw`(?:(action\s*items?|action|ai|todo|to-do|アクション(?:アイテム)?|宿題|やること)\s*:|(#action)(?=\s|$))\s*`,
  'iu',
);
const TASK_BOX = new RegExp(BULLETS + String.raw`(?:\[( |x|X|✓|✔)?\]|(☐)|(☑|☒|✅|✔))\s*`, 'u');
const LEADING_BULLETS = new RegExp(BULLETS, 'u');
const TAG = /(?<![\p{L}\p{N}#])##([\p{L}\p{M}\p{N}_-]{1,60})/gu;

function findTags(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TAG)) {
    const tag = m[1]!.toLowerCase().replace(/[-_]+$/, '');
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/**
 * Decides whether a block of notes is an action item and reads its owners,
 * due date, tags and status. Pure, linear in the input, never throws.
 * The rules and their ids are in SPEC.md.
 *
 * @example
 * parseActionItem({ text: 'ACTION: @dana send the summary by 2016-05-17', kind: 'paragraph' }, { sessionDate: '2016-04-25' })
 * // → { text: '@dana send the summary by 2016-05-17', owners: ['dana'], due: '2016-05-17', tags: [], status: 'open', source: 'marker' }
 */
export function parseActionItem(block: ActionBlockInput, ctx: ParseContext): ParsedActionItem | null {
  if (block.kind === 'heading') return null;
  const original = block.text.length > MAX_PARSE_LENGTH ? block.text.slice(0, MAX_PARSE_LENGTH) : block.text;
  const { text: norm, toOriginal } = normalizeWithMap(original);

  let source: ParsedActionItem['source'] | null = null;
  let status: 'open' | 'done' = 'open';
  let cut = 0;
  let meetBot = false;

  if (block.kind === 'taskItem') {
    source = 'task';
    status = block.checked ? 'done' : 'open';
  }
  const box = TASK_BOX.exec(norm);
  if (box) {
    cut = box[0].length;
    if (!source) {
      source = 'task';
      const mark = box[1] ?? '';
      status = box[3] || (mark !== '' && mark !== ' ') ? 'done' : 'open';
    }
  }
  const rest = norm.slice(cut);
  const marker = MARKER.exec(rest);
  if (marker) {
    cut += marker[0].length;
    meetBot = marker[2] !== undefined;
    source ??= 'marker';
  }
  if (cut === 0) cut = LEADING_BULLETS.exec(norm)?.[0].length ?? 0;
  const body = norm.slice(cut);
  const tags = findTags(body);
  if (!source && tags.length > 0) source = 'hashtag';
  if (!source) return null;

  const text = original.slice(toOriginal[cut] ?? original.length).trim();
  if (!text) return null;

  let owners = findOwners(body);
  if (ctx.knownNames?.length) owners = owners.map((o) => fullKnownName(o, body, ctx.knownNames!));
  if (meetBot && owners.length === 0) {
    const nick = meetBotOwner(body);
    if (nick) owners = [nick];
  }
  // A known person's name right after the marker or box owns the item ("TODO: bob to write the summary").
  const named = source !== 'hashtag' && ctx.knownNames?.length ? knownOwnerAtStart(body, ctx.knownNames) : null;
  if (named && !owners.some((o) => ownerKey(o) === ownerKey(named))) owners = [named, ...owners];
  const due = findDueDate(body, { anchor: ctx.sessionDate ?? ctx.today ?? null });
  return { text, owners, due, tags, status, source };
}

/**
 * An item's text with its due date written out in full (ISO), for copying
 * it into another session's notes: "due 5/17" would otherwise take the year
 * from the new session's date and could move a year later. Text whose date
 * already means `due` there is returned unchanged.
 */
export function pinDueDate(text: string, due: string | null, ctx: ParseContext): string {
  if (!due) return text;
  const anchor = { anchor: ctx.sessionDate ?? ctx.today ?? null };
  const { text: norm, toOriginal } = normalizeWithMap(text);
  const here = findDueDateMatch(norm, anchor);
  if (here?.date === due) return text;
  // Without a session date a year-less date is no date at all; anchored at `due` it is found again, with its place.
  const found = here ?? findDueDateMatch(norm, { anchor: due });
  if (!found) return `${text} (due ${due})`;
  return text.slice(0, toOriginal[found.start]) + due + text.slice(toOriginal[found.end]);
}

/**
 * An owner read as one word ("owner: Jun Tanaka" gives Jun) is the known
 * person whose longer name starts with it and follows in the line, under that
 * name: names may have spaces, the owner patterns' words may not.
 */
function fullKnownName(owner: string, body: string, knownNames: readonly string[]): string {
  const key = ownerKey(owner);
  const line = body.normalize('NFKC').toLowerCase();
  let best = owner;
  for (const name of knownNames) {
    const words = name.trim().split(/\s+/u);
    if (words.length < 2 || ownerKey(words[0]!) !== key) continue;
    if (line.includes(name.trim().normalize('NFKC').toLowerCase()) && name.length > best.length) best = name.trim();
  }
  return best;
}
