import type { AuthorKind, NamedVersionDto } from '../../shared/history/history.js';
import type { AuthorKey } from './authorKeys.js';
import type { Binding } from './authorRepo.js';
import type { CheckpointRow } from './historyRepo.js';
import type { Timeline } from './timeline.js';

/**
 * Where history is kept: the port the history module reads and writes
 * through: sqliteHistoryStore.ts, pgHistoryStore.ts (one behaviour suite,
 * historyStore.contract.ts, runs on both). Everything is asynchronous, so an
 * implementation may go over a network.
 */
export interface HistoryStore {
  /** Folds the document's stored changes up to `uptoSeq` into revisions and checkpoints, before the update log drops them. Idempotent. */
  fold(docId: string, uptoSeq: number): Promise<void>;
  /** Every version of a document as of now: folded revisions, then the stored changes not folded yet, grouped the same way. */
  timeline(docId: string, bindings: ReadonlyMap<number, Binding>): Promise<Timeline>;
  /** One folded revision's compact update. */
  revisionData(docId: string, rev: number): Promise<Uint8Array | undefined>;
  /** The newest history checkpoint at or before `rev`. */
  checkpointAt(docId: string, rev: number): Promise<CheckpointRow | undefined>;
  versions(docId: string): Promise<NamedVersionDto[]>;
  nameVersion(docId: string, rev: number, name: string, at: string): Promise<void>;
  /** Which author each Yjs client id of the document is bound to. */
  bindingsOf(docId: string): Promise<Map<number, Binding>>;
  bind(docId: string, clientId: number, kind: AuthorKind, name: string, color: string | null, at: string): Promise<void>;
  /**
   * The row of who is in a batch about to be stored, to go in the batch's own
   * transaction (DocWrite.authors), or undefined when what is stored already
   * says it. Synchronous: it runs once per commit.
   */
  authorsRow(docId: string, authors: readonly AuthorKey[]): string | undefined;
  /** A committed batch's authors, kept until the batch is folded; `stored`: its row went in with the batch (authorsRow), else it is written now. */
  batchAuthors(docId: string, seq: number, authors: AuthorKey[], stored?: boolean): Promise<void>;
}
