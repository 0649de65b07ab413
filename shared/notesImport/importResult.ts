/** What POST /api/sessions/:id/import answers (a preview when dryRun is true). */
export interface NotesImportResult {
  dryRun: boolean;
  format: 'md' | 'txt' | 'html' | 'etherpad';
  mode: 'append' | 'replace';
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

/** What POST /api/events/:id/import answers. */
export interface EventNotesImportResult {
  dryRun: boolean;
  mode: 'append' | 'replace';
  /** Files that go into a session. */
  matches: { file: string; sessionId: string; sessionTitle: string; format: NotesImportResult['format']; blocks: number; lines: number; actionItems: number }[];
  /** Files that go nowhere, and why. */
  unmatched: { file: string; reason: string }[];
  /** Sessions no file matched. */
  sessionsWithout: { id: string; title: string }[];
}
