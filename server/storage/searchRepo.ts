import type Database from 'better-sqlite3';

/** What the index holds for one block (the in-memory copy the indexer diffs against). */
export interface IndexedBlock {
  rowId: number;
  ord: number;
  heading: string;
  actionItemId: string | null;
  text: string;
  /** JSON: code points by Yjs client id. */
  authors: string;
}

export type BlockWrite =
  | { kind: 'insert'; blockId: string; ord: number; heading: string; actionItemId: string | null; text: string; norm: string; authors: string }
  | { kind: 'text'; blockId: string; rowId: number; text: string; norm: string; actionItemId: string | null; authors: string }
  | { kind: 'meta'; blockId: string; rowId: number; actionItemId: string | null; authors: string }
  | { kind: 'place'; blockId: string; rowId: number; ord: number; heading: string }
  | { kind: 'delete'; blockId: string; rowId: number };

export interface SessionWrites {
  sessionId: string;
  eventId: string;
  blocks: BlockWrite[];
  /** The document's sequence number the index now covers, when it moved. */
  docSeq?: number;
  authors?: { clientId: number; name: string }[];
}

export interface BlockRow {
  id: number;
  session_id: string;
  block_id: string;
  ord: number;
  heading: string;
  action_item_id: string | null;
  text: string;
  norm: string;
  rank: number | null;
}

const BLOCK_COLUMNS = 'b.id, b.session_id, b.block_id, b.ord, b.heading, b.action_item_id, b.text, b.norm';

/** A value, or a promise of it: SQLite answers at once, PostgreSQL over the network. */
export type Awaitable<T> = T | Promise<T>;

/**
 * The search index port: derived data, rebuilt from the stored notes
 * whenever it is missing or older than the code. Two implementations: SQLite
 * (this file: FTS5 trigram tables in the local file, synchronous) and
 * PostgreSQL (postgres/pgSearchRepo.ts: pg_trgm). Callers always await.
 * Blocks are unique per (session, block id), so writes of two processes
 * indexing the same session land on the same rows.
 */
export interface SearchIndexStore {
  blocksOf(sessionId: string): Awaitable<Map<string, IndexedBlock>>;
  /** Applies the writes of several sessions in one unit; returns the row ids of inserted blocks per session. */
  write(sessions: readonly SessionWrites[], now: string): Awaitable<Map<string, Map<string, number>>>;
  indexedSeq(sessionId: string): Awaitable<number | undefined>;
  storedSeq(sessionId: string): Awaitable<number>;
  liveSessionIds(): Awaitable<string[]>;
  staleSessions(eventId: string): Awaitable<string[]>;
  meta(key: string): Awaitable<string | undefined>;
  reset(version: string): Awaitable<void>;
  /** Blocks of the event whose normalised text contains every term (each at least a trigram long), best first. */
  matchBlocks(eventId: string, terms: readonly string[], limit: number): Awaitable<BlockRow[]>;
  scanBlocks(eventId: string, needles: readonly string[], limit: number): Awaitable<BlockRow[]>;
  actionBlocks(eventId: string, limit: number): Awaitable<BlockRow[]>;
  authorChars(eventId: string): Awaitable<{ session_id: string; client_id: string; chars: number }[]>;
  authorNames(eventId: string): Awaitable<{ session_id: string; client_id: number; name: string }[]>;
}

/**
 * The FTS5 expression for the terms: each one a quoted string (quotes
 * doubled), joined by AND. Nothing a user types reaches FTS5 as syntax.
 */
export function ftsExpression(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
}

