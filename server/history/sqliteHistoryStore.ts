import type Database from 'better-sqlite3';
import type { AuthorKind } from '../../shared/history/history.js';
import type { AuthorKey } from './authorKeys.js';
import { AuthorRepo, type Binding } from './authorRepo.js';
import { foldHistory, type CheckpointPolicy } from './foldHistory.js';
import { historyMigration } from './historyMigration.js';
import { HistoryRepo } from './historyRepo.js';
import type { HistoryStore } from './historyStore.js';
import { RecentAuthors } from './recentAuthors.js';
import { readTimeline } from './timeline.js';

export interface SqliteHistoryStoreOptions {
  pauseMs: number;
  policy?: CheckpointPolicy;
  now: () => number;
}

/** History in the server's SQLite database (tables from historyMigration.ts, created when missing). */
export class SqliteHistoryStore implements HistoryStore {
  private readonly repo: HistoryRepo;
  private readonly authors: AuthorRepo;
  private readonly recent: RecentAuthors;

  constructor(
    db: Database.Database,
    private readonly opts: SqliteHistoryStoreOptions,
  ) {
    historyMigration(db);
    this.recent = new RecentAuthors(db);
    this.repo = new HistoryRepo(db, this.recent);
    this.authors = new AuthorRepo(db);
  }

  async fold(docId: string, uptoSeq: number): Promise<void> {
    foldHistory({ repo: this.repo, bindings: (id) => this.authors.bindingsOf(id), pauseMs: this.opts.pauseMs, policy: this.opts.policy, now: this.opts.now }, docId, uptoSeq);
    this.recent.folded(docId, uptoSeq);
  }

  async timeline(docId: string, bindings: ReadonlyMap<number, Binding>) {
    return readTimeline(this.repo, bindings, docId, this.opts.pauseMs);
  }

  async revisionData(docId: string, rev: number) {
    return this.repo.revisionData(docId, rev);
  }

  async checkpointAt(docId: string, rev: number) {
    return this.repo.checkpointAt(docId, rev);
  }

  async versions(docId: string) {
    return this.repo.versions(docId);
  }

  async nameVersion(docId: string, rev: number, name: string, at: string) {
    this.repo.nameVersion(docId, rev, name, at);
  }

  async bindingsOf(docId: string) {
    return this.authors.bindingsOf(docId);
  }

  async bind(docId: string, clientId: number, kind: AuthorKind, name: string, color: string | null, at: string) {
    this.authors.bind(docId, clientId, kind, name, color, at);
  }

  authorsRow(docId: string, authors: readonly AuthorKey[]) {
    return this.recent.rowFor(docId, authors);
  }

  async batchAuthors(docId: string, seq: number, authors: AuthorKey[], stored = false) {
    this.recent.record(docId, seq, authors, stored);
  }
}
