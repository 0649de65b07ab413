import { sessionRowToFields } from '../storage/sessionRepo.js';
import { ownerKey } from '../../shared/actionItems/owners.js';
import { codePointLength, searchNormalize } from '../../shared/search/normalize.js';
import type { SearchQuery, SearchTerm } from '../../shared/search/query.js';
import { snippetFor } from '../../shared/search/snippet.js';
import type { SearchHitKind, SearchResponseDto, SearchResultDto } from '../../shared/search/types.js';
import type { ActionItemRow, ActionItemStore, SessionStore } from '../storage/ports.js';
import type { SessionRow } from '../storage/rows.js';
import { ftsExpression as repoFtsExpression, type BlockRow, type SearchIndexStore } from '../storage/searchRepo.js';

/** Terms shorter than this many code points cannot use the trigram index. */
export const TRIGRAM = 3;
/** Blocks looked at per query, at most; past that the answer says `truncated`. */
export const MAX_CANDIDATES = 1000;

/** The FTS5 expression for the terms (SQLite's index; see storage/searchRepo.ts). */
export const ftsExpression = (terms: readonly SearchTerm[]): string => repoFtsExpression(terms.map((t) => t.text));

export interface SearchServiceDeps {
  repo: SearchIndexStore;
  sessions: Pick<SessionStore, 'listByEvent'>;
  actionItems: Pick<ActionItemStore, 'find'>;
}

interface SessionInfo {
  row: SessionRow;
  order: number;
  title: string;
  moderators: string[];
  moderatorsNorm: string;
  tags: string[];
}

interface Hit {
  session: SessionInfo;
  kind: SearchHitKind;
  row: BlockRow | null;
  item: ActionItemRow | undefined;
  /** Lower is better: FTS5's rank, or the schedule order when there is none. */
  score: number;
}

const list = (json: string): string[] => {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};
const tagKey = (t: string) => searchNormalize(t).replace(/^#+/, '').trim();

/**
 * Runs a parsed query against one event's index. Terms of three or more
 * characters go through the trigram index (substrings, also inside Japanese
 * text without spaces); terms shorter than a trigram are checked on the
 * normalised text of the candidates, or, when every term is that short, by a
 * scan of this event's blocks that stops at MAX_CANDIDATES. Titles and
 * moderators come straight from the sessions table, so they are never stale.
 */
export class SearchService {
  constructor(private readonly deps: SearchServiceDeps) {}

  async search(eventId: string, query: SearchQuery, limit: number): Promise<SearchResponseDto> {
    const sessions = new Map<string, SessionInfo>();
    (await this.deps.sessions.listByEvent(eventId)).forEach((row, order) => {
      const moderators = list(row.moderators);
      sessions.set(row.id, { row, order, title: searchNormalize(row.title), moderators, moderatorsNorm: searchNormalize(moderators.join(', ')), tags: list(row.tags).map(tagKey) });
    });
    const inScope = (s: SessionInfo) => query.sessions.length === 0 || query.sessions.some((t) => s.title.includes(t));
    const terms = query.terms.map((t) => t.text);
    const long = query.terms.filter((t) => codePointLength(t.text) >= TRIGRAM);
    const short = terms.filter((t) => codePointLength(t) < TRIGRAM);

    let rows: BlockRow[] = [];
    if (long.length > 0) rows = await this.deps.repo.matchBlocks(eventId, long.map((t) => t.text), MAX_CANDIDATES);
    else if (short.length > 0) rows = await this.deps.repo.scanBlocks(eventId, short, MAX_CANDIDATES);
    else if (query.actionOnly || query.tags.length > 0) rows = await this.deps.repo.actionBlocks(eventId, MAX_CANDIDATES);
    let truncated = rows.length >= MAX_CANDIDATES;

    const itemIds = [...new Set(rows.map((r) => r.action_item_id).filter((id): id is string => id !== null))];
    const found = await Promise.all(itemIds.map((id) => this.deps.actionItems.find(id)));
    const items = new Map(itemIds.map((id, i) => [id, found[i]]));
    const hits: Hit[] = [];
    for (const row of rows) {
      const session = sessions.get(row.session_id);
      if (!session || !inScope(session) || !row.norm.trim()) continue;
      if (long.length > 0 && !short.every((t) => row.norm.includes(t))) continue;
      const item = row.action_item_id ? items.get(row.action_item_id) : undefined;
      if (!this.itemFilters(query, item, session)) continue;
      hits.push({ session, kind: 'notes', row, item, score: row.rank ?? session.order });
    }
    if (!query.actionOnly) {
      for (const session of sessions.values()) {
        if (!inScope(session) || (query.tags.length > 0 && !query.tags.some((t) => session.tags.includes(t)))) continue;
        const kind: SearchHitKind | null =
          terms.length === 0 ? 'title' : terms.every((t) => session.title.includes(t)) ? 'title' : terms.every((t) => session.moderatorsNorm.includes(t)) ? 'moderators' : null;
        if (kind) hits.push({ session, kind, row: null, item: undefined, score: Number.NEGATIVE_INFINITY });
      }
    }

    // The best `limit` hits, then grouped by session (best session first), titles first, then in document order.
    const ranked = [...hits].sort((a, b) => a.score - b.score || a.session.order - b.session.order || (a.row?.ord ?? -1) - (b.row?.ord ?? -1));
    if (ranked.length > limit) truncated = true;
    const kept = ranked.slice(0, limit);
    const sessionRank = new Map<string, number>();
    kept.forEach((h, i) => {
      if (!sessionRank.has(h.session.row.id)) sessionRank.set(h.session.row.id, i);
    });
    const kindOrder: Record<SearchHitKind, number> = { title: 0, moderators: 1, notes: 2 };
    kept.sort(
      (a, b) =>
        sessionRank.get(a.session.row.id)! - sessionRank.get(b.session.row.id)! || kindOrder[a.kind] - kindOrder[b.kind] || (a.row?.ord ?? 0) - (b.row?.ord ?? 0),
    );
    return { results: kept.map((h) => this.toDto(h, terms)), truncated };
  }

  /** owner:, is: and tag: on one block; tags are the item's ##tags or its session's tags. */
  private itemFilters(query: SearchQuery, item: ActionItemRow | undefined, session: SessionInfo): boolean {
    if (query.actionOnly && !item) return false;
    if (query.statuses.length > 0 && !(item && query.statuses.includes(item.status))) return false;
    if (query.owners.length > 0 && !(item && list(item.owners).some((o) => query.owners.includes(ownerKey(o))))) return false;
    if (query.tags.length > 0) {
      const tags = item ? list(item.tags).map(tagKey) : [];
      if (!query.tags.some((t) => tags.includes(t) || session.tags.includes(t))) return false;
    }
    return true;
  }

  private toDto(h: Hit, terms: string[]): SearchResultDto {
    const { row: s } = h.session;
    const text = h.kind === 'title' ? s.title : h.kind === 'moderators' ? h.session.moderators.join(', ') : h.row!.text;
    const snippet = snippetFor(text, terms, h.row?.norm);
    return {
      sessionId: s.id,
      sessionTitle: s.title,
      rooms: sessionRowToFields(s).rooms,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      kind: h.kind,
      blockId: h.row?.block_id ?? null,
      actionItemId: h.item?.id ?? null,
      heading: h.row?.heading ?? '',
      snippet: snippet.text,
      highlights: snippet.highlights,
      isActionItem: h.item !== undefined,
      status: h.item?.status ?? null,
    };
  }
}