/** SQL of the search index (tables from migration 5). Writes go in their own transactions, never in a commit's. */
export class SearchRepo implements SearchIndexStore {
  private readonly stmts;
  private readonly scanStmts = new Map<number, Database.Statement<unknown[], BlockRow>>();

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      blocksOf: db.prepare<[string], { id: number; block_id: string; ord: number; heading: string; action_item_id: string | null; text: string; authors: string }>(
        'SELECT id, block_id, ord, heading, action_item_id, text, authors FROM search_blocks WHERE session_id = ?',
      ),
      insert: db.prepare(
        `INSERT INTO search_blocks (event_id, session_id, block_id, ord, heading, action_item_id, text, norm, authors)
         VALUES (@eventId, @sessionId, @blockId, @ord, @heading, @actionItemId, @text, @norm, @authors)`,
      ),
      text: db.prepare('UPDATE search_blocks SET text = @text, norm = @norm, action_item_id = @actionItemId, authors = @authors WHERE id = @rowId'),
      meta: db.prepare('UPDATE search_blocks SET action_item_id = @actionItemId, authors = @authors WHERE id = @rowId'),
      place: db.prepare('UPDATE search_blocks SET ord = @ord, heading = @heading WHERE id = @rowId'),
      delete: db.prepare<[number]>('DELETE FROM search_blocks WHERE id = ?'),
      setSeq: db.prepare<[string, number, string]>(
        `INSERT INTO search_sessions (session_id, doc_seq, indexed_at) VALUES (?, ?, ?)
         ON CONFLICT(session_id) DO UPDATE SET doc_seq = excluded.doc_seq, indexed_at = excluded.indexed_at`,
      ),
      indexedSeq: db.prepare<[string], { doc_seq: number }>('SELECT doc_seq FROM search_sessions WHERE session_id = ?'),
      // What storage holds: the newest update, or the snapshot that covers everything before it.
      storedSeq: db.prepare<[string, string], { seq: number | null }>(
        `SELECT max(s) AS seq FROM (SELECT max(seq) AS s FROM doc_updates WHERE doc_id = ?
         UNION ALL SELECT max(upto_seq) FROM doc_snapshots WHERE doc_id = ?)`,
      ),
      author: db.prepare<[string, number, string, string]>(
        `INSERT INTO author_clients (session_id, client_id, name, seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(session_id, client_id) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at`,
      ),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM search_meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>('INSERT INTO search_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      sessionIds: db.prepare<[], { id: string }>('SELECT id FROM sessions WHERE deleted_at IS NULL ORDER BY created_at'),
      // Sessions of an event whose stored notes are newer than what their index covers.
      stale: db.prepare<[string], { id: string }>(
        `SELECT s.id FROM sessions s LEFT JOIN search_sessions x ON x.session_id = s.id
         WHERE s.event_id = ? AND s.deleted_at IS NULL AND coalesce(x.doc_seq, -1) < max(
           coalesce((SELECT max(seq) FROM doc_updates WHERE doc_id = s.id), 0),
           coalesce((SELECT max(upto_seq) FROM doc_snapshots WHERE doc_id = s.id), 0))`,
      ),
      fts: db.prepare<[string, string, number], BlockRow>(
        `SELECT ${BLOCK_COLUMNS}, f.rank AS rank FROM search_fts f JOIN search_blocks b ON b.id = f.rowid
         WHERE search_fts MATCH ? AND b.event_id = ? ORDER BY f.rank LIMIT ?`,
      ),
      actionBlocks: db.prepare<[string, number], BlockRow>(
        `SELECT ${BLOCK_COLUMNS}, NULL AS rank FROM search_blocks b
         WHERE b.event_id = ? AND b.action_item_id IS NOT NULL ORDER BY b.session_id, b.ord LIMIT ?`,
      ),
      authorChars: db.prepare<[string], { session_id: string; client_id: string; chars: number }>(
        `SELECT b.session_id, j.key AS client_id, sum(j.value) AS chars FROM search_blocks b, json_each(b.authors) j
         WHERE b.event_id = ? GROUP BY b.session_id, j.key`,
      ),
      authorNames: db.prepare<[string], { session_id: string; client_id: number; name: string }>(
        `SELECT a.session_id, a.client_id, a.name FROM author_clients a JOIN sessions s ON s.id = a.session_id
         WHERE s.event_id = ? AND s.deleted_at IS NULL AND a.name <> ''`,
      ),
    };
  }

  blocksOf(sessionId: string): Map<string, IndexedBlock> {
    const out = new Map<string, IndexedBlock>();
    for (const r of this.stmts.blocksOf.all(sessionId)) {
      out.set(r.block_id, { rowId: r.id, ord: r.ord, heading: r.heading, actionItemId: r.action_item_id, text: r.text, authors: r.authors });
    }
    return out;
  }

  /**
   * Applies the writes of several sessions in one transaction (one fsync for
   * a whole indexing pass); returns the row ids of inserted blocks per session.
   */
  write(sessions: readonly SessionWrites[], now: string): Map<string, Map<string, number>> {
    return this.db.transaction(() => {
      const inserted = new Map<string, Map<string, number>>();
      for (const s of sessions) {
        const ids = new Map<string, number>();
        for (const w of s.blocks) {
          if (w.kind === 'insert') {
            const info = this.stmts.insert.run({ ...w, eventId: s.eventId, sessionId: s.sessionId });
            ids.set(w.blockId, Number(info.lastInsertRowid));
          } else if (w.kind === 'delete') this.stmts.delete.run(w.rowId);
          else this.stmts[w.kind].run(w);
        }
        if (s.docSeq !== undefined) this.stmts.setSeq.run(s.sessionId, s.docSeq, now);
        for (const a of s.authors ?? []) this.stmts.author.run(s.sessionId, a.clientId, a.name, now);
        inserted.set(s.sessionId, ids);
      }
      return inserted;
    })();
  }

  indexedSeq(sessionId: string): number | undefined {
    return this.stmts.indexedSeq.get(sessionId)?.doc_seq;
  }

  storedSeq(sessionId: string): number {
    return this.stmts.storedSeq.get(sessionId, sessionId)?.seq ?? 0;
  }

  liveSessionIds(): string[] {
    return this.stmts.sessionIds.all().map((r) => r.id);
  }

  /** Sessions of the event whose index is behind their stored notes (written while no room watched them). */
  staleSessions(eventId: string): string[] {
    return this.stmts.stale.all(eventId).map((r) => r.id);
  }

  meta(key: string): string | undefined {
    return this.stmts.getMeta.get(key)?.value;
  }

  /** Drops every indexed block and what each session's index covered (the tables stay). */
  reset(version: string): void {
    this.db.transaction(() => {
      this.db.exec("DELETE FROM search_sessions; DELETE FROM search_blocks; INSERT INTO search_fts(search_fts) VALUES ('rebuild');");
      this.stmts.setMeta.run('version', version);
    })();
  }

  /** Blocks of the event matching every term (through the FTS5 trigram index), best first. */
  matchBlocks(eventId: string, terms: readonly string[], limit: number): BlockRow[] {
    return this.stmts.fts.all(ftsExpression(terms), eventId, limit);
  }

  /** Blocks of the event whose normalised text contains every needle (for needles shorter than a trigram). */
  scanBlocks(eventId: string, needles: readonly string[], limit: number): BlockRow[] {
    let stmt = this.scanStmts.get(needles.length);
    if (!stmt) {
      const where = needles.map(() => 'instr(b.norm, ?) > 0').join(' AND ');
      stmt = this.db.prepare<unknown[], BlockRow>(
        `SELECT ${BLOCK_COLUMNS}, NULL AS rank FROM search_blocks b WHERE b.event_id = ? AND ${where} ORDER BY b.session_id, b.ord LIMIT ?`,
      );
      this.scanStmts.set(needles.length, stmt);
    }
    return stmt.all(eventId, ...needles, limit);
  }

  actionBlocks(eventId: string, limit: number): BlockRow[] {
    return this.stmts.actionBlocks.all(eventId, limit);
  }

  /** Characters of the current text per (session, Yjs client id), for the contributors report. */
  authorChars(eventId: string): { session_id: string; client_id: string; chars: number }[] {
    return this.stmts.authorChars.all(eventId);
  }

  /** Which display name wrote with which client id, per session of the event. */
  authorNames(eventId: string): { session_id: string; client_id: number; name: string }[] {
    return this.stmts.authorNames.all(eventId);
  }
}
