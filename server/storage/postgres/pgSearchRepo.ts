import type pg from 'pg';
import type { BlockRow, IndexedBlock, SearchIndexStore, SessionWrites } from '../searchRepo.js';
import { inTransaction } from './pgDocStore.js';

const BLOCK_COLUMNS = 'b.id, b.session_id, b.block_id, b.ord, b.heading, b.action_item_id, b.text, b.norm';

interface RawBlock extends Omit<BlockRow, 'id' | 'rank'> {
  id: string;
  rank: number | null;
}

const toBlock = (r: RawBlock): BlockRow => ({ ...r, id: Number(r.id), rank: r.rank === null ? null : Number(r.rank) });

/** A LIKE pattern matching `text` anywhere (its own %, _ and \ taken literally). */
const containing = (text: string): string => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * The search index in PostgreSQL (tables from migration 4 in pgMigrations.ts),
 * the same behaviour as SQLite's SearchRepo (searchIndex.contract.ts runs on
 * both). Terms match as substrings of the normalised text (LIKE, served by
 * pg_trgm's GIN index), so Japanese without word boundaries is found as on
 * SQLite's FTS5 trigram index; the best come first by trigram similarity.
 * Several processes may index one session: blocks are written by (session,
 * block id), not by the row ids one process remembers, so the last writer
 * of a block wins and none is duplicated.
 */
export class PgSearchRepo implements SearchIndexStore {
  constructor(private readonly pool: pg.Pool) {}

  async blocksOf(sessionId: string): Promise<Map<string, IndexedBlock>> {
    const { rows } = await this.pool.query<{ id: string; block_id: string; ord: number; heading: string; action_item_id: string | null; text: string; authors: string }>(
      'SELECT id, block_id, ord, heading, action_item_id, text, authors FROM search_blocks WHERE session_id = $1',
      [sessionId],
    );
    return new Map(rows.map((r) => [r.block_id, { rowId: Number(r.id), ord: r.ord, heading: r.heading, actionItemId: r.action_item_id, text: r.text, authors: r.authors }]));
  }

  async write(sessions: readonly SessionWrites[], now: string): Promise<Map<string, Map<string, number>>> {
    // Sessions in one order on every process: two passes over the same sessions wait instead of deadlocking.
    const ordered = [...sessions].sort((a, b) => (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0));
    return inTransaction(this.pool, 'BEGIN', async (db) => {
      const inserted = new Map<string, Map<string, number>>();
      for (const s of ordered) {
        const ids = new Map<string, number>();
        for (const w of s.blocks) {
          const key = [s.sessionId, w.blockId];
          if (w.kind === 'insert') {
            const { rows } = await db.query<{ id: string }>(
              `INSERT INTO search_blocks (event_id, session_id, block_id, ord, heading, action_item_id, text, norm, authors) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
               ON CONFLICT (session_id, block_id) DO UPDATE SET event_id = excluded.event_id, ord = excluded.ord, heading = excluded.heading,
                 action_item_id = excluded.action_item_id, text = excluded.text, norm = excluded.norm, authors = excluded.authors
               RETURNING id`,
              [s.eventId, s.sessionId, w.blockId, w.ord, w.heading, w.actionItemId, w.text, w.norm, w.authors],
            );
            ids.set(w.blockId, Number(rows[0]!.id));
          } else if (w.kind === 'text') {
            await db.query('UPDATE search_blocks SET text = $3, norm = $4, action_item_id = $5, authors = $6 WHERE session_id = $1 AND block_id = $2', [...key, w.text, w.norm, w.actionItemId, w.authors]);
          } else if (w.kind === 'meta') {
            await db.query('UPDATE search_blocks SET action_item_id = $3, authors = $4 WHERE session_id = $1 AND block_id = $2', [...key, w.actionItemId, w.authors]);
          } else if (w.kind === 'place') {
            await db.query('UPDATE search_blocks SET ord = $3, heading = $4 WHERE session_id = $1 AND block_id = $2', [...key, w.ord, w.heading]);
          } else {
            await db.query('DELETE FROM search_blocks WHERE session_id = $1 AND block_id = $2', key);
          }
        }
        if (s.docSeq !== undefined) {
          await db.query(
            `INSERT INTO search_sessions (session_id, doc_seq, indexed_at) VALUES ($1, $2, $3)
             ON CONFLICT (session_id) DO UPDATE SET doc_seq = excluded.doc_seq, indexed_at = excluded.indexed_at`,
            [s.sessionId, s.docSeq, now],
          );
        }
        for (const a of s.authors ?? []) {
          await db.query(
            `INSERT INTO author_clients (session_id, client_id, name, seen_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (session_id, client_id) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at`,
            [s.sessionId, a.clientId, a.name, now],
          );
        }
        inserted.set(s.sessionId, ids);
      }
      return inserted;
    });
  }

  async indexedSeq(sessionId: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ doc_seq: string }>('SELECT doc_seq FROM search_sessions WHERE session_id = $1', [sessionId]);
    return rows[0] ? Number(rows[0].doc_seq) : undefined;
  }

  async storedSeq(sessionId: string): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string | null }>(
      'SELECT greatest((SELECT max(seq) FROM doc_updates WHERE doc_id = $1), (SELECT max(upto_seq) FROM doc_snapshots WHERE doc_id = $1)) AS seq',
      [sessionId],
    );
    return Number(rows[0]?.seq ?? 0);
  }

  async liveSessionIds(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM sessions WHERE deleted_at IS NULL ORDER BY created_at');
    return rows.map((r) => r.id);
  }

  async staleSessions(eventId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT s.id FROM sessions s LEFT JOIN search_sessions x ON x.session_id = s.id
       WHERE s.event_id = $1 AND s.deleted_at IS NULL AND coalesce(x.doc_seq, -1) < greatest(
         coalesce((SELECT max(seq) FROM doc_updates WHERE doc_id = s.id), 0),
         coalesce((SELECT max(upto_seq) FROM doc_snapshots WHERE doc_id = s.id), 0))`,
      [eventId],
    );
    return rows.map((r) => r.id);
  }

  async meta(key: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM search_meta WHERE key = $1', [key]);
    return rows[0]?.value;
  }

  async reset(version: string): Promise<void> {
    await inTransaction(this.pool, 'BEGIN', async (db) => {
      await db.query('DELETE FROM search_sessions');
      await db.query('DELETE FROM search_blocks');
      await db.query('INSERT INTO search_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', ['version', version]);
    });
  }

  async matchBlocks(eventId: string, terms: readonly string[], limit: number): Promise<BlockRow[]> {
    // One LIKE per term (not LIKE ALL of an array, which the trigram index cannot serve).
    const likes = terms.map((_, i) => `b.norm LIKE $${i + 4}`).join(' AND ');
    const { rows } = await this.pool.query<RawBlock>(
      `SELECT ${BLOCK_COLUMNS}, -similarity(b.norm, $2) AS rank FROM search_blocks b
       WHERE b.event_id = $1 AND ${likes} ORDER BY rank, b.session_id, b.ord LIMIT $3`,
      [eventId, terms.join(' '), limit, ...terms.map(containing)],
    );
    return rows.map(toBlock);
  }

  async scanBlocks(eventId: string, needles: readonly string[], limit: number): Promise<BlockRow[]> {
    const { rows } = await this.pool.query<RawBlock>(
      `SELECT ${BLOCK_COLUMNS}, NULL::float8 AS rank FROM search_blocks b
       WHERE b.event_id = $1 AND NOT EXISTS (SELECT 1 FROM unnest($2::text[]) AS n WHERE strpos(b.norm, n) = 0) ORDER BY b.session_id, b.ord LIMIT $3`,
      [eventId, [...needles], limit],
    );
    return rows.map(toBlock);
  }

  async actionBlocks(eventId: string, limit: number): Promise<BlockRow[]> {
    const { rows } = await this.pool.query<RawBlock>(
      `SELECT ${BLOCK_COLUMNS}, NULL::float8 AS rank FROM search_blocks b WHERE b.event_id = $1 AND b.action_item_id IS NOT NULL ORDER BY b.session_id, b.ord LIMIT $2`,
      [eventId, limit],
    );
    return rows.map(toBlock);
  }

  async authorChars(eventId: string): Promise<{ session_id: string; client_id: string; chars: number }[]> {
    const { rows } = await this.pool.query<{ session_id: string; client_id: string; chars: string }>(
      `SELECT b.session_id, j.key AS client_id, sum(j.value::bigint) AS chars FROM search_blocks b, jsonb_each_text(b.authors::jsonb) j
       WHERE b.event_id = $1 GROUP BY b.session_id, j.key`,
      [eventId],
    );
    return rows.map((r) => ({ session_id: r.session_id, client_id: r.client_id, chars: Number(r.chars) }));
  }

  async authorNames(eventId: string): Promise<{ session_id: string; client_id: number; name: string }[]> {
    const { rows } = await this.pool.query<{ session_id: string; client_id: string; name: string }>(
      `SELECT a.session_id, a.client_id, a.name FROM author_clients a JOIN sessions s ON s.id = a.session_id
       WHERE s.event_id = $1 AND s.deleted_at IS NULL AND a.name <> ''`,
      [eventId],
    );
    return rows.map((r) => ({ session_id: r.session_id, client_id: Number(r.client_id), name: r.name }));
  }
}
