/**
 * Why a notes file (or a zip of them) cannot be imported, as stable codes:
 * the API's `params.problem` of `invalid_import` / `invalid_zip`, which the
 * client shows in the UI language (its English `reason` is for API users).
 */
export const NOTES_IMPORT_PROBLEMS = [
  'not_utf8',
  'no_notes',
  'not_editor_notes',
  'too_deep',
  'etherpad_not_json',
  'etherpad_not_pads',
  'etherpad_no_pad',
  'etherpad_many_pads',
  'etherpad_damaged',
  // A zip of pads: some files refused (each one's problem is in `details`), or the zip itself.
  'zip_files',
  'not_zip',
  'zip_compression',
  'zip_damaged',
] as const;
export type NotesImportProblem = (typeof NOTES_IMPORT_PROBLEMS)[number];

export function isNotesImportProblem(code: unknown): code is NotesImportProblem {
  return typeof code === 'string' && (NOTES_IMPORT_PROBLEMS as readonly string[]).includes(code);
}

/**
 * A file that cannot be imported, with a reason a person can act on. The
 * server answers 422 with it; nothing has touched a document at that point.
 */
export class ImportProblem extends Error {
  /** Where in the file (a JSON path, a line, a zip entry), when that helps. */
  readonly where?: string;
  /** The parser's own words (a JSON error's position, the failing operation), for whoever repairs the file. */
  readonly detail?: string;

  constructor(
    readonly problem: NotesImportProblem,
    message: string,
    opts: { where?: string; detail?: string } = {},
  ) {
    super(message);
    this.where = opts.where;
    this.detail = opts.detail;
  }
}
