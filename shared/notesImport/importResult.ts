/** What POST /api/sessions/:id/import answers (a preview when dryRun is true). */
export interface NotesImportResult {
  dryRun: boolean;
  format: 'md' | 'txt' | 'html' | 'etherpad';
  mode: 'append' | 'replace';
  /**
   * `append` into notes that are still the untouched template (nobody wrote
   * anything yet) replaces the template instead of adding after its last
   * heading: true when it does (a preview: when it would).
   */
  replacesTemplate: boolean;
  /** Top-level blocks (a list counts once) and lines (paragraphs, headings, code blocks). */
  blocks: number;
  lines: number;
  /** The first lines, to recognise the file by. */
  preview: string[];
  actionItems: { text: string; owners: string[]; due: string | null; status: 'open' | 'done' }[];
  /** Etherpad: the pad's id and who wrote how many characters of its current text. */
  padId?: string;
  authors?: { id: string; name: string | null; color: string | null; colorId: number | string | null; chars: number }[];
  /** HedgeDoc front matter (the document never gets it). */
  frontMatter?: { title?: string; tags?: string[] } | null;
}

/** Why a file of a pad zip goes into no session. */
export type UnmatchedWhy = 'not_notes' | 'no_title_match' | 'ambiguous' | 'same_session';

/** What POST /api/events/:id/import answers. */
export interface EventNotesImportResult {
  dryRun: boolean;
  mode: 'append' | 'replace';
  /** Files that go into a session. */
  matches: { file: string; sessionId: string; sessionTitle: string; format: NotesImportResult['format']; blocks: number; lines: number; actionItems: number; replacesTemplate: boolean }[];
  /**
   * Files that go nowhere, and why: `why` is stable (the UI words it in its
   * language), `names` the session titles or files it refers to, `reason` the
   * same in English for API users.
   */
  unmatched: { file: string; why: UnmatchedWhy; names: string[]; reason: string }[];
  /** Sessions no file matched. */
  sessionsWithout: { id: string; title: string }[];
}
