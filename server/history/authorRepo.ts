import type Database from 'better-sqlite3';
import type { AuthorKind } from '../../shared/history/history.js';
import { kindKey, personKey, type AuthorKey } from './authorKeys.js';

/** Which author a Yjs client id is bound to. */
export interface Binding {
  key: AuthorKey;
  /** The colour the person showed (people only). */
  color: string | null;
}

const KINDS = new Set<string>(['person', 'template', 'restore', 'import', 'server', 'anonymous']);

/**
 * author_clients, shared with search (which records display names there from
 * its indexer): history adds the kind and the colour. A row of kind `person`
 * with an empty name is a client id a connection without a name wrote with.
 */
export class AuthorRepo {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      of: db.prepare<[string], { client_id: number; name: string; kind: string; color: string | null }>('SELECT client_id, name, kind, color FROM author_clients WHERE session_id = ?'),
      bind: db.prepare<[string, number, string, string, string | null, string]>(
        `INSERT INTO author_clients (session_id, client_id, name, kind, color, seen_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(session_id, client_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, color = coalesce(excluded.color, author_clients.color), seen_at = excluded.seen_at`,
      ),
      ofEvent: db.prepare<[string], { session_id: string; client_id: number; name: string; kind: string; color: string | null }>(
        `SELECT a.session_id, a.client_id, a.name, a.kind, a.color FROM author_clients a JOIN sessions s ON s.id = a.session_id
         WHERE s.event_id = ? AND s.deleted_at IS NULL`,
      ),
    };
  }

  /** Every binding of a session's document. */
  bindingsOf(sessionId: string): Map<number, Binding> {
    const out = new Map<number, Binding>();
    for (const r of this.s.of.all(sessionId)) out.set(r.client_id, toBinding(r));
    return out;
  }

  /** Bindings of every session of an event, by session id. */
  bindingsOfEvent(eventId: string): Map<string, Map<number, Binding>> {
    const out = new Map<string, Map<number, Binding>>();
    for (const r of this.s.ofEvent.all(eventId)) {
      let m = out.get(r.session_id);
      if (!m) out.set(r.session_id, (m = new Map()));
      m.set(r.client_id, toBinding(r));
    }
    return out;
  }

  /** Binds a client id (durably, at once: its changes are committed right after). */
  bind(sessionId: string, clientId: number, kind: AuthorKind, name: string, color: string | null, at: string): void {
    this.s.bind.run(sessionId, clientId, name, kind, color, at);
  }
}

/** A stored author_clients row as a binding (an unknown kind reads as a person). */
export function toBinding(r: { name: string; kind: string; color: string | null }): Binding {
  const kind = KINDS.has(r.kind) ? (r.kind as AuthorKind) : 'person';
  if (kind !== 'person') return { key: kindKey(kind), color: null };
  return { key: r.name.trim() ? personKey(r.name.trim()) : kindKey('anonymous'), color: r.color };
}
