import type { Awaitable } from '../storage/searchRepo.js';

/**
 * Where the contributors report gets "characters written that are still in
 * the final text", per session and per name. The history issue's authorship
 * will be a second implementation; the report does not care which.
 */
export interface AuthorCharCounts {
  /**
   * By session id, then by the name the writer showed: characters of the
   * current notes. A name absent from a session means "cannot tell" (not 0).
   */
  byEvent(eventId: string): Promise<Map<string, Map<string, number>>>;
}

/** What the search index knows about authors: characters per Yjs client id, and which name wrote with which id. */
export interface AuthorClientCounts {
  authorChars(eventId: string): Awaitable<{ session_id: string; client_id: string; chars: number }[]>;
  authorNames(eventId: string): Awaitable<{ session_id: string; client_id: number; name: string }[]>;
}

/**
 * Today's source, without authorship: every character of a Yjs document
 * carries the client id of the Y.Doc that typed it, the search index keeps
 * per-block counts by client id, and the indexer records which name each
 * client id's connection showed (author_clients). Characters of client ids
 * never tied to a name (the server's own writes: templates, carried-forward
 * items, the demo notes; devices that never showed a name; text written
 * before this was recorded) are not counted for anyone.
 */
export class ClientIdCharCounts implements AuthorCharCounts {
  constructor(private readonly repo: AuthorClientCounts) {}

  async byEvent(eventId: string): Promise<Map<string, Map<string, number>>> {
    const names = new Map<string, Map<number, string>>();
    const out = new Map<string, Map<string, number>>();
    for (const r of await this.repo.authorNames(eventId)) {
      if (!names.has(r.session_id)) names.set(r.session_id, new Map());
      names.get(r.session_id)!.set(r.client_id, r.name);
      // A name that wrote in this session counts from 0: whatever they wrote may all have been deleted.
      if (!out.has(r.session_id)) out.set(r.session_id, new Map());
      const session = out.get(r.session_id)!;
      if (!session.has(r.name)) session.set(r.name, 0);
    }
    for (const r of await this.repo.authorChars(eventId)) {
      const name = names.get(r.session_id)?.get(Number(r.client_id));
      if (name === undefined) continue;
      const session = out.get(r.session_id)!;
      session.set(name, (session.get(name) ?? 0) + r.chars);
    }
    return out;
  }
}
