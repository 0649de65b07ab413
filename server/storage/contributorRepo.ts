import type Database from 'better-sqlite3';
import type { ContributorStore } from './ports.js';

/** Note-takers per session in SQLite. */
export class ContributorRepo implements ContributorStore {
  private readonly listStmt;
  private readonly addTx;

  constructor(db: Database.Database) {
    const upsert = db.prepare<[string, string, string, string]>(
      `INSERT INTO contributors (session_id, name, first_at, last_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(session_id, name) DO UPDATE SET last_at = excluded.last_at`,
    );
    this.listStmt = db.prepare<[string], { name: string }>('SELECT name FROM contributors WHERE session_id = ? ORDER BY first_at, name');
    this.addTx = db.transaction((sessionId: string, names: readonly string[], now: string) => {
      for (const name of names) upsert.run(sessionId, name, now, now);
    });
  }

  async add(sessionId: string, names: readonly string[], now: string): Promise<void> {
    this.addTx(sessionId, names, now);
  }

  async list(sessionId: string): Promise<string[]> {
    return this.listStmt.all(sessionId).map((r) => r.name);
  }
}
